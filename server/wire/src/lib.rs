//! The bytes between the editor and the protocol library, without I/O: cutting stdin into
//! frames ([`FrameReader`]) and deciding what to do with each body ([`classify`]).
//! tower-lsp-server stops reading at the first frame it cannot decode, so prp-lsp's
//! transport (`server/prp-lsp/src/server/transport`) runs every byte through this first.
//! A crate of its own so that the fuzz harness can drive exactly this code.

mod framing;
mod message;

pub use framing::{FrameReader, Incoming, MAX_BODY};
pub use message::{
    classify, error_response, replace_lone_surrogates, Verdict, INVALID_REQUEST, PARSE_ERROR,
};

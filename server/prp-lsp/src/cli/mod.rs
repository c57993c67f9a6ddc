//! The command line: the same analysis as the server, for CI and pipelines.

pub mod check;

//! Quick fixes for the validator's findings, and document actions that are not tied to a
//! finding (move a finished PRP to the archive, mark a task done).

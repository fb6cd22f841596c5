//! End-to-end tests of team mode across processes live in `tests/`; this crate has no code
//! of its own.

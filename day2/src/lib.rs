//! Day 2 (2일차): address conversion, the iterative TCP server and client,
//! application protocols.
//!
//! Each program of the day is a bin in `src/bin/`, named after its C file
//! (`cargo run --bin echo_server -- 9190` mirrors `./echo_server 9190`).
//! This library is empty on purpose: the lessons live in the bins, and the
//! helpers every day shares live in the `common` crate.

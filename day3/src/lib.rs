//! Day 3 (3일차): UDP, half-close, DNS, socket options, processes and
//! signals, the multi-process echo server.
//!
//! Each program of the day is a bin in `src/bin/`, named after its C file
//! (`cargo run --bin echo_mpserv -- 9190` mirrors `./echo_mpserv 9190`).
//! This library is empty on purpose: the lessons live in the bins, and the
//! helpers every day shares live in the `common` crate.

//! Day 1 (1일차): sockets are files, socket types, addresses, byte order.
//!
//! Each program of the day is a bin in `src/bin/`, named after its C file
//! (`cargo run --bin hello_server -- 9190` mirrors `./hello_server 9190`).
//! This library is empty on purpose: the lessons live in the bins, and the
//! helpers every day shares live in the `common` crate.

//! What the test harness and the classroom tools share: start a program
//! the way a terminal would (its own process group, every signal at its
//! default, no inherited descriptor above 2), learn the port it bound from
//! the kernel, feed its stdin, read its stdout and stderr as bytes and as
//! timestamped lines, and always kill and reap it and whatever it forked.
//!
//! Library code: every function returns `Result` or `Option`. The test
//! harness (`tcpip-tests`) wraps it in test-style panics; `tour` reports
//! errors to a person.
//!
//! - [`process`]: [`process::Program`], a started program and its guard.
//! - [`procfs`]: what `/proc` says about processes (state, parent, group,
//!   open sockets).
//! - [`socktab`]: the kernel's socket table, read through
//!   `NETLINK_SOCK_DIAG` (the interface `ss` uses), with `/proc/net/*` as
//!   the fallback.

pub mod process;
pub mod procfs;
pub mod socktab;

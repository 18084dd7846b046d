//! What every lesson bin shares, and nothing more.
//!
//! Every C program of the book ends with the same little function:
//!
//! ```c
//! void error_handling(char *message)
//! {
//!     fputs(message, stderr);
//!     fputc('\n', stderr);
//!     exit(1);
//! }
//! ```
//!
//! This crate is its Rust twin, plus the few helpers that every day needs:
//!
//! | module       | C idiom it replaces                                   |
//! |--------------|-------------------------------------------------------|
//! | [`die`]      | `error_handling()`, `printf("Usage : %s ...")`        |
//! | [`args`]     | `atoi(argv[1])`, `inet_addr(argv[1])`, checked        |
//! | [`stdin`]    | `fgets(message, BUF_SIZE, stdin)`, bytes in, bytes out |
//! | [`time`]     | `sleep(30)`, with the course's one time-scale knob     |
//! | [`out`]      | `printf`, `fputs(..., stderr)`: no panic, one write    |
//! | [`help`]     | (none: C has no `--help`) how to run it with cargo    |
//! | [`hostent`]  | `host->h_name`, `host->h_aliases[i]`, ... read safely |
//!
//! Library functions return `Result`; only the helpers in [`die`] end the
//! process, and only a bin calls them (Kerrisk's rule: a library must not
//! decide to exit).

pub mod args;
pub mod die;
pub mod help;
pub mod hostent;
pub mod out;
pub mod stdin;
pub mod time;

pub use args::{ipv4_arg, port_arg};
pub use die::{OrDie, error_handling, restore_sigpipe, usage_args};
pub use help::{Help, answer_help};
pub use out::{eprint_line, report};
pub use stdin::fgets;
pub use time::{check_sleep_scale, scaled, sleep};

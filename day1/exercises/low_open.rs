//! low_open: create `data.txt` with the low-level `open(2)` and write
//! `Let's go!\n` into it, NUL included.
//!
//! **Exercise starter** (`low_open`): this is low_open with its open step
//! taken out. Write the steps marked `todo!()`, then check it:
//! `cargo run --bin check -- low_open`.
//!
//! - Course notes: 1일차, "리눅스 기반 파일 조작하기", "파일 디스크립터",
//!   "파일 열기" (O_CREAT, O_WRONLY, O_TRUNC)
//! - C original: `ch01/low_open.c`
//! - Man pages: `open(2)`, `write(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin my_low_open
//! od -c data.txt      # 11 bytes: L e t ' s   g o ! \n \0
//! cargo run --bin low_read
//! ```
//!
//! It prints (0, 1 and 2 are stdin, stdout and stderr, so the first free
//! number is 3):
//!
//! ```text
//! file descriptor: 3
//! ```
//!
//! # Differences from the C original
//!
//! - The C program calls `open` with `O_CREAT` but no mode, so the new
//!   file gets whatever garbage is on the stack as permissions. The twin
//!   passes 0644 (rw-r--r--, minus the umask).
//! - The C program ignores how many bytes `write` wrote; the twin reports a
//!   short write as an error (on a regular file it does not happen).
//! - Errors end with the OS reason after the C message:
//!   `open() error!: Is a directory (os error 21)`.
//! - C does not check `close`; the twin does (`close() error: <reason>`).

// Until the todo!()s below are written, the code after them never runs
// and the compiler would call it unused: delete this line when you are done.
#![allow(unused, clippy::diverging_sub_expression)]

use std::os::fd::AsRawFd;

use common::OrDie;
use nix::fcntl::{OFlag, open};
use nix::sys::stat::Mode;
use nix::unistd::{close, write};

/// C: `char buf[]="Let's go!\n";`, written with `sizeof(buf)`: 10
/// characters and the terminating NUL, 11 bytes.
const BUF: &[u8] = b"Let's go!\n\0";

fn main() {
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // The C program takes no arguments and ignores any it is given.

    // ANCHOR: steps
    // C: fd=open("data.txt", O_CREAT|O_WRONLY|O_TRUNC);
    // O_CREAT: create the file if it is missing; O_WRONLY: for writing
    // only; O_TRUNC: throw away whatever the file held before.
    // (nix::fcntl::open takes the flags as OFlag and a Mode: give 0o644,
    // where the C passes none.)
    let fd: std::os::fd::OwnedFd =
        todo!("C: fd=open(\"data.txt\", O_CREAT|O_WRONLY|O_TRUNC)");

    // C: printf("file descriptor: %d \n", fd);
    // The kernel hands out the lowest free number: 3, after stdin (0),
    // stdout (1) and stderr (2).
    println!("file descriptor: {} ", fd.as_raw_fd());

    // C: write(fd, buf, sizeof(buf));
    // The very write(2) that sends bytes to a socket.
    let written = write(&fd, BUF).or_die("write() error!");
    if written != BUF.len() {
        common::error_handling("write() error!: short write");
    }

    // C: close(fd);
    close(fd).or_die("close() error");
    // ANCHOR_END: steps
}

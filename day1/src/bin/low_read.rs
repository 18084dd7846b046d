//! low_read: read `data.txt` (the file low_open wrote) with the
//! low-level `read(2)` and print it.
//!
//! - Course notes: 1일차, "리눅스 기반 파일 조작하기", "파일 디스크립터",
//!   "파일 열기" (O_RDONLY)
//! - C original: `ch01/low_read.c`
//! - Man pages: `open(2)`, `read(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin low_open     # writes data.txt
//! cargo run --bin low_read
//! ```
//!
//! It prints:
//!
//! ```text
//! file descriptor: 3
//! file data: Let's go!
//! ```
//!
//! Without `data.txt` it prints
//! `open() error!: No such file or directory (os error 2)` on stderr and
//! exits 1.
//!
//! # Differences from the C original
//!
//! - C prints the buffer with `%s`: it stops at the NUL low_open wrote,
//!   but if the file holds no NUL it reads past the bytes `read` filled
//!   (undefined behaviour). The twin prints the bytes it read, up to the
//!   first NUL if there is one.
//! - Errors end with the OS reason after the C message.
//! - C does not check `close`; the twin does (`close() error: <reason>`).

use std::io::Write;
use std::os::fd::AsRawFd;

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use nix::fcntl::{OFlag, open};
use nix::sys::stat::Mode;
use nix::unistd::{close, read};

/// C: `#define BUF_SIZE 100`: one read of at most 100 bytes.
const BUF_SIZE: usize = 100;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "low_read: reads data.txt (written by low_open) with open(2) and read(2)",
    "cargo run --bin low_open   # first: writes data.txt here
     cargo run --bin low_read   # then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // The C program takes no arguments and ignores any it is given.

    // ANCHOR: steps
    // C: fd=open("data.txt", O_RDONLY);
    // O_RDONLY: read only. No O_CREAT, so a missing file is an error.
    let fd = open("data.txt", OFlag::O_RDONLY, Mode::empty())
        .or_die("open() error!");

    // C: printf("file descriptor: %d \n", fd);
    println!("file descriptor: {} ", fd.as_raw_fd());

    // C: read(fd, buf, sizeof(buf));
    // One read, as in C: it returns how many bytes it put in buf.
    let mut buf = [0u8; BUF_SIZE];
    let read_len = read(&fd, &mut buf).or_die("read() error!");

    // C: printf("file data: %s", buf);
    // %s stops at the NUL that low_open wrote after "Let's go!\n".
    let data = &buf[..read_len];
    let nul = data.iter().position(|&b| b == 0); // where %s would stop
    let text = &data[..nul.unwrap_or(data.len())]; // no NUL: all of it
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(b"file data: ")
        .and_then(|()| stdout.write_all(text))
        .and_then(|()| stdout.flush())
        .or_die("write to stdout error");

    // C: close(fd);
    close(fd).or_die("close() error");
    // ANCHOR_END: steps
}

//! fd_seri: a TCP socket, a file and a UDP socket get the numbers 3, 4
//! and 5: sockets and files share one file-descriptor table.
//!
//! - Course notes: 1일차, "리눅스 기반 파일 조작하기", "파일 디스크립터"
//!   (0 표준입력, 1 표준출력, 2 표준에러)
//! - C original: `ch01/fd_seri.c`
//! - Man pages: `socket(2)`, `open(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin fd_seri      # creates an empty test.dat here
//! ```
//!
//! It prints:
//!
//! ```text
//! file descriptor 1: 3
//! file descriptor 2: 4
//! file descriptor 3: 5
//! ```
//!
//! # Differences from the C original
//!
//! - The C program checks no call. The twin checks each one, with a
//!   message in the book's style: `socket() error: ...`,
//!   `open() error: Is a directory (os error 21)`, exit 1.
//! - The C program opens `test.dat` with `O_CREAT` but no mode (garbage
//!   permissions); the twin passes 0644.
//! - socket2 creates its sockets with `SOCK_CLOEXEC` (an `exec`ed program
//!   does not inherit them); the numbers are the same.
//! - Started with a standard stream closed (`fd_seri <&-`), the C program
//!   gets that free number first: its socket is `0`. The twin still
//!   prints 3, 4, 5: before `main`, Rust's runtime reopens a closed 0, 1
//!   or 2 on `/dev/null` (`strace` shows `openat(.., "/dev/null", O_RDWR)
//!   = 0`). "The smallest free number" is still the rule; the runtime has
//!   only taken 0 first.

use std::os::fd::AsRawFd;

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use nix::fcntl::{OFlag, open};
use nix::sys::stat::Mode;
use nix::unistd::close;
use socket2::{Domain, Socket, Type};

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "fd_seri: sockets and files share one table of file descriptor numbers",
    "cargo run --bin fd_seri   # creates an empty test.dat here",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // The C program takes no arguments and ignores any it is given.

    // ANCHOR: steps
    // C: fd1=socket(PF_INET, SOCK_STREAM, 0);
    // 0, 1 and 2 are already taken (stdin, stdout, stderr): the kernel
    // gives the lowest free number, 3.
    let fd1 =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: fd2=open("test.dat", O_CREAT|O_WRONLY|O_TRUNC);
    // A file, numbered from the same table as the socket: 4.
    let flags = OFlag::O_CREAT | OFlag::O_WRONLY | OFlag::O_TRUNC;
    let mode = Mode::from_bits_truncate(0o644); // the C passes none
    let fd2 = open("test.dat", flags, mode).or_die("open() error");

    // C: fd3=socket(PF_INET, SOCK_DGRAM, 0);
    // A UDP socket, the next number again: 5.
    let fd3 =
        Socket::new(Domain::IPV4, Type::DGRAM, None).or_die("socket() error");

    // C: printf("file descriptor 1: %d\n", fd1); ... fd2 ... fd3
    println!("file descriptor 1: {}", fd1.as_raw_fd());
    println!("file descriptor 2: {}", fd2.as_raw_fd());
    println!("file descriptor 3: {}", fd3.as_raw_fd());

    // C: close(fd1); close(fd2); close(fd3);
    drop(fd1);
    close(fd2).or_die("close() error");
    drop(fd3);
    // ANCHOR_END: steps
}

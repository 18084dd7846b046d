//! fork_fdnum: creates a socket, forks, and has both processes print the
//! socket's file descriptor: the child's copy has the same number.
//!
//! - Course notes: 3일차, "fork 함수호출을 통한 프로세스 생성" (the child
//!   is a copy of the parent, its file descriptors included); the answer
//!   to chapter 10, question 3
//! - C original: `TCPIP_Answer/Answer1/Ch10/Q3/fork_fdnum.c`
//! - Man pages: `socket(2)`, `fork(2)` ("The child inherits copies of the
//!   parent's set of open file descriptors")
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin fork_fdnum
//! ```
//!
//! Expected output, in either order (the scheduler decides), with a space
//! before each newline as in C; the number is the one the OS chose, 3
//! when 0, 1 and 2 are the only descriptors open before:
//!
//! ```text
//! Parent sock fd: [3]
//! Child sock fd: [3]
//! ```
//!
//! Both numbers name the same socket: `fork` copies the descriptor table,
//! not the socket. This is why echo_mpserv's child closes the listening
//! socket and the parent closes the client's: a socket is gone only when
//! every descriptor for it is closed.
//!
//! # Differences from the C original
//!
//! - The C checks neither `socket` nor `fork` (a failed `fork` returns -1
//!   and the C prints the parent's line alone). The twin reports
//!   `socket() error` or `fork() error` with the reason, exit 1.
//! - Standard output is flushed before `fork`, so nothing buffered is
//!   copied into the child and printed twice.

use std::io::Write;
use std::os::fd::AsRawFd;

use common::OrDie;
use nix::unistd::{ForkResult, fork};
use socket2::{Domain, Socket, Type};

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "fork_fdnum: after fork, parent and child hold the socket under one \
     number",
    "cargo run --bin fork_fdnum",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: a closed pipe ends it quietly
    // The C program ignores its arguments.

    // ANCHOR: steps
    // C: int sockfd=socket(PF_INET, SOCK_STREAM, 0);
    let sockfd =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: pid=fork();
    // The child gets a copy of every open descriptor, under its number.
    let mut stdout = std::io::stdout();
    stdout.flush().or_die("fflush() error");
    // SAFETY: this program has a single thread, so in the child no lock can
    // be held by a thread that no longer exists; the child only prints one
    // line and returns from main, as the C child does.
    let pid = unsafe { fork() }.or_die("fork() error");

    // C: if(pid==0) printf("Child sock fd: [%d] \n", sockfd);
    //    else printf("Parent sock fd: [%d] \n", sockfd);
    let fd = sockfd.as_raw_fd();
    match pid {
        ForkResult::Child => writeln!(stdout, "Child sock fd: [{fd}] "),
        ForkResult::Parent { .. } => {
            writeln!(stdout, "Parent sock fd: [{fd}] ")
        }
    }
    .or_die("write to stdout error");
    // ANCHOR_END: steps
}

//! sock_type: ask two sockets what type they are, with
//! `getsockopt(SO_TYPE)`.
//!
//! - Course notes: 3일차, "소켓의 다양한 옵션" (getsockopt & setsockopt;
//!   소켓의 타입은 소켓 생성시 한번 결정되면 변경이 불가능하다)
//! - C original: `ch09/sock_type.c`
//! - Man pages: `getsockopt(2)`, `socket(7)` (`SO_TYPE`), `socket(2)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin sock_type
//! ```
//!
//! It prints (each line ends with a space, as in C):
//!
//! ```text
//! SOCK_STREAM: 1
//! SOCK_DGRAM: 2
//! Socket type one: 1
//! Socket type two: 2
//! ```
//!
//! `SO_TYPE` can only be read: the type is fixed when `socket` creates
//! the socket, and `setsockopt(SO_TYPE)` fails with `ENOPROTOOPT`.
//!
//! # Differences from the C original
//!
//! - The two `socket` calls are checked (`socket() error`); the C program
//!   checks neither.
//! - socket2 creates sockets with `SOCK_CLOEXEC` (a trace shows
//!   `SOCK_STREAM|SOCK_CLOEXEC`); the flag is not part of the type, so
//!   `SO_TYPE` still answers 1 and 2.

use std::ffi::c_int;

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use socket2::{Domain, Socket, Type};

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "sock_type: asks two sockets their type with getsockopt(SO_TYPE)",
    "cargo run --bin sock_type",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // The C program ignores its arguments; so does the twin.

    // ANCHOR: steps
    // C: tcp_sock=socket(PF_INET, SOCK_STREAM, 0);
    //    udp_sock=socket(PF_INET, SOCK_DGRAM, 0);
    let tcp_sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let udp_sock =
        Socket::new(Domain::IPV4, Type::DGRAM, None).or_die("socket() error");

    // C: printf("SOCK_STREAM: %d \n", SOCK_STREAM);
    //    printf("SOCK_DGRAM: %d \n", SOCK_DGRAM);
    // The constants themselves, to compare with what the sockets answer.
    println!("SOCK_STREAM: {} ", libc::SOCK_STREAM);
    println!("SOCK_DGRAM: {} ", libc::SOCK_DGRAM);

    // C: state=getsockopt(tcp_sock, SOL_SOCKET, SO_TYPE,
    //                      (void*)&sock_type, &optlen);
    // socket2's r#type() is exactly this getsockopt (`type` is a Rust
    // keyword, hence the r#).
    let sock_type = tcp_sock.r#type().or_die("getsockopt() error!");
    println!("Socket type one: {} ", c_int::from(sock_type));

    // C: state=getsockopt(udp_sock, SOL_SOCKET, SO_TYPE,
    //                      (void*)&sock_type, &optlen);
    let sock_type = udp_sock.r#type().or_die("getsockopt() error!");
    println!("Socket type two: {} ", c_int::from(sock_type));
    // ANCHOR_END: steps
}

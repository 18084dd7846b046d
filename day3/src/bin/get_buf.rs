//! get_buf: read the sizes of a new TCP socket's input and output
//! buffers with `getsockopt(SO_RCVBUF)` and `getsockopt(SO_SNDBUF)`.
//!
//! - Course notes: 3일차, "SO_SNDBUF & SO_RCVBUF" (소켓이 생성되면
//!   기본적으로 입력버퍼와 출력버퍼가 생성)
//! - C original: `ch09/get_buf.c`
//! - Man pages: `getsockopt(2)`, `socket(7)` (`SO_RCVBUF`, `SO_SNDBUF`),
//!   `tcp(7)` (`tcp_rmem`, `tcp_wmem`)
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin get_buf
//! # where the numbers come from: the middle value of each line
//! cat /proc/sys/net/ipv4/tcp_rmem /proc/sys/net/ipv4/tcp_wmem
//! ```
//!
//! It prints two numbers the kernel chose; on a usual Linux machine
//! (each line ends with a space, as in C; `Outupt` is the original's
//! spelling):
//!
//! ```text
//! Input buffer size: 131072
//! Outupt buffer size: 16384
//! ```
//!
//! # Differences from the C original
//!
//! - The `socket` call is checked (`socket() error`); the C program does
//!   not check it.

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use socket2::{Domain, Socket, Type};

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "get_buf: reads a new TCP socket's buffer sizes with getsockopt",
    "cargo run --bin get_buf",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // The C program ignores its arguments; so does the twin.

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_STREAM, 0);
    // A fresh TCP socket: the kernel gives it default buffers at once.
    let sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: state=getsockopt(sock, SOL_SOCKET, SO_SNDBUF, (void*)&snd_buf, &len);
    //    if(state) error_handling("getsockopt() error");
    // The output buffer. This C file's message has no `!` (sock_type's
    // and set_buf's have one).
    let snd_buf = sock.send_buffer_size().or_die("getsockopt() error");

    // C: state=getsockopt(sock, SOL_SOCKET, SO_RCVBUF, (void*)&rcv_buf, &len);
    // The input buffer.
    let rcv_buf = sock.recv_buffer_size().or_die("getsockopt() error");

    // C: printf("Input buffer size: %d \n", rcv_buf);
    //    printf("Outupt buffer size: %d \n", snd_buf);
    println!("Input buffer size: {rcv_buf} ");
    // (sic) "Outupt", as in the C original
    println!("Outupt buffer size: {snd_buf} ");
    // ANCHOR_END: steps
}

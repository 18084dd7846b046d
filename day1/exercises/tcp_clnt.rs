//! tcp_clnt: connects, prints 100 lines to let time pass (a busy wait),
//! then makes ONE `read` of up to 30 bytes: the server's four writes have
//! all arrived by then, and that one read returns all 13 bytes.
//!
//! **Exercise starter** (`tcp_clnt`): this is tcp_clnt with its one read taken
//! out. Write the steps marked `todo!()`, then check it:
//! `cargo run --bin check -- tcp_clnt`.
//!
//! - Course notes: 1일차, "소켓의 타입 1 : 연결지향형 소켓 (SOCK_STREAM)"
//!   ("전송되는 데이터의 경계(Boundary)가 존재하지 않는다": TCP data has
//!   no boundaries); the answer to chapter 2, question 6
//! - C original: `TCPIP_Answer/Answer1/Ch02/Q6/tcp_clnt.c`
//! - Man pages: `socket(2)`, `connect(2)`, `read(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: four writes of 4, 4, 4 and 1 bytes
//! cargo run --bin tcp_serv -- 9190
//! # terminal 2: one read of the socket
//! cargo build --bin tcp_clnt
//! strace -e trace=read target/debug/tcp_clnt 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 2), with a space before each newline as in C:
//!
//! ```text
//! Wait time 0
//! Wait time 1
//! ...
//! Wait time 99
//! Message from server: Hello World!
//! ```
//!
//! and in the trace, after the 100 lines: `read(3, "Hello World!\0", 30)
//! = 13`. Four writes, one read: the receiver never sees where one write
//! ended and the next began.
//!
//! # Differences from the C original
//!
//! - The C reads into `char message[30]` and prints it with `%s`: 30
//!   bytes without a NUL print whatever follows the buffer (undefined
//!   behaviour). The twin prints the bytes it read up to the first NUL,
//!   or all of them if there is none.
//! - The C ignores what `read` returns; the twin reports `read() error:
//!   <reason>`, exit 1.
//! - `<IP>` must be a dotted-decimal IPv4 address and `<port>` a number
//!   from 0 to 65535; C's `inet_addr` and `atoi` silently turn garbage
//!   into 255.255.255.255 and port 0.
//! - The wait is only as long as printing 100 lines takes (a terminal is
//!   slow, a pipe is fast), in Rust as in C. Whether the four writes are
//!   all there is up to that race; the test holds the client at its first
//!   line until they are.

// Until the todo!()s below are written, the code after them never runs
// and the compiler would call it unused: delete this line when you are done.
#![allow(unused, clippy::diverging_sub_expression)]

use std::io::Write;
use std::net::SocketAddrV4;

use common::OrDie;
use nix::unistd::read;
use socket2::{Domain, Socket, Type};

/// C: `char message[30];`, read with `sizeof(message)`.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "tcp_clnt: waits, then takes tcp_serv's four writes with one read",
    "cargo run --bin tcp_serv -- 9190             # terminal 1, first
     cargo run --bin tcp_clnt -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, HELP.usage);
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_STREAM, 0);
    let sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: connect(sock, (struct sockaddr*)&serv_addr, sizeof(serv_addr));
    let serv_addr = SocketAddrV4::new(ip, port);
    sock.connect(&serv_addr.into()).or_die("connect() error!");

    // C: for(i=0; i<100; i++)  // busy waiting!!
    //        printf("Wait time %d \n", i);
    // Meanwhile the server's four writes arrive in our receive buffer.
    let mut stdout = std::io::stdout();
    for i in 0..100 {
        writeln!(stdout, "Wait time {i} ").or_die("write to stdout error");
    }

    // C: read(sock, message, sizeof(message));
    // ONE read of up to 30 bytes: it returns whatever has arrived, here
    // all 13 bytes of the four writes at once.
    let mut message = [0u8; BUF_SIZE];
    let str_len: usize = todo!("C: read(sock, message, sizeof(message))");

    // C: printf("Message from server: %s \n", message);
    // %s stops at the NUL the server sent last.
    let received = &message[..str_len];
    let text = received.split(|&b| b == 0).next().unwrap_or(received);
    stdout
        .write_all(b"Message from server: ")
        .and_then(|()| stdout.write_all(text))
        .and_then(|()| stdout.write_all(b" \n"))
        .or_die("write to stdout error");

    // C: close(sock);
    drop(sock);
    // ANCHOR_END: steps
}

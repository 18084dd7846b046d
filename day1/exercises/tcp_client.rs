//! tcp_client: read the server's reply one byte per `read` until end of
//! stream, and count the reads: TCP has no message boundaries.
//!
//! **Exercise starter** (`tcp_client`): this is tcp_client with its read loop
//! taken out. Write the steps marked `todo!()`, then check it:
//! `cargo run --bin check -- tcp_client`.
//!
//! - Course notes: 1일차, "소켓의 타입 1 : 연결지향형 소켓 (SOCK_STREAM)"
//!   ("전송되는 데이터의 경계(Boundary)가 존재하지 않는다": TCP data has
//!   no boundaries)
//! - C original: `ch02/tcp_client.c`
//! - Man pages: `socket(2)`, `connect(2)`, `read(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: one write(2) of 13 bytes
//! cargo run --bin tcp_server -- 9190
//! # terminal 2
//! cargo run --bin my_tcp_client -- 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 2), with a space before each newline as in C:
//!
//! ```text
//! Message from server: Hello World!
//! Function read call count: 13
//! ```
//!
//! The server wrote 13 bytes (`Hello World!` and its NUL) in one `write`;
//! the client took them in 13 `read`s of one byte. It then calls `read` a
//! 14th time: that one returns 0, which means end of stream (the server
//! closed), and ends the loop. The count is the number of reads that
//! returned a byte, so 13, not 14.
//!
//! # Differences from the C original
//!
//! - `<IP>` must be a dotted-decimal IPv4 address and `<port>` a number
//!   from 0 to 65535; C's `inet_addr` and `atoi` silently turn garbage
//!   into 255.255.255.255 and port 0.
//! - C reads into `char message[30]` with no bounds check and prints it
//!   with `%s`: a reply longer than 30 bytes overruns the buffer, and one
//!   without a NUL prints whatever follows in the uninitialised buffer
//!   (undefined behaviour both). The twin keeps every byte it reads and
//!   prints them up to the first NUL, or all of them if there is none.

// Until the todo!()s below are written, the code after them never runs
// and the compiler would call it unused: delete this line when you are done.
#![allow(unused, clippy::diverging_sub_expression)]

use std::io::Write;
use std::net::SocketAddrV4;

use common::OrDie;
use nix::unistd::read;
use socket2::{Domain, Socket, Type};

fn main() {
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, "<IP> <port>");
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_STREAM, 0);
    let sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: connect(sock, (struct sockaddr*)&serv_addr, sizeof(serv_addr));
    let serv_addr = SocketAddrV4::new(ip, port);
    sock.connect(&serv_addr.into()).or_die("connect() error!");

    // C: while(read_len=read(sock, &message[idx++], 1)) {
    //        ... str_len+=read_len; }
    // Ask for ONE byte per read(2), whatever the server's writes were.
    // read returns 1 while bytes remain, and 0 once the server has closed
    // and every byte is read: end of stream ends the loop.
    let mut message = Vec::new();
    let mut str_len = 0; // the reads that returned a byte
    todo!("C: while(read_len=read(sock, &message[idx++], 1)) str_len+=...");

    // C: printf("Message from server: %s \n", message);
    //    printf("Function read call count: %d \n", str_len);
    // %s stops at the NUL the server sent.
    let nul = message.iter().position(|&b| b == 0); // where %s would stop
    let text = &message[..nul.unwrap_or(message.len())]; // no NUL: all of it
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(b"Message from server: ")
        .and_then(|()| stdout.write_all(text))
        .and_then(|()| stdout.write_all(b" \n"))
        .and_then(|()| writeln!(stdout, "Function read call count: {str_len} "))
        .or_die("write to stdout error");

    // C: close(sock);
    drop(sock);
    // ANCHOR_END: steps
}

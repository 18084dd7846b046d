//! tcp_serv: sends `Hello World!` and its NUL to one client in four
//! `write`s of 4, 4, 4 and 1 bytes. The client cannot tell (see tcp_clnt).
//!
//! - Course notes: 1일차, "소켓의 타입 1 : 연결지향형 소켓 (SOCK_STREAM)"
//!   ("전송되는 데이터의 경계(Boundary)가 존재하지 않는다": TCP data has
//!   no boundaries); the answer to chapter 2, question 6
//! - C original: `TCPIP_Answer/Answer1/Ch02/Q6/tcp_serv.c`
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `accept(2)`,
//!   `write(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: four write(2)s on the client's socket
//! cargo build --bin tcp_serv
//! strace -e trace=write target/debug/tcp_serv 9190
//! # terminal 2: one read(2) gets all 13 bytes
//! cargo run --bin tcp_clnt -- 127.0.0.1 9190
//! ```
//!
//! The server prints nothing. Its trace ends with:
//!
//! ```text
//! write(4, "Hell", 4)                     = 4
//! write(4, "o Wo", 4)                     = 4
//! write(4, "rld!", 4)                     = 4
//! write(4, "\0", 1)                       = 1
//! ```
//!
//! # Differences from the C original
//!
//! - The C ignores what `write` returns. The twin reports a failed write
//!   as `write() error: <reason>`, and a write that took fewer bytes than
//!   its piece as `write() error: short write` (on a blocking socket with
//!   an empty send buffer it cannot happen).
//! - The port must be a number from 0 to 65535: C's `atoi("abc")` is
//!   silently port 0.
//! - socket2 accepts with `accept4(..., SOCK_CLOEXEC)`: a trace shows
//!   `accept4` where the C program shows `accept` (see hello_server).

use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use nix::unistd::write;
use socket2::{Domain, Socket, Type};

/// C: `char message[]="Hello World!";`: 13 bytes with the NUL, which
/// `sizeof(message)-12` puts in the last piece.
const MESSAGE: &[u8] = b"Hello World!\0";

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "tcp_serv: sends \"Hello World!\" in four writes: TCP keeps no \
     boundaries",
    "cargo run --bin tcp_serv -- 9190             # terminal 1, first
     cargo run --bin tcp_clnt -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: serv_sock=socket(PF_INET, SOCK_STREAM, 0);
    let serv_sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: serv_addr.sin_addr.s_addr=htonl(INADDR_ANY);
    //    serv_addr.sin_port=htons(atoi(argv[1]));
    //    bind(serv_sock, (struct sockaddr*) &serv_addr, sizeof(serv_addr));
    let serv_addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sock.bind(&serv_addr.into()).or_die("bind() error");

    // C: listen(serv_sock, 5);
    serv_sock.listen(5).or_die("listen() error");

    // C: clnt_sock=accept(serv_sock, (struct sockaddr*)&clnt_addr,
    //                     &clnt_addr_size);
    let (clnt_sock, _clnt_addr) = serv_sock.accept().or_die("accept() error");

    // C: write(clnt_sock, message, 4);
    //    write(clnt_sock, message+4, 4);
    //    write(clnt_sock, message+8, 4);
    //    write(clnt_sock, message+12, sizeof(message)-12);
    // Four write(2)s: "Hell", "o Wo", "rld!" and the NUL. TCP keeps the
    // bytes and their order, not where one write ended.
    for piece in [
        &MESSAGE[0..4],
        &MESSAGE[4..8],
        &MESSAGE[8..12],
        &MESSAGE[12..],
    ] {
        let written = write(&clnt_sock, piece).or_die("write() error");
        if written != piece.len() {
            common::error_handling("write() error: short write");
        }
    }

    // C: close(clnt_sock); return 0;
    // serv_sock is closed by the end of the process, as in the C.
    drop(clnt_sock);
    // ANCHOR_END: steps
}

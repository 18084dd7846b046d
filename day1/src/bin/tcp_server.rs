//! tcp_server: send `Hello World!` to one client in a single write, the
//! other half of tcp_client's lesson (one write, many reads).
//!
//! - Course notes: 1일차, "소켓의 타입 1 : 연결지향형 소켓 (SOCK_STREAM)"
//!   ("전송되는 데이터의 경계(Boundary)가 존재하지 않는다": TCP data has
//!   no boundaries)
//! - C original: `ch02/tcp_server.c`, which is `ch01/hello_server.c` with
//!   one more `#include` and different white space: the same program
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `accept(2)`,
//!   `write(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: the server waits in accept()
//! cargo run --bin tcp_server -- 9190
//! # terminal 2: the client reads the reply one byte per read()
//! cargo run --bin tcp_client -- 127.0.0.1 9190
//! ```
//!
//! The server prints nothing. Terminal 2 shows (a space before each
//! newline, as in C):
//!
//! ```text
//! Message from server: Hello World!
//! Function read call count: 13
//! ```
//!
//! The server made **one** `write` of 13 bytes; the client needed 13
//! `read`s to get them (and a 14th that returned 0: end of stream).
//!
//! # Differences from the C original
//!
//! - The port must be a number from 0 to 65535: C's `atoi("abc")` is
//!   silently port 0, and 70000 silently wraps to 4464.
//! - C ignores the result of `write`; the twin reports a failed write as
//!   `write() error: <reason>`.
//! - socket2 creates sockets with `SOCK_CLOEXEC` and accepts with
//!   `accept4(..., SOCK_CLOEXEC)`, so a trace shows `accept4` where the C
//!   program shows `accept`: the same call with a flags argument.

use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use nix::unistd::write;
use socket2::{Domain, Socket, Type};

/// C: `char message[]="Hello World!";`, sent with `sizeof(message)`: 13
/// bytes, the terminating NUL included.
const MESSAGE: &[u8] = b"Hello World!\0";

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "tcp_server: sends \"Hello World!\" to one client in a single write",
    "cargo run --bin tcp_server -- 9190             # terminal 1, first
     cargo run --bin tcp_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: serv_sock=socket(PF_INET, SOCK_STREAM, 0);
    // SOCK_STREAM: a byte stream, with no message boundaries.
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
    //                      &clnt_addr_size);
    let (clnt_sock, _clnt_addr) = serv_sock.accept().or_die("accept() error");

    // C: write(clnt_sock, message, sizeof(message));
    // ONE write of all 13 bytes (a blocking socket takes them all: see
    // hello_server). How the client reads them is up to the client: TCP
    // keeps the bytes and their order, not this one write.
    write(&clnt_sock, MESSAGE).or_die("write() error");

    // C: close(clnt_sock); close(serv_sock);
    // Closing sends FIN: the client's next read after the data returns 0.
    drop(clnt_sock);
    drop(serv_sock);
    // ANCHOR_END: steps
}

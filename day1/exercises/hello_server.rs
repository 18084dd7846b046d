//! hello_server: the smallest TCP server. It accepts one client, sends it
//! `Hello World!` and closes.
//!
//! **Exercise starter** (`hello_server`): this is hello_server with its
//! four steps (socket, bind, listen, accept) taken out. Write the steps
//! marked `todo!()`, then check it:
//! `cargo run --bin check -- hello_server`.
//!
//! - Course notes: 1일차, "소켓 → 바인드 → 리슨 → 엑셉트" (socket, bind,
//!   listen, accept: the four steps of a server socket)
//! - C original: `ch01/hello_server.c`
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `accept(2)`,
//!   `write(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: the server waits in accept()
//! cargo run --bin my_hello_server -- 9190
//! # terminal 2
//! cargo run --bin hello_client -- 127.0.0.1 9190
//! # or look at the raw bytes, the NUL included:
//! nc 127.0.0.1 9190 | od -c
//! ```
//!
//! Terminal 2 shows `Message from server: Hello World! `; the server
//! prints nothing and exits after that one client.
//!
//! # Differences from the C original
//!
//! - The port must be a number from 0 to 65535: C's `atoi("abc")` is
//!   silently port 0, and 70000 silently wraps to 4464.
//! - C ignores the result of `write`; the twin reports a failed write as
//!   `write() error: <reason>`.
//! - socket2 creates sockets with `SOCK_CLOEXEC`, and accepts with
//!   `accept4(..., SOCK_CLOEXEC)`, so a trace shows `accept4` where the C
//!   program shows `accept`: the same call with a flags argument, so that
//!   an `exec`ed program never inherits the socket.

// Until the todo!()s below are written, the code after them never runs
// and the compiler would call it unused: delete this line when you are done.
#![allow(unused, clippy::diverging_sub_expression)]

use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use nix::unistd::write;
use socket2::{Domain, Socket, Type};

/// C: `char message[]="Hello World!";`, sent with `sizeof(message)`: 13
/// bytes, the terminating NUL included, exactly as the C server sends.
const MESSAGE: &[u8] = b"Hello World!\0";

fn main() {
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, "<port>");
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: serv_sock=socket(PF_INET, SOCK_STREAM, 0);
    // Step 1, socket: a TCP endpoint, not yet with an address.
    let serv_sock: Socket =
        todo!("C: serv_sock=socket(PF_INET, SOCK_STREAM, 0)");

    // C: serv_addr.sin_addr.s_addr=htonl(INADDR_ANY);
    //    serv_addr.sin_port=htons(port);
    //    bind(serv_sock, (struct sockaddr*)&serv_addr, sizeof(serv_addr));
    // Step 2, bind: give it every local address and the port. SockAddr
    // stores the port in network byte order for us, as htons does.
    let serv_addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    todo!("C: bind(serv_sock, (struct sockaddr*)&serv_addr, ...)");

    // C: listen(serv_sock, 5);
    // Step 3, listen: from now on clients can connect; up to 5 wait in the
    // backlog until we accept them.
    todo!("C: listen(serv_sock, 5)");

    // C: clnt_sock=accept(serv_sock, (struct sockaddr*)&clnt_addr,
    //                   &clnt_addr_size);
    // Step 4, accept: block until a client connects, then get a *new*
    // socket for talking to it. serv_sock stays the doorkeeper.
    let (clnt_sock, _clnt_addr): (Socket, socket2::SockAddr) = todo!(
        "C: clnt_sock=accept(serv_sock, (struct sockaddr*)&clnt_addr, ...)"
    );

    // C: write(clnt_sock, message, sizeof(message));
    // A socket is a file descriptor: the very write(2) that writes files.
    // On a blocking TCP socket write returns only when all 13 bytes are in
    // the send buffer (a signal could cut it short; this program has no
    // handler), so one write is enough, as in C.
    write(&clnt_sock, MESSAGE).or_die("write() error");

    // C: close(clnt_sock); close(serv_sock);
    drop(clnt_sock);
    drop(serv_sock);
    // ANCHOR_END: steps
}

//! hello_itrserv: hello_server made iterative. It sends `Hello World!` to
//! a client, closes that connection, and accepts the next, one client
//! after another, until `accept` fails.
//!
//! - Course notes: 2일차, "lterative 서버의 구현" (sic: the notes write
//!   "lterative"); the answer to chapter 4, question 7
//! - C original: `TCPIP_Answer/Answer1/Ch04/Q7/hello_itrserv.c`
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `accept(2)`,
//!   `write(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: the server stays up; stop it with Ctrl+C
//! cargo run --bin hello_itrserv -- 9190
//! # terminal 2: as many times as you like
//! cargo run --bin hello_client -- 127.0.0.1 9190
//! cargo run --bin hello_client -- 127.0.0.1 9190
//! ```
//!
//! Each run of terminal 2 shows `Message from server: Hello World! `; the
//! server prints nothing. hello_server would have exited after the first.
//!
//! # Differences from the C original
//!
//! - The C ends silently with status 0 when `accept` fails; the twin also
//!   ends the loop there, but says why on stderr (`accept() error:
//!   <reason>`) and exits 1, as every program does on an error.
//! - C ignores the result of `write`: a client that has already reset
//!   its connection makes that `write` fail, and the C server dies of
//!   `SIGPIPE`. Rust ignores that signal, so the twin sees the error
//!   (`EPIPE`, `ECONNRESET`), reports `write() error: <reason>` on stderr
//!   and accepts the next client.
//! - The port must be a number from 0 to 65535: C's `atoi("abc")` is
//!   silently port 0.
//! - socket2 accepts with `accept4(..., SOCK_CLOEXEC)`: a trace shows
//!   `accept4` where the C program shows `accept` (see hello_server).

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
    "hello_itrserv: the hello server made iterative: greets clients one \
     after another",
    "cargo run --bin hello_itrserv -- 9190            # terminal 1, first
     cargo run --bin hello_client -- 127.0.0.1 9190   # terminal 2, then",
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
    // Clients that connect while one is served wait here, already
    // connected, until the loop comes back to accept.
    serv_sock.listen(5).or_die("listen() error");

    // C: while(1) {
    // The iterative server: one client per turn of the loop.
    let accept_error = loop {
        // C: clnt_sock=accept(serv_sock, (struct sockaddr*)&clnt_addr,
        //                     &clnt_addr_size);
        //    if(clnt_sock==-1) break;
        let clnt_sock = match serv_sock.accept() {
            Ok((clnt_sock, _clnt_addr)) => clnt_sock,
            Err(reason) => break reason,
        };

        // C: write(clnt_sock, message, sizeof(message));
        // 13 bytes fit in an empty send buffer: one write sends them all.
        if let Err(reason) = write(&clnt_sock, MESSAGE) {
            common::report("write() error", &reason);
        }

        // C: close(clnt_sock);
        // This client is done; only now is the next one accepted.
        drop(clnt_sock);
    };

    // C: close(serv_sock); return 0;
    drop(serv_sock);
    common::error_handling(&common::die::error_line(
        "accept() error",
        &accept_error,
    ));
    // ANCHOR_END: steps
}

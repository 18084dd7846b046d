//! echo_server: the iterative echo server. It serves five clients, one
//! after another, sending back every byte each one sends, then exits.
//!
//! - Course notes: 2일차, "lterative 서버의 구현" and "lterative 에코 서버 ,
//!   에코 클라이언트" (sic: the notes write "lterative")
//! - C original: `ch04/echo_server.c`
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `accept(2)`, `read(2)`,
//!   `write(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin echo_server -- 9190
//! # terminals 2 and 3: both connect, but only the first gets its echo
//! # until it quits with Q
//! cargo run --bin echo_client -- 127.0.0.1 9190
//! cargo run --bin echo_client -- 127.0.0.1 9190
//! ```
//!
//! Terminal 1 shows one line per client it accepts (a space before each
//! newline, as in C), and the server exits after the fifth:
//!
//! ```text
//! Connected client 1
//! Connected client 2
//! ```
//!
//! # Differences from the C original
//!
//! - The port must be a number from 0 to 65535: C's `atoi("abc")` is
//!   silently port 0, and 70000 silently wraps to 4464.
//! - A `read` or `write` error (a client that resets the connection) ends
//!   that client with a message on stderr (`client 1: read() error:
//!   Connection reset by peer (os error 104)`), and the server goes on with
//!   the next one. The C loop tests only `!= 0`, so a `-1` from `read` makes it
//!   loop forever, and a `write` to a vanished client kills it (`SIGPIPE`;
//!   Rust ignores that signal, so the twin sees the error `EPIPE`).
//! - `write` may write fewer bytes than asked; the twin writes again until
//!   every byte is sent. C assumes one `write` sends them all.
//! - socket2 accepts with `accept4(..., SOCK_CLOEXEC)`: a trace shows
//!   `accept4` where the C program shows `accept` (see hello_server).

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use common::die::error_line;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 1024`: at most this many bytes per `read`.
const BUF_SIZE: usize = 1024;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "echo_server: the iterative echo server: five clients, one after another",
    "cargo run --bin echo_server -- 9190             # terminal 1, first
     cargo run --bin echo_client -- 127.0.0.1 9190   # terminal 2, then",
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

    // C: serv_adr.sin_addr.s_addr=htonl(INADDR_ANY);
    //    serv_adr.sin_port=htons(atoi(argv[1]));
    //    bind(serv_sock, (struct sockaddr*)&serv_adr, sizeof(serv_adr));
    let serv_adr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sock.bind(&serv_adr.into()).or_die("bind() error");

    // C: listen(serv_sock, 5);
    // While we serve one client, up to 5 more wait here, already connected.
    serv_sock.listen(5).or_die("listen() error");

    // C: for(i=0; i<5; i++)
    // The iterative server: one accept per turn of the loop, and the next
    // accept only after this client has left.
    for i in 1..=5 {
        // C: clnt_sock=accept(serv_sock, (struct sockaddr*)&clnt_adr,
        //                      &clnt_adr_sz);
        let (clnt_sock, _clnt_adr) =
            serv_sock.accept().or_die("accept() error");

        // C: printf("Connected client %d \n", i+1);
        let mut stdout = std::io::stdout();
        writeln!(stdout, "Connected client {i} ")
            .or_die("write to stdout error");

        // C: while((str_len=read(clnt_sock, message, BUF_SIZE))!=0)
        //        write(clnt_sock, message, str_len);
        if let Err(reason) = echo_until_eof(&clnt_sock) {
            common::eprint_line(&format!("client {i}: {reason}"));
        }

        // C: close(clnt_sock);
        // Service for this client is over; only now can the next one in the
        // backlog be accepted.
        drop(clnt_sock);
    }

    // C: close(serv_sock); return 0;
    drop(serv_sock);
    // ANCHOR_END: steps
}

// ANCHOR: echo
/// C: `while((str_len=read(clnt_sock, message, BUF_SIZE))!=0)
/// write(clnt_sock, message, str_len);`
///
/// Reads whatever has arrived (1 to 1024 bytes) and writes exactly those
/// bytes back, until `read` returns 0: the client closed its side (EOF).
fn echo_until_eof(clnt_sock: &Socket) -> Result<(), String> {
    let mut message = [0u8; BUF_SIZE];
    loop {
        let str_len = read(clnt_sock, &mut message)
            .map_err(|e| error_line("read() error", &e))?;
        if str_len == 0 {
            return Ok(()); // EOF: the client called close
        }
        // write(2) may take fewer bytes than asked: write the rest too.
        let mut rest = &message[..str_len];
        while !rest.is_empty() {
            let written = write(clnt_sock, rest)
                .map_err(|e| error_line("write() error", &e))?;
            rest = &rest[written..];
        }
    }
}
// ANCHOR_END: echo

//! reuseaddr_on: reuseadr_eserver with `SO_REUSEADDR` always on, as the
//! C program is with its commented-out `setsockopt` restored: a server
//! that closed first can be started again on its port at once, while its
//! old connection still waits in TIME_WAIT.
//!
//! **Exercise starter** (`reuseaddr_on`): this is the solution with its
//! `setsockopt` step taken out. Write the steps marked `todo!()`, then check
//! it: `cargo run --bin check -- reuseaddr_on`.
//!
//! - Course notes: 3일차, "SO_REUSEADDR" (Time-wait, 주소의 재할당)
//! - The starter of the exercise `reuseaddr_on` (its solution:
//!   `day3/exercises/solutions/reuseaddr_on.rs`); built from
//!   `ch09/reuseadr_eserver.c`
//! - Man pages: `setsockopt(2)`, `socket(7)` (`SO_REUSEADDR`), `tcp(7)`,
//!   `bind(2)` (`EADDRINUSE`), `ss(8)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: the server
//! cargo run --bin my_reuseaddr_on -- 9190
//! # terminal 2: a client; type a line, see it echoed
//! nc 127.0.0.1 9190
//! # terminal 1: press Ctrl+C, so the SERVER closes first; then end nc.
//! ss -tan state time-wait '( sport = :9190 )'    # the old connection
//! cargo run --bin my_reuseaddr_on -- 9190  # binds at once
//! ```
//!
//! Linux lets a new socket take a port held by a TIME_WAIT socket only
//! when *both* have `SO_REUSEADDR`: the TIME_WAIT socket is the old
//! server's connection, which kept the option of the listening socket it
//! was accepted from. Setting it on every run, as here, is what servers
//! do.
//!
//! # Differences from reuseadr_eserver
//!
//! No `--reuseaddr` switch: the option is always on, and the usage line
//! is the C program's, `Usage : <prog> <port>`.

// Until the todo!()s below are written, the code after them never runs
// and the compiler would call it unused: delete this line when you are done.
#![allow(unused, clippy::diverging_sub_expression)]

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use nix::unistd::read;
use socket2::{Domain, Socket, Type};

/// C: `char message[30];`: the server reads at most 30 bytes at a time.
const BUF_SIZE: usize = 30;

fn main() {
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, "<port>");
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: serv_sock=socket(PF_INET, SOCK_STREAM, 0);
    let serv_sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // ANCHOR: reuseaddr
    // C: optlen=sizeof(option); option=TRUE;
    //    setsockopt(serv_sock, SOL_SOCKET, SO_REUSEADDR, &option, optlen);
    // Before bind: with it, bind may take a port that a connection in
    // TIME_WAIT still holds (if that one had the option too).
    todo!(
        "C: setsockopt(serv_sock, SOL_SOCKET, SO_REUSEADDR, &option, optlen)"
    );
    // ANCHOR_END: reuseaddr

    // C: serv_adr.sin_addr.s_addr=htonl(INADDR_ANY);
    //    serv_adr.sin_port=htons(atoi(argv[1]));
    //    if(bind(serv_sock, ...)) error_handling("bind() error ");
    // Fails with EADDRINUSE while the last server's connection waits in
    // TIME_WAIT. "bind() error " keeps the C message's trailing space.
    let serv_adr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sock.bind(&serv_adr.into()).or_die("bind() error ");

    // C: if(listen(serv_sock, 5)==-1) error_handling("listen error");
    serv_sock.listen(5).or_die("listen error"); // (sic) no "()", as in C

    // C: clnt_sock=accept(serv_sock, (struct sockaddr*)&clnt_adr,
    //                   &clnt_adr_sz);
    let (clnt_sock, _clnt_adr) = serv_sock.accept().or_die("accept() error");

    // C: while((str_len=read(clnt_sock, message, sizeof(message)))!= 0) {
    //        write(clnt_sock, message, str_len); write(1, message, str_len); }
    // Echo each piece back, and show it raw on stdout, until the client
    // closes (read returns 0).
    let mut message = [0u8; BUF_SIZE];
    let mut stdout = std::io::stdout();
    loop {
        let str_len = read(&clnt_sock, &mut message).or_die("read() error");
        if str_len == 0 {
            break;
        }
        let piece = &message[..str_len];
        (&clnt_sock).write_all(piece).or_die("write() error");
        stdout.write_all(piece).or_die("write() error");
        stdout.flush().or_die("write() error");
    }

    // C: close(clnt_sock); return 0;
    // Whoever closes first goes into TIME_WAIT: here the client did.
    drop(clnt_sock);
    drop(serv_sock);
    // ANCHOR_END: steps
}

//! reuseadr_eserver: an echo server for one client, to watch TIME_WAIT
//! block a restart and `SO_REUSEADDR` lift the block.
//!
//! - Course notes: 3일차, "SO_REUSEADDR" (Time-wait, 주소의 재할당)
//! - C original: `ch09/reuseadr_eserver.c`
//! - Man pages: `setsockopt(2)`, `socket(7)` (`SO_REUSEADDR`), `tcp(7)`,
//!   `bind(2)` (`EADDRINUSE`), `ss(8)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: the server, without SO_REUSEADDR (as the C program)
//! cargo run --bin reuseadr_eserver -- 9190
//! # terminal 2: a client; type a line, see it echoed
//! nc 127.0.0.1 9190
//! # no nc? sudo apt install netcat-openbsd (Debian/Ubuntu), or use
//! # echo_client instead
//! # terminal 1: press Ctrl+C, so the SERVER closes first; then end nc.
//! ss -tan state time-wait '( sport = :9190 )'    # the server's old socket
//! cargo run --bin reuseadr_eserver -- 9190
//! # bind() error : Address already in use ...
//! ```
//!
//! With `--reuseaddr` the server sets `SO_REUSEADDR` before `bind`, as
//! the C program does when its commented-out `setsockopt` is restored.
//! Repeat the steps on a fresh port, with the switch on *both* runs (the
//! one you stop with Ctrl+C and the restart), and the restart binds at
//! once:
//!
//! ```sh
//! cargo run --bin reuseadr_eserver -- 9191 --reuseaddr   # first run
//! cargo run --bin reuseadr_eserver -- 9191 --reuseaddr   # the restart
//! ```
//!
//! Why both runs: Linux lets a new socket take a port held by a TIME_WAIT
//! socket only when *both* sockets have `SO_REUSEADDR`, and the TIME_WAIT
//! socket is the old server's connection, which kept the option of the
//! listening socket it was accepted from. So right after the failed
//! restart on 9190, `--reuseaddr` on 9190 fails too, until the old
//! TIME_WAIT ends (60 s): use a fresh port for the second demo. (The C
//! program with its `setsockopt` restored sets the option on every run,
//! so there the question never comes up.)
//!
//! The server prints each piece it receives, raw, and exits when the
//! client closes.
//!
//! # Differences from the C original
//!
//! - `--reuseaddr` switches on the `setsockopt(SO_REUSEADDR)` that the C
//!   source keeps in a comment: no recompiling in class. The usage line is
//!   `Usage : <prog> <port> [--reuseaddr]`.
//! - The port must be a number from 0 to 65535 (`atoi` takes `abc` as 0).
//! - `accept`, `read` and `write` are checked (`accept() error`, ...): the
//!   C program checks none, and a failed `read` (-1) makes it loop forever.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use nix::unistd::read;
use socket2::{Domain, Socket, Type};

/// C: `char message[30];`: the server reads at most 30 bytes at a time.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port> [--reuseaddr]",
    "reuseadr_eserver: an echo server for one client, to watch TIME_WAIT and \
     SO_REUSEADDR",
    "cargo run --bin reuseadr_eserver -- 9190        # terminal 1, first
     cargo run --bin echo_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    // The twin also takes the switch that the C program has as a comment.
    let args = common::die::utf8_args();
    let reuseaddr = match args.as_slice() {
        [_port] => false,
        [_port, switch] if switch == "--reuseaddr" => true,
        _ => common::die::usage_exit(HELP.prefix, HELP.usage),
    };
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: serv_sock=socket(PF_INET, SOCK_STREAM, 0);
    let serv_sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: /* optlen=sizeof(option); option=TRUE;
    //       setsockopt(serv_sock, SOL_SOCKET, SO_REUSEADDR,
    //                  &option, optlen); */
    // Commented out in C, a switch here. With it, bind may take a port
    // that a connection in TIME_WAIT still holds.
    if reuseaddr {
        serv_sock
            .set_reuse_address(true)
            .or_die("setsockopt() error");
    }

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
    //                      &clnt_adr_sz);
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
        stdout.write_all(piece).or_die("write to stdout error");
        stdout.flush().or_die("write to stdout error");
    }

    // C: close(clnt_sock); return 0;
    // Whoever closes first goes into TIME_WAIT: here the client did.
    drop(clnt_sock);
    drop(serv_sock);
    // ANCHOR_END: steps
}

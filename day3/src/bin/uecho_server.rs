//! uecho_server: a UDP echo server. One socket, no listen, no accept:
//! every datagram goes back to whoever sent it.
//!
//! - Course notes: 3일차, "UDP기반 서버 / 클라이언트의 구현" (UDP에서는 서버,
//!   클라이언트 상관없이 하나의 소켓만 있으면 가능)
//! - C original: `ch06/uecho_server.c`
//! - Man pages: `socket(2)`, `bind(2)`, `recvfrom(2)`, `sendto(2)`, `udp(7)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: the server prints nothing and runs until Ctrl+C
//! cargo run --bin uecho_server -- 9190
//! # terminal 2 (and 3, and 4: one socket serves them all)
//! cargo run --bin uecho_client -- 127.0.0.1 9190
//! # or send one datagram by hand and see it come back:
//! nc -u 127.0.0.1 9190
//! # no nc? sudo apt install netcat-openbsd (Debian/Ubuntu), or use
//! # uecho_client instead
//! ```
//!
//! The server prints nothing. Each client sees its own lines come back:
//!
//! ```text
//! Insert message(q to quit): Hi UDP
//! Message from server: Hi UDP
//! ```
//!
//! # Differences from the C original
//!
//! - `<port>` must be a number from 0 to 65535 (C's `atoi` turns `abc`
//!   into port 0).
//! - The C program ignores the results of `recvfrom` and `sendto`. The
//!   twin stops with `recvfrom() error: <reason>` if receiving fails (the
//!   socket itself is broken), but a failed `sendto` to one client is only
//!   reported on stderr (`sendto() error: <reason>`) and the server goes
//!   on serving the others.
//! - socket2 creates the socket with `SOCK_CLOEXEC`.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::os::fd::AsRawFd;

use common::OrDie;
use nix::sys::socket::{MsgFlags, SockaddrIn, recvfrom, sendto};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`: a longer datagram is cut to 30 bytes.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "uecho_server: the UDP echo server: one socket, no listen, no accept",
    "cargo run --bin uecho_server -- 9190             # terminal 1, first
     cargo run --bin uecho_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: serv_sock=socket(PF_INET, SOCK_DGRAM, 0);
    // SOCK_DGRAM: a mailbox for letters (datagrams), not a telephone line.
    let serv_sock = Socket::new(Domain::IPV4, Type::DGRAM, None)
        .or_die("UDP socket creation error");

    // C: bind(serv_sock, (struct sockaddr*)&serv_adr, sizeof(serv_adr));
    // The server binds so that clients know where to send. There is no
    // listen and no accept: UDP has no connections to wait for.
    let serv_adr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sock.bind(&serv_adr.into()).or_die("bind() error");

    let mut message = [0u8; BUF_SIZE];
    loop {
        // C: str_len=recvfrom(serv_sock, message, BUF_SIZE, 0,
        //                     (struct sockaddr*)&clnt_adr, &clnt_adr_sz);
        // One call, one whole datagram, and the sender's address written
        // on its "envelope": from any client, on this one socket.
        let (str_len, clnt_adr) =
            recvfrom::<SockaddrIn>(serv_sock.as_raw_fd(), &mut message)
                .or_die("recvfrom() error");

        // C: sendto(serv_sock, message, str_len, 0,
        //           (struct sockaddr*)&clnt_adr, clnt_adr_sz);
        // Reply to the address the datagram came from.
        let Some(clnt_adr) = clnt_adr else {
            continue; // no sender address: nobody to answer
        };
        let sent = sendto(
            serv_sock.as_raw_fd(),
            &message[..str_len],
            &clnt_adr,
            MsgFlags::empty(),
        );
        if let Err(reason) = sent {
            common::report("sendto() error", &reason);
        }
    }
    // ANCHOR_END: steps
}

//! bound_host2: the sending half of the boundary demo. Three `sendto`
//! calls, three datagrams of 4, 22 and 17 bytes, then it exits.
//!
//! - Course notes: 3일차, "UDP기반 서버 / 클라이언트의 구현" (UDP 기반의
//!   데이터 입출력 함수)
//! - C original: `ch06/bound_host2.c`
//! - Man pages: `socket(2)`, `sendto(2)`, `udp(7)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: sleeps 5 s before each receive
//! cargo run --bin bound_host1 -- 9190
//! # terminal 2: prints nothing, exits at once
//! cargo run --bin bound_host2 -- 127.0.0.1 9190
//! # or see the three datagrams, NULs included, arrive one by one:
//! nc -u -l 9190 | od -c
//! # no nc? sudo apt install netcat-openbsd (Debian/Ubuntu), or use
//! # bound_host1 instead
//! ```
//!
//! bound_host2 prints nothing, and it cannot know whether anyone got its
//! letters: it exits at once even if nobody listens on the port.
//!
//! # Differences from the C original
//!
//! - `<IP>` must be dotted-decimal IPv4 and `<port>` 0 to 65535.
//! - The C program ignores what `sendto` returns; the twin reports
//!   `sendto() error: <reason>` and exits 1 (for example when the address
//!   cannot be reached at all).

use std::net::SocketAddrV4;
use std::os::fd::AsRawFd;

use common::OrDie;
use nix::sys::socket::{MsgFlags, SockaddrIn, sendto};
use socket2::{Domain, Socket, Type};

/// C: `char msg1[]="Hi!";` sent with `sizeof(msg1)`: 4 bytes, NUL included.
const MSG1: &[u8] = b"Hi!\0";
/// C: `char msg2[]="I'm another UDP host!";`: 22 bytes with the NUL.
const MSG2: &[u8] = b"I'm another UDP host!\0";
/// C: `char msg3[]="Nice to meet you";`: 17 bytes with the NUL.
const MSG3: &[u8] = b"Nice to meet you\0";

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "bound_host2: sends three datagrams to bound_host1, then exits",
    "cargo run --bin bound_host1 -- 9190             # terminal 1, first
     cargo run --bin bound_host2 -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, HELP.usage);
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_DGRAM, 0);
    let sock =
        Socket::new(Domain::IPV4, Type::DGRAM, None).or_die("socket() error");
    let your_adr = SockaddrIn::from(SocketAddrV4::new(ip, port));

    // C: sendto(sock, msg1, sizeof(msg1), 0, (struct sockaddr*)&your_adr, ...);
    //    sendto(sock, msg2, sizeof(msg2), 0, ...);
    //    sendto(sock, msg3, sizeof(msg3), 0, ...);
    // Three letters, three envelopes: each sendto is one datagram, and
    // the receiver will get exactly these three, never a mix.
    for msg in [MSG1, MSG2, MSG3] {
        sendto(sock.as_raw_fd(), msg, &your_adr, MsgFlags::empty())
            .or_die("sendto() error");
    }

    // C: close(sock);
    drop(sock);
    // ANCHOR_END: steps
}

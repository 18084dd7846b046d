//! bound_host1: the receiving half of the boundary demo. It sleeps before
//! each of its three `recvfrom` calls, so all three datagrams are already
//! waiting, and still it receives them one by one: UDP keeps boundaries.
//!
//! - Course notes: 3일차, "UDP기반 서버 / 클라이언트의 구현" (UDP 기반의
//!   데이터 입출력 함수)
//! - C original: `ch06/bound_host1.c`
//! - Man pages: `socket(2)`, `bind(2)`, `recvfrom(2)`, `sleep(3)`, `udp(7)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: 5 s pass before each receive (15 s in all)
//! cargo run --bin bound_host1 -- 9190
//! # terminal 2, at once: three sendto calls, then it exits
//! cargo run --bin bound_host2 -- 127.0.0.1 9190
//! # faster, for a demo: TCPIP_SLEEP_SCALE=0.2 makes each sleep 1 s
//! ```
//!
//! Expected output (terminal 1), with a space before each newline:
//!
//! ```text
//! Message 1: Hi!
//! Message 2: I'm another UDP host!
//! Message 3: Nice to meet you
//! ```
//!
//! Over TCP the same three writes could come out of one read as one
//! piece (day 1's tcp_client); here each `recvfrom` takes exactly one
//! datagram, however many are waiting.
//!
//! # Differences from the C original
//!
//! - `<port>` must be a number from 0 to 65535.
//! - The 5-second sleeps are scaled by `TCPIP_SLEEP_SCALE` (default 1),
//!   so the tests run fast.
//! - C prints `message` with `%s` and never looks at `str_len`: a
//!   datagram without a NUL prints leftovers of the previous one, or runs
//!   past the buffer. The twin prints the bytes received, up to a NUL.
//! - `recvfrom` is checked: `recvfrom() error: <reason>`, exit 1.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::os::fd::AsRawFd;

use common::OrDie;
use nix::sys::socket::{SockaddrIn, recvfrom};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "bound_host1: receives three datagrams, 5 s apart: UDP keeps its \
     boundaries",
    "cargo run --bin bound_host1 -- 9190             # terminal 1, first
     cargo run --bin bound_host2 -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    common::check_sleep_scale(); // a bad TCPIP_SLEEP_SCALE: exit 1 now
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_DGRAM, 0);
    let sock =
        Socket::new(Domain::IPV4, Type::DGRAM, None).or_die("socket() error");

    // C: bind(sock, (struct sockaddr*)&my_adr, sizeof(my_adr));
    let my_adr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    sock.bind(&my_adr.into()).or_die("bind() error");

    let mut message = [0u8; BUF_SIZE];
    let mut stdout = std::io::stdout().lock();
    for i in 0..3 {
        // C: sleep(5);
        // Meanwhile the sender's datagrams pile up in the input buffer.
        common::sleep(5);

        // C: str_len=recvfrom(sock, message, BUF_SIZE, 0,
        //                     (struct sockaddr*)&your_adr, &adr_sz);
        // One call takes one datagram, never two glued together.
        let (str_len, _your_adr) =
            recvfrom::<SockaddrIn>(sock.as_raw_fd(), &mut message)
                .or_die("recvfrom() error");

        // C: printf("Message %d: %s \n", i+1, message);
        // %s stops at the NUL the sender sent with sizeof.
        let received = &message[..str_len];
        let text = received.split(|&b| b == 0).next().unwrap_or(received);
        write!(stdout, "Message {}: ", i + 1)
            .and_then(|()| stdout.write_all(text))
            .and_then(|()| stdout.write_all(b" \n"))
            .and_then(|()| stdout.flush())
            .or_die("write to stdout error");
    }
    // C: close(sock);
    drop(sock);
    // ANCHOR_END: steps
}

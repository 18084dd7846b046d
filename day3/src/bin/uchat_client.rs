//! uchat_client: the client of uchat_server. It speaks first: it sends
//! the line its user types, then waits for the server's line; `q` ends.
//!
//! - Course notes: 3일차, "UDP 기반 서버 / 클라이언트" and "UDP 클라이언트
//!   소켓의 주소정보 할당" (no bind: the first sendto gives the socket
//!   its address); the answer to chapter 6, question 7
//! - C original: `TCPIP_Answer/Answer1/Ch06/Q7/uchat_client.c`
//! - Man pages: `socket(2)`, `sendto(2)`, `recvfrom(2)`, `fgets(3)`,
//!   `udp(7)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin uchat_server -- 9190
//! # terminal 2: speaks first
//! cargo run --bin uchat_client -- 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 2, the typed lines shown after the prompt):
//!
//! ```text
//! Insert message(q to quit): Hi server
//! Message from server: Hi client
//! Insert message(q to quit): q
//! ```
//!
//! After sending, the client blocks in `recvfrom` until the server's
//! user has typed an answer: the two take turns.
//!
//! # Differences from the C original
//!
//! - The C writes the NUL at `message[str_len]`: after a datagram of 30
//!   bytes that is one byte past the buffer (undefined behaviour). The
//!   twin prints the bytes it received, up to a NUL if there is one.
//! - End of input quits like `q` (the C would send its last line again
//!   and again).
//! - `<IP>` must be dotted-decimal IPv4 and `<port>` 0 to 65535;
//!   `sendto`, `recvfrom` and the writes to stdout are checked.

use std::io::Write;
use std::net::SocketAddrV4;
use std::os::fd::AsRawFd;

use common::OrDie;
use nix::sys::socket::{MsgFlags, SockaddrIn, recvfrom, sendto};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`, the size of `message[]`.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "uchat_client: a turn-taking UDP chat, client side (speaks first)",
    "cargo run --bin uchat_server -- 9190             # terminal 1, first
     cargo run --bin uchat_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: a closed pipe ends it quietly
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, HELP.usage);
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_DGRAM, 0);
    // No bind: the first sendto gives the socket an address and a port.
    let sock =
        Socket::new(Domain::IPV4, Type::DGRAM, None).or_die("socket() error");
    let serv_adr = SockaddrIn::from(SocketAddrV4::new(ip, port));

    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    loop {
        // C: fputs("Insert message(q to quit): ", stdout);
        stdout
            .write_all(b"Insert message(q to quit): ")
            .and_then(|()| stdout.flush())
            .or_die("write to stdout error");

        // C: fgets(message, sizeof(message), stdin);
        //    if(!strcmp(message,"q\n") || !strcmp(message,"Q\n")) break;
        // Our turn: at most 29 bytes, as fgets reads into 30.
        let Some(message) =
            common::fgets(&mut stdin, BUF_SIZE).or_die("read from stdin error")
        else {
            break; // end of input: quit, like q
        };
        if message == b"q\n" || message == b"Q\n" {
            break;
        }

        // C: sendto(sock, message, strlen(message), 0,
        //           (struct sockaddr*)&serv_adr, sizeof(serv_adr));
        sendto(sock.as_raw_fd(), &message, &serv_adr, MsgFlags::empty())
            .or_die("sendto() error");

        // C: str_len=recvfrom(sock, message, BUF_SIZE, 0,
        //                     (struct sockaddr*)&from_adr, &adr_sz);
        // The server's turn: wait until its user has answered.
        let mut reply = [0u8; BUF_SIZE];
        let (str_len, _from_adr) =
            recvfrom::<SockaddrIn>(sock.as_raw_fd(), &mut reply)
                .or_die("recvfrom() error");

        // C: message[str_len]=0; printf("Message from server: %s", message);
        let received = &reply[..str_len];
        let text = received.split(|&b| b == 0).next().unwrap_or(received);
        stdout
            .write_all(b"Message from server: ")
            .and_then(|()| stdout.write_all(text))
            .or_die("write to stdout error");
    }

    // C: close(sock);
    drop(sock);
    // ANCHOR_END: steps
}

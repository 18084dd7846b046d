//! uecho_client: a UDP echo client. No connect: every line goes out with
//! `sendto` and the server's address, like a letter with an envelope.
//!
//! - Course notes: 3일차, "UDP 클라이언트 소켓의 주소정보 할당" (sendto
//!   assigns the client's IP and PORT the first time it is called)
//! - C original: `ch06/uecho_client.c`
//! - Man pages: `socket(2)`, `sendto(2)`, `recvfrom(2)`, `fgets(3)`, `udp(7)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin uecho_server -- 9190
//! # terminal 2
//! cargo run --bin uecho_client -- 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 2, the typed lines shown after the prompt):
//!
//! ```text
//! Insert message(q to quit): Hi UDP
//! Message from server: Hi UDP
//! Insert message(q to quit): q
//! ```
//!
//! A line longer than 29 bytes goes out as several datagrams (fgets reads
//! at most 29 bytes into its 30-byte buffer), and each comes back alone.
//!
//! A lost datagram blocks the client: if no answer ever comes (server
//! not running, datagram dropped), `recvfrom` waits forever, as in C.
//! UDP has no acknowledgement and no retransmission; a real program sets
//! a receive timeout (`SO_RCVTIMEO`) and sends again. Press Ctrl+C.
//!
//! # Differences from the C original
//!
//! - `<IP>` must be dotted-decimal IPv4 and `<port>` 0 to 65535 (C's
//!   `inet_addr` and `atoi` silently accept garbage).
//! - End of input quits like `q` (the C client would resend its last
//!   line forever).
//! - The C `recvfrom` may fill all 30 bytes and then writes the NUL at
//!   `message[30]`, past the buffer; the twin prints the bytes it
//!   received, up to a NUL as `%s` does.
//! - C's `strlen` stops at a NUL typed in the input; the twin sends every
//!   byte `fgets` read.
//! - `sendto` and `recvfrom` are checked: `sendto() error: <reason>`,
//!   `recvfrom() error: <reason>`, exit 1.

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
    "uecho_client: the UDP echo client: every line goes out with sendto",
    "cargo run --bin uecho_server -- 9190             # terminal 1, first
     cargo run --bin uecho_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
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
        // At most 29 bytes: the rest of a longer line waits for the next turn.
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
        // Every letter carries the address: the socket is not connected.
        sendto(sock.as_raw_fd(), &message, &serv_adr, MsgFlags::empty())
            .or_die("sendto() error");

        // C: str_len=recvfrom(sock, message, BUF_SIZE, 0,
        //                     (struct sockaddr*)&from_adr, &adr_sz);
        // Blocks until a datagram comes: if ours was lost, forever.
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

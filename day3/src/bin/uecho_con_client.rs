//! uecho_con_client: the UDP echo client with a *connected* UDP socket:
//! `connect` once registers the server's address, then plain `write` and
//! `read` do the work of `sendto` and `recvfrom`.
//!
//! - Course notes: 3일차, "connected UDP 소켓, unconnected UDP 소켓"
//!   (UDP 소켓을 대상으로 connect 함수만 호출해주면 됨)
//! - C original: `ch06/uecho_con_client.c`
//! - Man pages: `socket(2)`, `connect(2)`, `write(2)`, `read(2)`, `udp(7)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin uecho_server -- 9190
//! # terminal 2
//! cargo run --bin uecho_con_client -- 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 2), the same as uecho_client's:
//!
//! ```text
//! Insert message(q to quit): Hi UDP
//! Message from server: Hi UDP
//! Insert message(q to quit): q
//! ```
//!
//! `connect` on a UDP socket sends nothing: no handshake, the kernel only
//! writes the destination on the socket, so it no longer has to be
//! registered and removed at every `sendto`. The socket now also takes
//! datagrams only from that address, and hears about a port where nobody
//! listens: `read` then fails with `Connection refused`.
//!
//! # Differences from the C original
//!
//! - `<IP>` must be dotted-decimal IPv4 and `<port>` 0 to 65535.
//! - End of input quits like `q` (the C client would resend forever).
//! - The C program checks neither `connect` nor `write` nor `read`; the
//!   twin reports `connect() error: <reason>`, `write() error: <reason>`
//!   and `read() error: <reason>` and exits 1. (When `read` fails, the C
//!   program writes its NUL at `message[-1]`: undefined behaviour.)
//! - C prints with `%s`; the twin prints the bytes read, up to a NUL.

use std::io::Write;
use std::net::SocketAddrV4;

use common::OrDie;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`; the C reads `sizeof(message)-1` = 29 bytes.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "uecho_con_client: the UDP echo client with a connected UDP socket",
    "cargo run --bin uecho_server -- 9190                 # terminal 1, first
     cargo run --bin uecho_con_client -- 127.0.0.1 9190   # terminal 2, then",
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

    // C: connect(sock, (struct sockaddr*)&serv_adr, sizeof(serv_adr));
    // Once: the server's address is now written on the socket (and the
    // socket gets its own address and port, as the first sendto would).
    let serv_adr = SocketAddrV4::new(ip, port);
    sock.connect(&serv_adr.into()).or_die("connect() error");

    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    loop {
        // C: fputs("Insert message(q to quit): ", stdout);
        stdout
            .write_all(b"Insert message(q to quit): ")
            .and_then(|()| stdout.flush())
            .or_die("write to stdout error");

        // C: fgets(message, sizeof(message), stdin);
        let Some(message) =
            common::fgets(&mut stdin, BUF_SIZE).or_die("read from stdin error")
        else {
            break; // end of input: quit, like q
        };
        if message == b"q\n" || message == b"Q\n" {
            break;
        }

        // C: write(sock, message, strlen(message));
        // No address: the socket already knows where its letters go.
        // A UDP write sends one whole datagram or nothing.
        write(&sock, &message).or_die("write() error");

        // C: str_len=read(sock, message, sizeof(message)-1);
        let mut reply = [0u8; BUF_SIZE];
        let str_len =
            read(&sock, &mut reply[..BUF_SIZE - 1]).or_die("read() error");

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

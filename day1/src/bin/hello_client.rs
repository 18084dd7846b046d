//! hello_client: connect to a server and print the one message it sends.
//!
//! - Course notes: 1일차, "소켓 → 바인드 → 리슨 → 엑셉트" (the client's side:
//!   socket, then connect)
//! - C original: `ch01/hello_client.c`
//! - Man pages: `socket(2)`, `connect(2)`, `read(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin hello_server -- 9190
//! # terminal 2
//! cargo run --bin hello_client -- 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 2), with a space before the newline as in C:
//!
//! ```text
//! Message from server: Hello World!
//! ```
//!
//! # Differences from the C original
//!
//! - `<IP>` must be a dotted-decimal IPv4 address and `<port>` a number
//!   from 0 to 65535; C's `inet_addr` and `atoi` silently turn garbage
//!   into 255.255.255.255 and port 0.
//! - C prints the buffer with `%s`, so it stops at the server's NUL (and
//!   reads past the buffer if no NUL came: undefined behaviour). The twin
//!   prints the bytes up to the first NUL, or all it read if there is none.

use std::io::Write;
use std::net::SocketAddrV4;

use common::OrDie;
use nix::unistd::read;
use socket2::{Domain, Socket, Type};

/// C: `char message[30];`, read with `sizeof(message)-1`.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "hello_client: connects to hello_server and prints the message it sends",
    "cargo run --bin hello_server -- 9190             # terminal 1, first
     cargo run --bin hello_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, HELP.usage);
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_STREAM, 0);
    let sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: connect(sock, (struct sockaddr*)&serv_addr, sizeof(serv_addr));
    // A client needs no bind: connect gives the socket a local port itself.
    let serv_addr = SocketAddrV4::new(ip, port);
    sock.connect(&serv_addr.into()).or_die("connect() error!");

    // C: str_len=read(sock, message, sizeof(message)-1);
    // ONE read of at most 29 bytes, as in C (room for a NUL is kept): it
    // returns what has arrived, enough for a 13-byte message on a local
    // network. A longer reply is cut; the rest is never read.
    let mut message = [0u8; BUF_SIZE];
    let str_len =
        read(&sock, &mut message[..BUF_SIZE - 1]).or_die("read() error!");

    // C: printf("Message from server: %s \n", message);
    // %s stops at the NUL the server sent.
    let received = &message[..str_len];
    let nul = received.iter().position(|&b| b == 0); // where %s would stop
    let text = &received[..nul.unwrap_or(received.len())]; // no NUL: all of it
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(b"Message from server: ")
        .and_then(|()| stdout.write_all(text))
        .and_then(|()| stdout.write_all(b" \n"))
        .or_die("write to stdout error");

    // C: close(sock);
    drop(sock);
    // ANCHOR_END: steps
}

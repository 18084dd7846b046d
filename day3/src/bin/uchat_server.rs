//! uchat_server: a turn-taking chat over UDP. It waits for a client's
//! line, shows it, and sends back the line its own user types; `q` ends.
//!
//! - Course notes: 3일차, "UDP 기반 서버 / 클라이언트" (recvfrom tells
//!   who sent a datagram; sendto answers that address); the answer to
//!   chapter 6, question 7
//! - C original: `TCPIP_Answer/Answer1/Ch06/Q7/uchat_server.c`
//! - Man pages: `socket(2)`, `bind(2)`, `recvfrom(2)`, `sendto(2)`,
//!   `fgets(3)`, `udp(7)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: waits for the client to speak first
//! cargo run --bin uchat_server -- 9190
//! # terminal 2
//! cargo run --bin uchat_client -- 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 1, the typed lines shown after the prompt):
//!
//! ```text
//! Message from client: Hi server
//! Insert message(q to quit): Hi client
//! ```
//!
//! The turns alternate: client, server, client... Each side blocks in
//! `recvfrom` until the other has typed its line. `q` ends only the side
//! that types it: UDP has no connection, so when the client quits, the
//! server just waits for the next datagram (Ctrl+C), and when the server
//! quits, the client waits for an answer that never comes.
//!
//! # Differences from the C original
//!
//! - The C writes the NUL at `message[str_len]`: after a datagram of 30
//!   bytes that is one byte past the buffer (undefined behaviour). The
//!   twin prints the bytes it received, up to a NUL if there is one.
//! - End of input quits like `q` (the C would send its last line again
//!   and again).
//! - `<port>` must be a number from 0 to 65535; `recvfrom`, `sendto` and
//!   the writes to stdout are checked (the C checks none).

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::os::fd::AsRawFd;

use common::OrDie;
use nix::sys::socket::{MsgFlags, SockaddrIn, recvfrom, sendto};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`, the size of `message[]`.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "uchat_server: a turn-taking UDP chat, server side",
    "cargo run --bin uchat_server -- 9190             # terminal 1, first
     cargo run --bin uchat_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: a closed pipe ends it quietly
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: serv_sock=socket(PF_INET, SOCK_DGRAM, 0);
    let serv_sock = Socket::new(Domain::IPV4, Type::DGRAM, None)
        .or_die("UDP socket creation error");

    // C: bind(serv_sock, (struct sockaddr*)&serv_adr, sizeof(serv_adr));
    // The server's address is known: the client sends here first.
    let serv_adr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sock.bind(&serv_adr.into()).or_die("bind() error");

    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    loop {
        // C: str_len=recvfrom(serv_sock, message, BUF_SIZE, 0,
        //                     (struct sockaddr*)&clnt_adr, &clnt_adr_sz);
        // The client's turn: wait for its datagram, and note who sent it.
        let mut message = [0u8; BUF_SIZE];
        let (str_len, clnt_adr) =
            recvfrom::<SockaddrIn>(serv_sock.as_raw_fd(), &mut message)
                .or_die("recvfrom() error");
        let Some(clnt_adr) = clnt_adr else {
            continue; // no sender address: nobody to answer
        };

        // C: message[str_len]=0; printf("Message from client: %s", message);
        let received = &message[..str_len];
        let text = received.split(|&b| b == 0).next().unwrap_or(received);
        stdout
            .write_all(b"Message from client: ")
            .and_then(|()| stdout.write_all(text))
            .or_die("write to stdout error");

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

        // C: sendto(serv_sock, message, strlen(message), 0,
        //           (struct sockaddr*)&clnt_adr, clnt_adr_sz);
        // Back to the address recvfrom wrote on the envelope.
        sendto(
            serv_sock.as_raw_fd(),
            &message,
            &clnt_adr,
            MsgFlags::empty(),
        )
        .or_die("sendto() error");
    }

    // C: close(serv_sock);
    drop(serv_sock);
    // ANCHOR_END: steps
}

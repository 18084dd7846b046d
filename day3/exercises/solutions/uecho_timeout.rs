//! uecho_timeout: uecho_client that gives up on a lost datagram. A
//! receive timeout (`SO_RCVTIMEO`, 2 s) ends each wait for the echo: no
//! echo by then, and it says so and asks for the next message, instead of
//! blocking forever.
//!
//! - Course notes: 3일차, "UDP 기반 서버 / 클라이언트" (UDP does not
//!   resend what is lost) and "소켓의 다양한 옵션"
//! - The solution of the exercise `uecho_timeout` (its starter:
//!   `day3/exercises/uecho_timeout.rs`); built from `ch06/uecho_client.c`
//! - Man pages: `socket(7)` (`SO_RCVTIMEO`), `setsockopt(2)`,
//!   `recvfrom(2)` (`EAGAIN`), `sendto(2)`, `udp(7)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin uecho_server -- 9190
//! # terminal 2
//! cargo run --bin solution_uecho_timeout -- 127.0.0.1 9190
//! ```
//!
//! With the server running it behaves as uecho_client. Stop the server
//! (Ctrl+C in terminal 1) and type a line: 2 s later
//!
//! ```text
//! Insert message(q to quit): Hi UDP
//! No reply within 2 seconds: the message or its echo was lost
//! Insert message(q to quit):
//! ```
//!
//! # Why a timeout
//!
//! UDP has no acknowledgement and no retransmission: a datagram that is
//! lost is simply gone, and `recvfrom` cannot tell "late" from "never".
//! `SO_RCVTIMEO` bounds the wait: when it passes with no datagram,
//! `recvfrom` fails with `EAGAIN` (`EWOULDBLOCK`). What to do then is the
//! program's choice: this one gives up on that message; a real one might
//! send it again.
//!
//! # Differences from uecho_client
//!
//! Only the timeout: `setsockopt(SO_RCVTIMEO)` after `socket`, and the
//! `EAGAIN` of `recvfrom` handled. A datagram that comes after its 2 s
//! were up waits in the socket's queue and is printed as the "echo" of the
//! next message: UDP has no way to match an answer to its question.

use std::io::Write;
use std::net::SocketAddrV4;
use std::os::fd::AsRawFd;
use std::time::Duration;

use common::OrDie;
use nix::errno::Errno;
use nix::sys::socket::{MsgFlags, SockaddrIn, recvfrom, sendto};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`, the size of `message[]`.
const BUF_SIZE: usize = 30;

/// How long one echo may take before we give up on it.
const REPLY_TIMEOUT: Duration = Duration::from_secs(2);

fn main() {
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, "<IP> <port>");
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_DGRAM, 0);
    // No bind: the first sendto gives the socket an address and a port.
    let sock =
        Socket::new(Domain::IPV4, Type::DGRAM, None).or_die("socket() error");
    let serv_adr = SockaddrIn::from(SocketAddrV4::new(ip, port));

    // ANCHOR: timeout
    // C: struct timeval tv={2, 0};
    //    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    // From now on a recvfrom that waits 2 s with no datagram fails with
    // EAGAIN instead of blocking forever.
    sock.set_read_timeout(Some(REPLY_TIMEOUT))
        .or_die("setsockopt() error");
    // ANCHOR_END: timeout

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
        // Waits at most 2 s (SO_RCVTIMEO) for a datagram.
        let mut reply = [0u8; BUF_SIZE];
        let received = recvfrom::<SockaddrIn>(sock.as_raw_fd(), &mut reply);

        // ANCHOR: gave_up
        // C: if(str_len==-1 && errno==EAGAIN) { ...; continue; }
        // The 2 s passed: our message or its echo was lost. Say so and go
        // on with the next message.
        if received == Err(Errno::EAGAIN) {
            stdout
                .write_all(
                    b"No reply within 2 seconds: \
                      the message or its echo was lost\n",
                )
                .or_die("write to stdout error");
            continue;
        }
        // ANCHOR_END: gave_up
        let (str_len, _from_adr) = received.or_die("recvfrom() error");

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

//! echo_client2: the echo client that reads until the whole echo has
//! arrived: it counts the bytes it sent and keeps reading until it has
//! received as many.
//!
//! **Exercise starter** (`echo_client2`): this is echo_client2 with its
//! read loop taken out. Write the step marked `todo!()`, then check it:
//! `cargo run --bin check -- echo_client2`.
//!
//! - Course notes: 2일차, "lterative 에코 서버 , 에코 클라이언트" (sic); book
//!   chapter 5, the fix of echo_client
//! - C original: `ch05/echo_client2.c`
//! - Man pages: `socket(2)`, `connect(2)`, `write(2)`, `read(2)`, `fgets(3)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin echo_server -- 9190
//! # terminal 2
//! cargo run --bin my_echo_client2 -- 127.0.0.1 9190
//! ```
//!
//! The same strings as echo_client:
//!
//! ```text
//! Connected...........
//! Input message(Q to quit): Hello
//! Message from server: Hello
//! Input message(Q to quit): Q
//! ```
//!
//! # Why it works
//!
//! An echo server sends back exactly the bytes it received, so the client
//! knows how long the reply is: as long as what it sent. It reads until it
//! has that many, however many pieces the reply comes in. (A protocol
//! without that knowledge needs a length or an end marker: see op_client.)
//!
//! # Differences from the C original
//!
//! - `<IP>` must be a dotted-decimal IPv4 address and `<port>` a number
//!   from 0 to 65535 (C's `inet_addr` and `atoi` take garbage silently).
//! - End of input (Ctrl+D, or the end of a piped file) quits like `Q`; the C
//!   loop would re-send the last line forever.
//! - The server closing before the whole echo came back is an error with
//!   exit 1. In C, `read` then returns 0 forever and the loop never ends.
//! - Each `read` asks only for the room left in the buffer; C asks for
//!   `BUF_SIZE-1` at `&message[recv_len]`, which could overrun the buffer.
//! - A line is sent whole and the reply printed whole, as bytes; C's
//!   `strlen` and `%s` would cut both at a NUL byte.
//! - `write` is repeated until every byte is sent; C assumes one is enough.
//! - C checks `read` but not `write`; the twin reports a failed `write`
//!   (`write() error: ...`) and exits 1. In C a `write` to a server that has
//!   gone kills the client with `SIGPIPE` (Rust ignores that signal, so the
//!   twin sees `EPIPE`).

// Until the todo!() below is written, the code after it never runs and
// the compiler would call it unused: delete this line when you are done.
#![allow(unused)]

use std::io::Write;
use std::net::SocketAddrV4;

use common::OrDie;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 1024`: `fgets` reads at most 1023 bytes of a line,
/// so the echo to wait for is at most 1023 bytes too.
const BUF_SIZE: usize = 1024;

fn main() {
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, "<IP> <port>");
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_STREAM, 0);
    let sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: connect(sock, (struct sockaddr*)&serv_adr, sizeof(serv_adr));
    //    puts("Connected...........");   (11 dots)
    let serv_adr = SocketAddrV4::new(ip, port);
    sock.connect(&serv_adr.into()).or_die("connect() error!");
    writeln!(stdout, "Connected...........").or_die("write to stdout error");

    let mut message = [0u8; BUF_SIZE];
    loop {
        // C: fputs("Input message(Q to quit): ", stdout);
        // Flushed, so the prompt shows before we wait for the keyboard.
        write!(stdout, "Input message(Q to quit): ")
            .and_then(|()| stdout.flush())
            .or_die("write to stdout error");

        // C: fgets(message, BUF_SIZE, stdin);
        // End of input quits like Q (the C program would loop forever).
        let Some(line) =
            common::fgets(&mut stdin, BUF_SIZE).or_die("fgets() error")
        else {
            break;
        };

        // C: if(!strcmp(message,"q\n") || !strcmp(message,"Q\n")) break;
        if line == b"q\n" || line == b"Q\n" {
            break;
        }

        // C: str_len=write(sock, message, strlen(message));
        let mut rest = &line[..];
        while !rest.is_empty() {
            let written = write(&sock, rest).or_die("write() error");
            rest = &rest[written..];
        }

        // ANCHOR: read_all
        // C: recv_len=0;
        //    while(recv_len<str_len) {
        //        recv_cnt=read(sock, &message[recv_len], BUF_SIZE-1); ...
        //        recv_len+=recv_cnt;
        //    }
        // Read until we have as many bytes as we sent, in as many pieces as
        // TCP delivers them.
        // When read returns 0 the server has closed: say so and exit 1
        // (common::error_handling), or the loop never ends.
        let str_len = line.len();
        let mut recv_len = 0;
        todo!("C: while(recv_len<str_len) {{ recv_cnt=read(sock, ...); ... }}");
        // ANCHOR_END: read_all

        // C: message[recv_len]=0; printf("Message from server: %s", message);
        // No newline added: the echoed line brings its own.
        stdout
            .write_all(b"Message from server: ")
            .and_then(|()| stdout.write_all(&message[..recv_len]))
            .or_die("write to stdout error");
    }

    // C: close(sock);
    drop(sock);
    // ANCHOR_END: steps
}

//! echo_client: send each line typed to the echo server and print the
//! reply, with ONE `read` per reply: the flaw the next chapter fixes.
//!
//! - Course notes: 2일차, "lterative 에코 서버 , 에코 클라이언트" (sic)
//! - C original: `ch04/echo_client.c`
//! - Man pages: `socket(2)`, `connect(2)`, `write(2)`, `read(2)`, `fgets(3)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin echo_server -- 9190
//! # terminal 2
//! cargo run --bin echo_client -- 127.0.0.1 9190
//! ```
//!
//! Terminal 2 (what you type after each prompt, then the server's echo):
//!
//! ```text
//! Connected...........
//! Input message(Q to quit): Hello
//! Message from server: Hello
//! Input message(Q to quit): Q
//! ```
//!
//! # The flaw that is the lesson
//!
//! TCP has no message boundaries: the reply may arrive in pieces, and one
//! `read` returns only what has arrived. The client then prints part of the
//! reply, and the rest shows up as the "reply" to the next line. On one
//! machine a short reply nearly always arrives whole, so the flaw hides;
//! the test `echo_client_reads_once_and_shows_a_truncated_reply` makes it
//! visible with a server that answers in two pieces. echo_client2 fixes it.
//!
//! # Differences from the C original
//!
//! - `<IP>` must be a dotted-decimal IPv4 address and `<port>` a number
//!   from 0 to 65535 (C's `inet_addr` and `atoi` take garbage silently).
//! - End of input (Ctrl+D, or the end of a piped file) quits like `Q`; the C
//!   loop would re-send the last line forever.
//! - A line is sent whole and the reply printed whole, as bytes; C's
//!   `strlen` and `%s` would cut both at a NUL byte.
//! - The server closing the connection (`read` returns 0) is an error with
//!   exit 1; C would print an empty reply and go on.
//! - `write` is repeated until every byte is sent; C assumes one is enough.
//! - C checks neither `write` nor `read`; the twin reports a failure
//!   (`write() error: ...`, `read() error!: ...`, the text of echo_client2)
//!   and exits 1. In C a `read` of -1 writes `message[-1]`, outside the
//!   buffer, and a `write` to a server that has gone kills the client with
//!   `SIGPIPE` (Rust ignores that signal, so the twin sees `EPIPE`).

use std::io::Write;
use std::net::SocketAddrV4;

use common::OrDie;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 1024`: `fgets` reads at most 1023 bytes of a line,
/// one `read` takes at most 1023 bytes of the reply.
const BUF_SIZE: usize = 1024;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "echo_client: sends each line typed to the echo server and prints one \
     read of the reply",
    "cargo run --bin echo_server -- 9190             # terminal 1, first
     cargo run --bin echo_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, HELP.usage);
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

        // C: write(sock, message, strlen(message));
        let mut rest = &line[..];
        while !rest.is_empty() {
            let written = write(&sock, rest).or_die("write() error");
            rest = &rest[written..];
        }

        // ANCHOR: read_once
        // C: str_len=read(sock, message, BUF_SIZE-1);
        // ONE read: whatever has arrived so far, maybe only part of the echo.
        let str_len =
            read(&sock, &mut message[..BUF_SIZE - 1]).or_die("read() error!");
        if str_len == 0 {
            common::error_handling(
                "read() error!: the server closed the connection",
            );
        }
        // ANCHOR_END: read_once

        // C: message[str_len]=0; printf("Message from server: %s", message);
        // No newline added: the echoed line brings its own.
        stdout
            .write_all(b"Message from server: ")
            .and_then(|()| stdout.write_all(&message[..str_len]))
            .or_die("write to stdout error");
    }

    // C: close(sock);
    drop(sock);
    // ANCHOR_END: steps
}

//! sendrecv_serv: three rounds of length-prefixed messages with one
//! client. Each round the server sends a message, then reads the client's
//! message and prints it.
//!
//! **Exercise starter** (`sendrecv_serv`): this is sendrecv_serv with its four
//! reads and writes taken out. Write the steps marked `todo!()`, then check it:
//! `cargo run --bin check -- sendrecv_serv`.
//!
//! - Course notes: 2일차, after "lterative 에코 서버 , 에코 클라이언트"
//!   (sic); book chapter 5, application protocols (TCP has no boundaries,
//!   so the sender tells the length); the answer to chapter 5, question 5
//! - C original: `TCPIP_Answer/Answer1/Ch05/Q5/sendrecv_serv.c`
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `accept(2)`,
//!   `write(2)`, `read(2)`, `puts(3)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin my_sendrecv_serv -- 9190
//! # terminal 2
//! cargo run --bin recvsend_clnt -- 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 1), the client's three messages:
//!
//! ```text
//! Hello server!
//! I'm client.
//! Nice to meet you too!
//! ```
//!
//! On the wire every message is a 4-byte length, then that many bytes.
//! The length is a C `int` in host byte order (little-endian on a PC) and
//! counts the NUL: `Hello client!` goes out as `0e 00 00 00` and 14 bytes.
//!
//! # Differences from the C original
//!
//! - The C reads the length with one `read` of 4 and the message with one
//!   `read` of `str_len`, as if each arrived whole. TCP does not promise
//!   that: a piece may come now and the rest later. The twin reads again
//!   until it has all 4 bytes, then all `str_len` bytes.
//! - A length over 100 (the size of `read_buf`) or below 0 overruns the C
//!   buffer; the twin refuses it (`read() error: message length N does
//!   not fit in 100 bytes`), exit 1. A client that leaves in the middle of
//!   a message is `read() error: unexpected end of file`, exit 1.
//! - `puts` prints up to the NUL; a message without a NUL makes the C
//!   print past it. The twin prints the message up to its first NUL, or
//!   all of it if it has none.
//! - Every `write` and `read` is checked; `<port>` must be 0 to 65535.

// Until the todo!()s below are written, the code after them never runs
// and the compiler would call it unused: delete this line when you are done.
#![allow(unused, clippy::diverging_sub_expression)]

use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `char read_buf[100];`: the longest message the server can take.
const READ_BUF_SIZE: usize = 100;

/// C: `char* str_arr[]={msg1, msg2, msg3};`, each with its NUL, which
/// `strlen(str_arr[i])+1` counts and sends.
const STR_ARR: [&[u8]; 3] =
    [b"Hello client!\0", b"I'm server.\0", b"Nice to meet you.\0"];

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "sendrecv_serv: three length-prefixed messages each way, server side",
    "cargo run --bin sendrecv_serv -- 9190            # terminal 1, first
     cargo run --bin recvsend_clnt -- 127.0.0.1 9190  # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: serv_sock=socket(PF_INET, SOCK_STREAM, 0);
    //    bind(serv_sock, ...); listen(serv_sock, 5);
    let serv_sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let serv_addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sock.bind(&serv_addr.into()).or_die("bind() error");
    serv_sock.listen(5).or_die("listen() error");

    // C: clnt_sock=accept(serv_sock, (struct sockaddr*)&clnt_addr,
    //                     &clnt_addr_size);
    let (clnt_sock, _clnt_addr) = serv_sock.accept().or_die("accept() error");

    let mut read_buf = [0u8; READ_BUF_SIZE];
    let mut stdout = io::stdout();
    // C: for(i=0; i<3; i++)
    for message in STR_ARR {
        // C: str_len=strlen(str_arr[i])+1;
        //    write(clnt_sock, (char*)(&str_len), 4);
        // The length first: the int's 4 bytes as they lie in memory.
        let str_len = message.len() as i32;
        todo!("C: write(clnt_sock, (char*)(&str_len), 4)");

        // C: write(clnt_sock, str_arr[i], str_len);
        todo!("C: write(clnt_sock, str_arr[i], str_len)");

        // C: read(clnt_sock, (char*)(&str_len), 4);
        // All 4 bytes of the length, however many reads they take.
        let mut len_bytes = [0u8; 4];
        todo!("C: read(clnt_sock, (char*)(&str_len), 4)");
        let str_len = checked_len(i32::from_ne_bytes(len_bytes));

        // C: read(clnt_sock, read_buf, str_len);
        // Then exactly str_len bytes: the whole message, not one piece.
        let received = &mut read_buf[..str_len];
        todo!("C: read(clnt_sock, read_buf, str_len)");

        // C: puts(read_buf);
        // Up to the NUL the client sent, then puts' newline.
        let text = received.split(|&b| b == 0).next().unwrap_or(received);
        stdout
            .write_all(text)
            .and_then(|()| stdout.write_all(b"\n"))
            .or_die("write to stdout error");
    }

    // C: close(clnt_sock); close(serv_sock);
    drop(clnt_sock);
    drop(serv_sock);
    // ANCHOR_END: steps
}

/// The length the peer sent, if `read_buf` can hold that many bytes.
fn checked_len(str_len: i32) -> usize {
    match usize::try_from(str_len) {
        Ok(len) if len <= READ_BUF_SIZE => len,
        _ => common::error_handling(&format!(
            "read() error: message length {str_len} does not fit in \
             {READ_BUF_SIZE} bytes"
        )),
    }
}

/// C: `read(fd, buf, n)`, repeated until all `n` bytes have come: TCP
/// may deliver a message in several pieces. End of stream before that
/// is an error.
fn read_exact(sock: &Socket, mut buf: &mut [u8]) -> io::Result<()> {
    while !buf.is_empty() {
        let n = read(sock, buf)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
    }
    Ok(())
}

/// C: `write(fd, buf, n)`, repeated until all `n` bytes are out.
fn write_all(sock: &Socket, mut bytes: &[u8]) -> io::Result<()> {
    while !bytes.is_empty() {
        let written = write(sock, bytes)?;
        bytes = &bytes[written..];
    }
    Ok(())
}

//! file_clnt: asks file_serv for a file by name and saves what arrives
//! under that name, until the server closes the connection.
//!
//! **Exercise starter** (`file_clnt`): this is file_clnt with its request and
//! its receiving loop taken out. Write the steps marked `todo!()`, then check
//! it: `cargo run --bin check -- file_clnt`.
//!
//! - Course notes: 2일차, after "lterative 에코 서버 , 에코 클라이언트"
//!   (sic); book chapter 5, application protocols (a request, then the
//!   reply, which ends with the stream); the answer to chapter 5,
//!   question 6
//! - C original: `TCPIP_Answer/Answer1/Ch05/Q6/file_clnt.c`
//! - Man pages: `scanf(3)`, `fopen(3)`, `socket(2)`, `connect(2)`,
//!   `write(2)`, `read(2)`, `fwrite(3)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1, in the folder whose files it may send
//! cd day2/src/bin && cargo run --bin file_serv -- 9190
//! # terminal 2, in a scratch folder: the file is saved there
//! cargo run --bin my_file_clnt -- 127.0.0.1 9190
//! ```
//!
//! Terminal 2 asks, and then ends without another word; the file is in
//! its folder:
//!
//! ```text
//! Input file name: file_serv.rs
//! ```
//!
//! On the wire the request is the name and its NUL (`strlen+1` bytes);
//! the reply is the file, and the end of the stream is the end of the
//! file.
//!
//! # Differences from the C original
//!
//! - `scanf("%s", file_name)` into `char file_name[30]` overruns the
//!   buffer on a name of 30 bytes or more. The twin reads the same word
//!   (blanks skipped, then up to the next blank) and refuses a name
//!   longer than 29 bytes: `scanf() error: file name longer than 29
//!   bytes`. End of input before a name is `scanf() error: no file name`.
//!   Both exit 1.
//! - The C checks nothing (a failed `read` returns -1 and its loop never
//!   ends). The twin reports `fopen() error`, `connect() error`,
//!   `write() error`, `read() error` or `fwrite() error` with the reason,
//!   exit 1. As in the C, the file is created before the connection, so
//!   a refused connection leaves it empty.
//! - A server that refuses the name (see file_serv) sends nothing: the
//!   file is saved empty, as with the C.
//! - Usage `Usage: <program> <IP> <port>`, as the C. `<IP>` must be
//!   dotted-decimal IPv4 and `<port>` 0 to 65535.

// Until the todo!()s below are written, the code after them never runs
// and the compiler would call it unused: delete this line when you are done.
#![allow(unused, clippy::diverging_sub_expression)]

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufRead, Write};
use std::net::SocketAddrV4;
use std::os::unix::ffi::OsStrExt;

use common::OrDie;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`: the size of `file_name` and of each read.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "file_clnt: asks file_serv for a file by name and saves it",
    "cargo run --bin file_serv -- 9190             # terminal 1, first
     cargo run --bin file_clnt -- 127.0.0.1 9190   # terminal 2, then",
)
.with_prefix("Usage: ");

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=3) { printf("Usage: %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::die::utf8_args();
    if args.len() != 2 {
        common::die::usage_exit(HELP.prefix, HELP.usage);
    }
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);

    // ANCHOR: steps
    // C: printf("Input file name: ");
    let mut stdout = io::stdout();
    stdout
        .write_all(b"Input file name: ")
        .and_then(|()| stdout.flush())
        .or_die("write to stdout error");

    // C: scanf("%s", file_name);
    // One word: blanks skipped, then up to the next blank. It must leave
    // room for the NUL in char file_name[30].
    let file_name = scanf_word(io::stdin().lock())
        .or_die("scanf() error")
        .unwrap_or_else(|| {
            common::error_handling("scanf() error: no file name")
        });
    if file_name.len() > BUF_SIZE - 1 {
        common::error_handling(&format!(
            "scanf() error: file name longer than {} bytes",
            BUF_SIZE - 1
        ));
    }

    // C: fp=fopen(file_name, "wb");
    // Before the connection, as in the C: an existing file is emptied.
    let fopen_error =
        format!("fopen() error: \"{}\"", file_name.escape_ascii());
    let mut fp =
        File::create(OsStr::from_bytes(&file_name)).or_die(&fopen_error);

    // C: sd=socket(PF_INET, SOCK_STREAM, 0);
    //    connect(sd, (struct sockaddr*)&serv_adr, sizeof(serv_adr));
    let sd =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let serv_adr = SocketAddrV4::new(ip, port);
    sd.connect(&serv_adr.into()).or_die("connect() error");

    // C: write(sd, file_name, strlen(file_name)+1);
    // The request: the name and its NUL, which tells the server where the
    // name ends.
    todo!("C: write(sd, file_name, strlen(file_name)+1)");

    // C: while((read_cnt=read(sd, buf, BUF_SIZE))!=0)
    //        fwrite((void*)buf, 1, read_cnt, fp);
    // 0 means EOF: the server has closed, the file is complete.
    let mut buf = [0u8; BUF_SIZE];
    todo!("C: while((read_cnt=read(sd, buf, BUF_SIZE))!=0) fwrite(...);");

    // C: fclose(fp); close(sd);
    // A File has no stdio buffer: each write_all above is already in the
    // kernel, so closing is all that is left.
    drop(fp);
    drop(sd);
    // ANCHOR_END: steps
}

/// C: `scanf("%s", buf)`: skips blanks (spaces, tabs, newlines), then
/// returns the bytes up to the next blank or the end of input; `None`
/// when the input ends before a word.
fn scanf_word(stdin: impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut word = Vec::new();
    for byte in stdin.bytes() {
        let byte = byte?;
        match (byte.is_ascii_whitespace(), word.is_empty()) {
            (true, true) => continue, // blanks before the word
            (true, false) => break,   // the blank after it
            (false, _) => word.push(byte),
        }
    }
    Ok(if word.is_empty() { None } else { Some(word) })
}

/// C: `write(sd, buf, n)`, repeated until all `n` bytes are out.
fn write_all(sock: &Socket, mut bytes: &[u8]) -> nix::Result<()> {
    while !bytes.is_empty() {
        let written = write(sock, bytes)?;
        bytes = &bytes[written..];
    }
    Ok(())
}

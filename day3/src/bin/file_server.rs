//! file_server: sends a file to one client in 30-byte pieces, closes only
//! its *output* stream with `shutdown(SHUT_WR)` (half-close), and still
//! reads the client's `Thank you` afterwards.
//!
//! - Course notes: 3일차, "우아한 종료를 위한 shutdown 함수" (Half-close,
//!   SHUT_WR: 출력 스트림 종료)
//! - C original: `ch07/file_server.c`
//! - Man pages: `shutdown(2)`, `accept(2)`, `write(2)`, `read(2)`, `fread(3)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: send this program's own source (or name a file)
//! cargo run --bin file_server -- 9190
//! cargo run --bin file_server -- 9190 picture.png
//! # terminal 2, in a scratch folder: writes receive.dat there
//! cargo run --bin file_client -- 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 1), with a space before the newline:
//!
//! ```text
//! Message from client: Thank you
//! ```
//!
//! `close` would end both streams, and the client's `Thank you` would find
//! no reader; `shutdown(SHUT_WR)` sends only the EOF, input stays open.
//!
//! # Differences from the C original
//!
//! - Usage `Usage: <program> <port> [file]`. The C sends the file
//!   `file_server.c` of the current folder. The twin sends `[file]`, or
//!   by default its own source, `day3/src/bin/file_server.rs`: its
//!   absolute path is baked in at compile time from
//!   `env!("CARGO_MANIFEST_DIR")`, so it is found whatever folder the
//!   server is started from (after moving the workspace, `cargo run`
//!   rebuilds and bakes the new path).
//! - The C checks nothing. The twin opens the file *before* the socket:
//!   `fopen() error: <path>: <reason>` if it is missing or unreadable,
//!   `... not a regular file` for a folder (which would open, then fail
//!   after a client connected). Socket calls report `<call>() error: ...`.
//! - The C `read`s the reply into the buffer that still holds the file's
//!   last piece and prints it with `%s`. The twin prints only the bytes
//!   the client sent, up to a NUL (nothing if it sent nothing).
//! - A last piece of 0 bytes (an empty file, or a size that is a multiple
//!   of 30) makes no system call: C's `write(clnt_sd, buf, 0)` sends
//!   nothing either.
//! - `<port>` must be a number from 0 to 65535.
//! - The file is read through a `BufReader`, as `fread` reads through
//!   stdio's buffer: one `read(2)` per 8 KiB of the file, and one socket
//!   `write` per 30-byte piece, as in C (without the buffer: two system
//!   calls per 30 bytes).

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddrV4};
use std::path::Path;

use common::OrDie;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`: the size of each piece of the file.
const BUF_SIZE: usize = 30;

/// The file sent when none is named: this very source file, found by the
/// absolute path Cargo gave the package when it was compiled.
const OWN_SOURCE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin/file_server.rs");

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port> [file]",
    "file_server: sends a file in 30-byte pieces, then half-closes (shutdown)",
    "cargo run --bin file_server -- 9190             # terminal 1, first
     cargo run --bin file_client -- 127.0.0.1 9190   # terminal 2, then",
)
.with_prefix("Usage: ");

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=2) { printf("Usage: %s <port>\n", argv[0]); exit(1); }
    let args = common::die::utf8_args();
    if args.is_empty() || args.len() > 2 {
        common::die::usage_exit(HELP.prefix, HELP.usage);
    }
    let port = common::port_arg(&args[0]);
    let path = Path::new(args.get(1).map_or(OWN_SOURCE, String::as_str));

    // ANCHOR: steps
    // C: fp=fopen("file_server.c", "rb");
    // Before any socket: a missing file is an error, not a client's surprise.
    let fopen_error = format!("fopen() error: {}", path.display());
    let file = File::open(path).or_die(&fopen_error);
    if !file.metadata().or_die(&fopen_error).is_file() {
        common::error_handling(&format!("{fopen_error}: not a regular file"));
    }
    // A FILE* is buffered: fread takes the file 8 KiB per read(2), not 30
    // bytes. BufReader is that buffer.
    let mut fp = BufReader::new(file);

    // C: serv_sd=socket(PF_INET, SOCK_STREAM, 0);
    //    bind(serv_sd, ...); listen(serv_sd, 5);
    //    clnt_sd=accept(serv_sd, (struct sockaddr*)&clnt_adr, &clnt_adr_sz);
    let serv_sd =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let serv_adr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sd.bind(&serv_adr.into()).or_die("bind() error");
    serv_sd.listen(5).or_die("listen() error");
    let (clnt_sd, _clnt_adr) = serv_sd.accept().or_die("accept() error");

    // C: while(1) { read_cnt=fread((void*)buf, 1, BUF_SIZE, fp);
    //               if(read_cnt<BUF_SIZE) {
    //                   write(clnt_sd, buf, read_cnt); break; }
    //               write(clnt_sd, buf, BUF_SIZE); }
    // A short piece (maybe empty) means the file has ended.
    let mut buf = [0u8; BUF_SIZE];
    loop {
        let read_cnt = fread(&mut fp, &mut buf).or_die("fread() error");
        write_all(&clnt_sd, &buf[..read_cnt]).or_die("write() error");
        if read_cnt < BUF_SIZE {
            break;
        }
    }

    // C: shutdown(clnt_sd, SHUT_WR);
    // Half-close: the client reads EOF, but our input stream stays open.
    clnt_sd.shutdown(Shutdown::Write).or_die("shutdown() error");

    // C: read(clnt_sd, buf, BUF_SIZE);
    // Still allowed after SHUT_WR: the client's last words.
    let str_len = read(&clnt_sd, &mut buf).or_die("read() error");

    // C: printf("Message from client: %s \n", buf);
    let received = &buf[..str_len];
    let text = received.split(|&b| b == 0).next().unwrap_or(received);
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(b"Message from client: ")
        .and_then(|()| stdout.write_all(text))
        .and_then(|()| stdout.write_all(b" \n"))
        .or_die("write to stdout error");

    // C: fclose(fp); close(clnt_sd); close(serv_sd);
    drop(fp);
    drop(clnt_sd);
    drop(serv_sd);
    // ANCHOR_END: steps
}

/// C: `fread(buf, 1, BUF_SIZE, fp)`: fills `buf` unless the file ends
/// first, and returns how many bytes it read (a plain `read` may stop
/// short, `fread` does not).
fn fread(file: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// C: `write(clnt_sd, buf, n)`, repeated until all `n` bytes are out (a
/// socket `write` may take fewer when the output buffer is full).
fn write_all(sock: &Socket, mut bytes: &[u8]) -> nix::Result<()> {
    while !bytes.is_empty() {
        let written = write(sock, bytes)?;
        bytes = &bytes[written..];
    }
    Ok(())
}

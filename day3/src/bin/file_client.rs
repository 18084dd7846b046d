//! file_client: receives a file into `receive.dat` until the server's
//! half-close (EOF), then says `Thank you` on the stream that is still open.
//!
//! - Course notes: 3일차, "우아한 종료를 위한 shutdown 함수" (Half-close)
//! - C original: `ch07/file_client.c`
//! - Man pages: `socket(2)`, `connect(2)`, `read(2)`, `write(2)`, `fopen(3)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin file_server -- 9190
//! # terminal 2, in a scratch folder: receive.dat is written there
//! cargo run --bin file_client -- 127.0.0.1 9190
//! ```
//!
//! Expected output (terminal 2), then `receive.dat` holds the file:
//!
//! ```text
//! Received file data
//! ```
//!
//! The read loop ends when `read` returns 0: the server called
//! `shutdown(SHUT_WR)`, which sends EOF but keeps its input open, so the
//! 10 bytes `Thank you\0` still reach it.
//!
//! # Differences from the C original
//!
//! - Usage `Usage: <program> <IP> <port>`, as the C. `<IP>` must be
//!   dotted-decimal IPv4 and `<port>` 0 to 65535.
//! - The C checks nothing (a failed `read` returns -1 and its loop never
//!   ends). The twin reports `fopen() error`, `connect() error`,
//!   `read() error`, `fwrite() error` or `write() error` with the reason,
//!   exit 1.
//! - `receive.dat` is written through a `BufWriter`, as `fwrite` writes
//!   through stdio's buffer: one `write(2)` per 8 KiB of the file, while
//!   the socket is still read 30 bytes at a time, as in C. A failed final
//!   flush is `fclose() error: <reason>`.
//! - `receive.dat` is created after `connect` succeeds, not first thing as
//!   in C: a refused connection no longer empties an existing
//!   `receive.dat`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::net::SocketAddrV4;

use common::OrDie;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`: the file arrives in reads of up to 30 bytes.
const BUF_SIZE: usize = 30;

/// C: `write(sd, "Thank you", 10);`: 9 letters and the string's NUL.
const THANK_YOU: &[u8] = b"Thank you\0";

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "file_client: receives file_server's file into receive.dat, then says \
     thanks",
    "cargo run --bin file_server -- 9190             # terminal 1, first
     cargo run --bin file_client -- 127.0.0.1 9190   # terminal 2, then",
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
    // C: sd=socket(PF_INET, SOCK_STREAM, 0);
    //    connect(sd, (struct sockaddr*)&serv_adr, sizeof(serv_adr));
    let sd =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let serv_adr = SocketAddrV4::new(ip, port);
    sd.connect(&serv_adr.into()).or_die("connect() error");

    // C: fp=fopen("receive.dat", "wb");  (in C, before socket())
    // In the current folder; an existing receive.dat is emptied. Only now
    // that the transfer will happen: a refused connection leaves it whole.
    // A FILE* is buffered: fwrite hands the kernel 8 KiB at a time, not
    // 30 bytes. BufWriter is that buffer.
    let mut fp = BufWriter::new(
        File::create("receive.dat").or_die("fopen() error: receive.dat"),
    );

    // C: while((read_cnt=read(sd, buf, BUF_SIZE))!=0)
    //        fwrite((void*)buf, 1, read_cnt, fp);
    // 0 means EOF: the server has shut down its output stream.
    let mut buf = [0u8; BUF_SIZE];
    loop {
        let read_cnt = read(&sd, &mut buf).or_die("read() error");
        if read_cnt == 0 {
            break;
        }
        fp.write_all(&buf[..read_cnt]).or_die("fwrite() error");
    }

    // C: puts("Received file data");
    // (checked: this program writes to a socket, so SIGPIPE stays ignored
    // and a closed stdout is a write error, not a quiet end)
    writeln!(std::io::stdout(), "Received file data")
        .or_die("write to stdout error");

    // C: write(sd, "Thank you", 10);
    // The server stopped writing, not reading: this still arrives.
    let written = write(&sd, THANK_YOU).or_die("write() error");
    if written != THANK_YOU.len() {
        common::error_handling("write() error: short write");
    }

    // C: fclose(fp); close(sd);
    // fclose writes out what is left in the buffer: here checked, since
    // the disk may be full (dropping a BufWriter would hide the error).
    fp.flush().or_die("fclose() error");
    drop(fp);
    drop(sd);
    // ANCHOR_END: steps
}

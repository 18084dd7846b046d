//! file_serv: sends one client the file it asks for by name, in 30-byte
//! pieces, then closes. Only a plain file of the server's own folder is
//! sent: the C answer opens whatever path the network names.
//!
//! - Course notes: 2일차, after "lterative 에코 서버 , 에코 클라이언트"
//!   (sic); book chapter 5, application protocols (a request, then the
//!   reply, which ends with the stream); the answer to chapter 5,
//!   question 6
//! - C original: `TCPIP_Answer/Answer1/Ch05/Q6/file_serv.c`
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `accept(2)`,
//!   `read(2)`, `open(2)` (`O_NOFOLLOW`), `fopen(3)`, `fread(3)`,
//!   `write(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1, in the folder whose files it may send
//! cd day2/src/bin && cargo run --bin file_serv -- 9190
//! # terminal 2, in a scratch folder: the file is saved there
//! cargo run --bin file_clnt -- 127.0.0.1 9190
//! Input file name: file_serv.rs
//! ```
//!
//! The server prints nothing when it sends the file; terminal 2 ends
//! with a copy of `file_serv.rs` in its folder. A refused name ends the
//! server with a line on stderr and sends nothing:
//!
//! ```text
//! fopen() error: "../secret": refused: only a file of the server's
//! folder is sent (no '/', not "." or "..")
//! ```
//!
//! (one line on the terminal).
//!
//! # Differences from the C original
//!
//! - The C passes the name it read straight to `fopen`: `../x`,
//!   `/etc/passwd`, any path on the machine. The twin refuses a name that
//!   is empty, holds a `/`, or is `.` or `..`, so the name can only mean a
//!   file of the folder the server runs in; it opens it with `O_NOFOLLOW`
//!   (a symbolic link there could point anywhere: `open` fails with
//!   `ELOOP`) and sends only a regular file (not a folder, not a FIFO).
//!   A refused or missing file ends the server with `fopen() error: ...`
//!   on stderr and exit 1, and the client gets nothing, as from the C
//!   (which then crashes in `fclose(NULL)`).
//! - The C reads the name with one `read` of up to 30 bytes and trusts
//!   it to hold a NUL. The twin reads until the NUL has come (a name in
//!   two pieces works), at most 30 bytes; no NUL in them is
//!   `read() error: no NUL-terminated file name in 30 bytes`, exit 1.
//! - Usage `Usage: <program> <port>`, as the C; every call is checked
//!   (the C checks none); `<port>` must be 0 to 65535.

use std::ffi::OsStr;
use std::fs::OpenOptions;
use std::io::{self, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;

use common::OrDie;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`: the size of the name and of each piece.
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "file_serv: sends the file a client names, only from its own folder",
    "cargo run --bin file_serv -- 9190             # terminal 1, first
     cargo run --bin file_clnt -- 127.0.0.1 9190   # terminal 2, then",
)
.with_prefix("Usage: ");

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=2) { printf("Usage: %s <port>\n", argv[0]); exit(1); }
    let args = common::die::utf8_args();
    if args.len() != 1 {
        common::die::usage_exit(HELP.prefix, HELP.usage);
    }
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: serv_sd=socket(PF_INET, SOCK_STREAM, 0);
    //    bind(serv_sd, ...); listen(serv_sd, 5);
    let serv_sd =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let serv_adr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sd.bind(&serv_adr.into()).or_die("bind() error");
    serv_sd.listen(5).or_die("listen() error");

    // C: clnt_sd=accept(serv_sd, (struct sockaddr*)&clnt_adr, &clnt_adr_sz);
    let (clnt_sd, _clnt_adr) = serv_sd.accept().or_die("accept() error");

    // C: read(clnt_sd, file_name, BUF_SIZE);
    // The request: a name and its NUL, in at most 30 bytes.
    let file_name = read_file_name(&clnt_sd);

    // The C would open any path the client names. Here a name can only
    // mean a file of this folder: no '/', and not "." or "..".
    refuse_names_outside_this_folder(&file_name);

    // C: fp=fopen(file_name, "rb");
    // O_NOFOLLOW: a symbolic link in this folder could point anywhere.
    let fopen_error =
        format!("fopen() error: \"{}\"", file_name.escape_ascii());
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(OsStr::from_bytes(&file_name))
        .or_die(&fopen_error);
    if !file.metadata().or_die(&fopen_error).is_file() {
        common::error_handling(&format!("{fopen_error}: not a regular file"));
    }
    let mut fp = BufReader::new(file); // the FILE's buffer

    // C: while(1) { read_cnt=fread((void*)buf, 1, BUF_SIZE, fp);
    //     if(read_cnt<BUF_SIZE) { write(clnt_sd, buf, read_cnt); break; }
    //     write(clnt_sd, buf, BUF_SIZE); }
    // A short piece (maybe empty) means the file has ended.
    let mut buf = [0u8; BUF_SIZE];
    loop {
        let read_cnt = fread(&mut fp, &mut buf).or_die("fread() error");
        write_all(&clnt_sd, &buf[..read_cnt]).or_die("write() error");
        if read_cnt < BUF_SIZE {
            break;
        }
    }

    // C: fclose(fp); close(clnt_sd); close(serv_sd);
    // The client reads end of stream: the file is complete.
    drop(fp);
    drop(clnt_sd);
    drop(serv_sd);
    // ANCHOR_END: steps
}

// ANCHOR: helpers
/// C: `read(clnt_sd, file_name, BUF_SIZE)`, read again until the NUL has
/// come; returns the name without its NUL. No NUL in 30 bytes (the C
/// would run past its buffer) ends the program.
fn read_file_name(clnt_sd: &Socket) -> Vec<u8> {
    let mut file_name = [0u8; BUF_SIZE];
    let mut received = 0;
    while received < BUF_SIZE {
        let n =
            read(clnt_sd, &mut file_name[received..]).or_die("read() error");
        if n == 0 {
            break; // the client closed before its NUL
        }
        received += n;
        if let Some(nul) = file_name[..received].iter().position(|&b| b == 0) {
            return file_name[..nul].to_vec();
        }
    }
    common::error_handling(&format!(
        "read() error: no NUL-terminated file name in {BUF_SIZE} bytes"
    ))
}

/// Ends the program unless `file_name` names an entry of the current
/// folder: not empty, no `/` (so no absolute path and no `dir/..`), and
/// not `.` or `..`.
fn refuse_names_outside_this_folder(file_name: &[u8]) {
    let plain = !file_name.is_empty()
        && !file_name.contains(&b'/')
        && file_name != b"."
        && file_name != b"..";
    if !plain {
        common::error_handling(&format!(
            "fopen() error: \"{}\": refused: only a file of the server's \
             folder is sent (no '/', not \".\" or \"..\")",
            file_name.escape_ascii()
        ));
    }
}

/// C: `fread(buf, 1, BUF_SIZE, fp)`: fills `buf` unless the file ends
/// first, and returns how many bytes it read.
fn fread(fp: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match fp.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// C: `write(clnt_sd, buf, n)`, repeated until all `n` bytes are out.
fn write_all(sock: &Socket, mut bytes: &[u8]) -> nix::Result<()> {
    while !bytes.is_empty() {
        let written = write(sock, bytes)?;
        bytes = &bytes[written..];
    }
    Ok(())
}
// ANCHOR_END: helpers

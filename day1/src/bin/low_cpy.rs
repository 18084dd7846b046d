//! low_cpy: copies `src.dat` to `dst.dat` with the system calls `open`,
//! `read` and `write`, 100 bytes at a time.
//!
//! - Course notes: 1일차, "리눅스 기반 파일 조작하기" (open, read, write,
//!   close); the answer to chapter 1, question 7
//! - C original: `TCPIP_Answer/Answer1/Ch01/Q7/low_cpy.c`
//! - Man pages: `open(2)`, `read(2)`, `write(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! # in a scratch folder, with some src.dat
//! head -c 30000 /dev/urandom > src.dat
//! cargo run --bin low_cpy
//! cmp src.dat dst.dat && echo same
//! # one read(2) and one write(2) per 100 bytes:
//! strace -e trace=read,write target/debug/low_cpy
//! ```
//!
//! It prints nothing; `dst.dat` is then a byte-exact copy. Compare the
//! trace with ansi_cpy's: 301 reads and 300 writes for 30000 bytes here.
//!
//! # Differences from the C original
//!
//! - When an open fails, the C `puts("file open error")` on stdout and
//!   returns -1 (exit status 255). The twin writes `file open error:
//!   <reason>` on stderr and exits 1, as every program does on an error.
//!   As in the C, both files are opened before the check, so a missing
//!   `src.dat` still leaves an empty `dst.dat`.
//! - The C opens `dst.dat` with `O_CREAT` and no mode, so the new file
//!   gets whatever bits happen to be in the missing argument. The twin
//!   gives it 0644 (less the umask).
//! - The C loop tests only `!= 0`: a `read` that fails returns -1 and
//!   the loop never ends. The twin reports `read() error` or
//!   `write() error` with the reason, exit 1; a short `write` is
//!   completed by another.

use std::os::fd::OwnedFd;

use common::OrDie;
use common::die::error_line;
use nix::fcntl::{OFlag, open};
use nix::sys::stat::Mode;
use nix::unistd::{close, read, write};

/// C: `#define BUF_SIZE 100`: each `read` asks for 100 bytes.
const BUF_SIZE: usize = 100;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "low_cpy: copies src.dat to dst.dat with open, read and write \
     (a 100-byte buffer)",
    "cargo run --bin low_cpy   # in a folder with src.dat; writes dst.dat",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: a closed pipe ends it quietly
    // The C program ignores its arguments.

    // ANCHOR: steps
    // C: src=open("src.dat", O_RDONLY);
    //    dst=open("dst.dat", O_CREAT|O_WRONLY|O_TRUNC);
    // Both are opened first, then both results are checked, as in the C.
    let src = open("src.dat", OFlag::O_RDONLY, Mode::empty());
    let dst = open(
        "dst.dat",
        OFlag::O_CREAT | OFlag::O_WRONLY | OFlag::O_TRUNC,
        Mode::from_bits_truncate(0o644),
    );

    // C: if(src==-1||dst==-1) { puts("file open error"); return -1; }
    let (src, dst) = match (src, dst) {
        (Ok(src), Ok(dst)) => (src, dst),
        (Err(reason), _) | (_, Err(reason)) => {
            common::error_handling(&error_line("file open error", &reason))
        }
    };

    // C: while((read_cnt=read(src, buf, BUF_SIZE))!=0)
    //        write(dst, buf, read_cnt);
    // Every read(2) and write(2) is a system call: one of each per 100
    // bytes. read returns 0 at the end of the file.
    let mut buf = [0u8; BUF_SIZE];
    loop {
        let read_cnt = read(&src, &mut buf).or_die("read() error");
        if read_cnt == 0 {
            break;
        }
        write_all(&dst, &buf[..read_cnt]).or_die("write() error");
    }

    // C: close(src); close(dst);
    close(src).or_die("close() error");
    close(dst).or_die("close() error");
    // ANCHOR_END: steps
}

/// C: `write(dst, buf, read_cnt)`, repeated if it writes fewer bytes.
fn write_all(fd: &OwnedFd, mut bytes: &[u8]) -> nix::Result<()> {
    while !bytes.is_empty() {
        let written = write(fd, bytes)?;
        bytes = &bytes[written..];
    }
    Ok(())
}

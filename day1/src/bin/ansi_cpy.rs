//! ansi_cpy: copies `src.dat` to `dst.dat` with the standard I/O library
//! (`fopen`, `fread`, `fwrite`), 30 bytes per call. The library's buffer
//! turns those many small calls into few system calls.
//!
//! - Course notes: 1일차, "리눅스 기반 파일 조작하기" (the same copy as
//!   low_cpy, through ANSI C's buffered streams); the answer to chapter 1,
//!   question 7
//! - C original: `TCPIP_Answer/Answer1/Ch01/Q7/ansi_cpy.c`
//! - Man pages: `fopen(3)`, `fread(3)`, `fwrite(3)`, `feof(3)`,
//!   `fclose(3)`, `setvbuf(3)`
//!
//! # Run it
//!
//! ```sh
//! # in a scratch folder, with some src.dat
//! head -c 30000 /dev/urandom > src.dat
//! cargo run --bin ansi_cpy
//! cmp src.dat dst.dat && echo same
//! # 1001 freads of 30 bytes, but only a few read(2)s of 4096:
//! strace -e trace=read,write target/debug/ansi_cpy
//! ```
//!
//! It prints nothing; `dst.dat` is then a byte-exact copy. For 30000
//! bytes the trace shows 9 reads of the file and 8 writes, where low_cpy
//! makes 301 and 300.
//!
//! # Differences from the C original
//!
//! - A C `FILE` is the stream and its buffer in one; in Rust they are a
//!   `File` inside a `BufReader` or a `BufWriter`, each with a buffer of
//!   4096 bytes, the size glibc gives a `FILE` on most file systems (its
//!   `st_blksize`). `BufWriter` writes its buffer before a piece that
//!   would overflow it, so its writes are 4080 bytes (136 pieces of 30)
//!   where glibc's are 4096.
//! - When an open fails, the C `puts("file open error")` on stdout and
//!   returns -1 (exit status 255); when `fread` fails, it `puts("file cpy
//!   error()")` and returns 0. The twin writes `file open error: <reason>`
//!   or `file cpy error(): <reason>` on stderr and exits 1. As in the C,
//!   both files are opened before the check.
//! - The C ignores `fwrite` and `fclose`. The twin reports `fwrite()
//!   error` and `fclose() error` (the last buffered bytes are written by
//!   the close, and can fail there).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};

use common::OrDie;
use common::die::error_line;

/// C: `#define BUF_SIZE 30`: each `fread` and `fwrite` moves 30 bytes.
const BUF_SIZE: usize = 30;

/// The size of a C stream's buffer: glibc takes the file system's block
/// size (`st_blksize`), 4096 on most.
const STDIO_BUF_SIZE: usize = 4096;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "ansi_cpy: copies src.dat to dst.dat with fopen, fread and fwrite \
     (a 30-byte buffer)",
    "cargo run --bin ansi_cpy   # in a folder with src.dat; writes dst.dat",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: a closed pipe ends it quietly
    // The C program is `main(void)`: arguments are ignored.

    // ANCHOR: steps
    // C: FILE * src=fopen("src.dat", "rb");
    //    FILE * des=fopen("dst.dat", "wb");
    // Both are opened first, then both results are checked, as in the C.
    let src = File::open("src.dat");
    let des = File::create("dst.dat");

    // C: if(src==NULL || des==NULL) { puts("file open error"); return -1; }
    let (src, des) = match (src, des) {
        (Ok(src), Ok(des)) => (src, des),
        (Err(reason), _) | (_, Err(reason)) => {
            common::error_handling(&error_line("file open error", &reason))
        }
    };
    // The buffers that fopen would attach to each FILE.
    let mut src = BufReader::with_capacity(STDIO_BUF_SIZE, src);
    let mut des = BufWriter::with_capacity(STDIO_BUF_SIZE, des);

    let mut buf = [0u8; BUF_SIZE];
    loop {
        // C: readCnt=fread((void*)buf, 1, BUF_SIZE, src);
        // Served from the 4096-byte buffer: a read(2) only when it is empty.
        let read_cnt = fread(&mut src, &mut buf).or_die("file cpy error()");

        // C: if(readCnt<BUF_SIZE) { if(feof(src)!=0) {
        //        fwrite((void*)buf, 1, readCnt, des); break; } ... }
        // Fewer than 30 bytes: the end of the file (errors ended above).
        if read_cnt < BUF_SIZE {
            des.write_all(&buf[..read_cnt]).or_die("fwrite() error");
            break;
        }

        // C: fwrite((void*)buf, 1, BUF_SIZE, des);
        // Into the buffer: a write(2) only when it is full.
        des.write_all(&buf).or_die("fwrite() error");
    }

    // C: fclose(src); fclose(des);
    // Closing des writes what is still in its buffer.
    drop(src);
    des.into_inner()
        .map_err(|err| err.into_error())
        .or_die("fclose() error");
    // ANCHOR_END: steps
}

/// C: `fread(buf, 1, BUF_SIZE, fp)`: fills `buf` unless the file ends
/// first, and returns how many bytes it got (a `read` may stop short at
/// the end of the buffer; `fread` goes on).
fn fread(fp: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match fp.read(&mut buf[filled..]) {
            Ok(0) => break, // end of file: feof(fp) would be true
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

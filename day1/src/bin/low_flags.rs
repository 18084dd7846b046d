//! low_flags: the six `open(2)` flags of the notes, one step each, on one
//! file, `flags.txt`, printing the file after every step.
//!
//! - Course notes: 1일차, "리눅스 기반 파일 조작하기", "파일 열기"
//!   (O_CREAT, O_TRUNC, O_APPEND, O_RDONLY, O_WRONLY, O_RDWR)
//! - C original: none (new; the calls of `ch01/low_open.c`, `low_read.c`)
//! - Man pages: `open(2)`, `write(2)`, `read(2)`, `close(2)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin low_flags
//! cargo run --bin low_flags    # again: now O_TRUNC empties the old file
//! ```
//!
//! In a directory without `flags.txt` it prints (file contents escaped,
//! `\n` for a newline, between quotes):
//!
//! ```text
//! before: flags.txt does not exist
//! 1. open(O_CREAT|O_WRONLY|O_TRUNC) = 3
//!    flags.txt (0 bytes): ""
//!    write "first line\n" = 11
//!    flags.txt (11 bytes): "first line\n"
//! 2. open(O_WRONLY|O_APPEND) = 3
//!    write "second line\n" = 12
//!    flags.txt (23 bytes): "first line\nsecond line\n"
//! 3. open(O_RDWR) = 3
//!    write "FIRST" = 5
//!    read = 18: " line\nsecond line\n"
//!    flags.txt (23 bytes): "FIRST line\nsecond line\n"
//! 4. open(O_RDONLY) = 3
//!    read = 23: "FIRST line\nsecond line\n"
//!    write "third line\n" failed: EBADF: Bad file descriptor (os error 9)
//!    flags.txt (23 bytes): "FIRST line\nsecond line\n"
//! ```
//!
//! # Differences from the C original
//!
//! - There is no C original: the program is new, written with the calls
//!   of low_open and low_read. It creates `flags.txt` with mode 0644.
//! - It shows at most the first 100 bytes of `flags.txt` (its own steps
//!   write 23): an old, large file, or a link to `/dev/zero`, is shown as
//!   `flags.txt (more than 100 bytes, the first 100): "..."`, never read
//!   whole. A `flags.txt` that cannot be read is shown with the real
//!   reason (`flags.txt cannot be read: Is a directory (os error 21)`),
//!   and step 1's `open` then fails with it.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::os::fd::{AsRawFd, OwnedFd};

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use nix::fcntl::{OFlag, open};
use nix::sys::stat::Mode;
use nix::unistd::{close, read, write};

const FILE: &str = "flags.txt";

/// The most of the file that is shown (the steps write 23 bytes).
const SHOW_LIMIT: usize = 100;

// ANCHOR: helpers
/// Like `cat flags.txt`, but escaped on one line: the file as it is now.
fn show_file(label: &str) {
    // One byte more than is shown: enough to know the file is longer.
    let mut data = Vec::new();
    let limit = SHOW_LIMIT as u64 + 1;
    let read = File::open(FILE)
        .and_then(|file| file.take(limit).read_to_end(&mut data));
    match read {
        Ok(_) if data.len() > SHOW_LIMIT => println!(
            "{label} {FILE} (more than {SHOW_LIMIT} bytes, the first \
             {SHOW_LIMIT}): \"{}\"",
            data[..SHOW_LIMIT].escape_ascii()
        ),
        Ok(_) => println!(
            "{label} {FILE} ({} bytes): \"{}\"",
            data.len(),
            data.escape_ascii()
        ),
        Err(err) if err.kind() == ErrorKind::NotFound => {
            println!("{label} {FILE} does not exist")
        }
        Err(err) => println!("{label} {FILE} cannot be read: {err}"),
    }
}

/// C: `fd=open("flags.txt", flags, 0644);`, then the fd number.
fn open_with(step: u32, flags: OFlag, names: &str) -> OwnedFd {
    let fd = open(FILE, flags, Mode::from_bits_truncate(0o644))
        .or_die("open() error");
    println!("{step}. open({names}) = {}", fd.as_raw_fd());
    fd
}

/// C: `write(fd, text, strlen(text));`, printing what write returned.
fn write_text(fd: &OwnedFd, text: &[u8]) {
    let written = write(fd, text).or_die("write() error");
    println!("   write \"{}\" = {written}", text.escape_ascii());
}

/// C: `read(fd, buf, sizeof(buf));`, printing what read returned.
fn read_text(fd: &OwnedFd) {
    let mut buf = [0u8; 100];
    let read_len = read(fd, &mut buf).or_die("read() error");
    let data = &buf[..read_len];
    println!("   read = {read_len}: \"{}\"", data.escape_ascii());
}
// ANCHOR_END: helpers

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "low_flags: the open(2) flags of the notes, one step each, on flags.txt",
    "cargo run --bin low_flags   # creates flags.txt here",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // Takes no arguments and ignores any, like low_open and low_read.
    show_file("before:");

    // ANCHOR: steps
    // C: fd=open("flags.txt", O_CREAT|O_WRONLY|O_TRUNC, 0644);
    //    write(fd, "first line\n", 11); close(fd);
    // Step 1: O_CREAT makes the file if it is missing; O_TRUNC empties it
    // if it exists (look at it right after open); O_WRONLY: write only.
    let create = OFlag::O_CREAT | OFlag::O_WRONLY | OFlag::O_TRUNC;
    let fd = open_with(1, create, "O_CREAT|O_WRONLY|O_TRUNC");
    show_file("  ");
    write_text(&fd, b"first line\n");
    close(fd).or_die("close() error");
    show_file("  ");

    // C: fd=open("flags.txt", O_WRONLY|O_APPEND);
    //    write(fd, "second line\n", 12); close(fd);
    // Step 2: O_APPEND keeps the data and makes every write go to the end.
    let fd =
        open_with(2, OFlag::O_WRONLY | OFlag::O_APPEND, "O_WRONLY|O_APPEND");
    write_text(&fd, b"second line\n");
    close(fd).or_die("close() error");
    show_file("  ");

    // C: fd=open("flags.txt", O_RDWR); write(fd, "FIRST", 5);
    //    read(fd, buf, 100); close(fd);
    // Step 3: O_RDWR: one fd writes and reads. The write overwrites from
    // offset 0; the read goes on where it stopped (one offset for both).
    let fd = open_with(3, OFlag::O_RDWR, "O_RDWR");
    write_text(&fd, b"FIRST");
    read_text(&fd);
    close(fd).or_die("close() error");
    show_file("  ");

    // C: fd=open("flags.txt", O_RDONLY); read(fd, buf, 100);
    //    write(fd, "third line\n", 11) returns -1, errno EBADF; close(fd);
    // Step 4: O_RDONLY: read works; write fails with EBADF, file unchanged.
    // The failure is what this step shows: print it instead of or_die.
    let fd = open_with(4, OFlag::O_RDONLY, "O_RDONLY");
    read_text(&fd);
    match write(&fd, b"third line\n") {
        Ok(written) => println!("   write \"third line\\n\" = {written}"),
        Err(errno) => {
            let reason = std::io::Error::from(errno);
            println!("   write \"third line\\n\" failed: {errno:?}: {reason}");
        }
    }
    close(fd).or_die("close() error");
    show_file("  ");
    // ANCHOR_END: steps
}

//! Printing that never panics: the twins of `printf` and of
//! `fprintf(stderr, ...)`.
//!
//! `println!` panics when standard output fails (`> /dev/full`: "No space
//! left on device"). The C programs ignore `printf`'s result; the twins do
//! better: [`println!`](crate::println) and [`print!`](crate::print) report
//! `write to stdout error: <reason>` on stderr and exit 1. A closed pipe
//! (`| head -1`) still ends the program quietly, by SIGPIPE, as in C.
//!
//! A bin imports them once, and its `println!` lines stay as they were:
//!
//! ```no_run
//! use common::println; // reports a failing stdout instead of panicking
//!
//! println!("Child PID: {} ", 42);
//! ```
//!
//! On stderr, [`eprint_line`] and [`report`] write a whole line with a
//! single `write(2)`: lines from several processes never interleave
//! (`eprintln!` may write a line in pieces).

use std::fmt::{self, Display};
use std::io::{self, Write};

use crate::die::{error_handling, error_line};

/// C: `printf(...)`, a line that either reaches stdout or ends the
/// program with `write to stdout error: <reason>` and exit 1.
#[macro_export]
macro_rules! println {
    () => {
        $crate::out::print_fmt(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::out::print_fmt(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// C: `printf(...)` without a newline (a prompt); flushed at once, so it
/// shows before the program waits for input.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::out::print_fmt(format_args!($($arg)*))
    };
}

/// What [`println!`](crate::println) and [`print!`](crate::print) call:
/// writes and flushes, or reports the error through [`stdout_error`].
pub fn print_fmt(args: fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(err) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        stdout_error(err);
    }
}

/// Ends the program after a failed write to stdout, the way C would want:
/// a closed pipe (`EPIPE`) ends it quietly by SIGPIPE, as a C program dies
/// of it; any other reason is reported as `write to stdout error: <reason>`
/// with exit 1.
pub fn stdout_error(err: io::Error) -> ! {
    if err.kind() == io::ErrorKind::BrokenPipe {
        // SAFETY: signal(2) with SIG_DFL installs no handler of ours, and
        // raise(3) then delivers SIGPIPE to this thread: its default
        // action ends the process.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            libc::raise(libc::SIGPIPE);
        }
    }
    error_handling(&error_line("write to stdout error", &err))
}

/// One whole line on stderr in a single `write(2)`: the text and its
/// newline are put together first. Errors writing stderr are ignored, as
/// C's `fputs(..., stderr)` result is.
pub fn eprint_line(line: &str) {
    let mut whole = String::with_capacity(line.len() + 1);
    whole.push_str(line);
    whole.push('\n');
    // Stderr is unbuffered: write_all is one write(2), unless the kernel
    // takes only part of it (not for a line on a pipe or a terminal).
    let _ = io::stderr().lock().write_all(whole.as_bytes());
}

/// Kerrisk's `errMsg`: `message: reason` on stderr in one line, one
/// `write(2)`, and the program goes on (a server reports a failed
/// `accept` and keeps serving).
pub fn report<E: Display + 'static>(message: &str, reason: &E) {
    eprint_line(&error_line(message, reason));
}

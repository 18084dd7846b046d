//! The twin of the C programs' `error_handling()` and their usage line.
//!
//! Only a bin calls these: each one ends the process with exit status 1,
//! after flushing standard output so that no line the student expects is
//! lost.

use std::any::Any;
use std::fmt::Display;
use std::io::Write;
use std::process;

/// C: `error_handling(message)`: the message alone on stderr, exit 1.
///
/// Use it where the C program reports an error that has no OS reason
/// (`Conversion error`, `gethost... error` without a resolver text).
pub fn error_handling(message: &str) -> ! {
    let _ = std::io::stdout().flush();
    crate::out::eprint_line(message); // one write(2): never half a line
    process::exit(1);
}

/// `.or_die("bind() error")`: Stevens' `Bind()` wrapper as one method.
///
/// On `Err` it prints the C message, then the reason the OS gave
/// (`bind() error: Address already in use (os error 98)`), and exits 1,
/// so `main` reads like the C program's steps.
pub trait OrDie<T> {
    /// Returns the value, or reports `message: reason` on stderr and exits 1.
    fn or_die(self, message: &str) -> T;
}

impl<T, E: Display + 'static> OrDie<T> for Result<T, E> {
    fn or_die(self, message: &str) -> T {
        match self {
            Ok(value) => value,
            Err(reason) => error_handling(&error_line(message, &reason)),
        }
    }
}

/// The line `or_die` prints: the C message, then the OS reason.
///
/// std and socket2 report an OS error as `strerror` text with its number
/// (`Bad file descriptor (os error 9)`); nix's `Errno` has its own, older
/// texts (`EBADF: Bad file number`). Both are shown the std way, so every
/// program reports the same error with the same words.
pub fn error_line<E: Display + 'static>(message: &str, reason: &E) -> String {
    let any: &dyn Any = reason;
    match any.downcast_ref::<nix::errno::Errno>() {
        Some(&errno) => format!("{message}: {}", std::io::Error::from(errno)),
        None => format!("{message}: {reason}"),
    }
}

/// The usage line as the C programs print it (without the newline).
pub fn usage_line(prefix: &str, argv0: &str, usage: &str) -> String {
    format!("{prefix}{argv0} {usage}")
}

/// Gives SIGPIPE back its default action, as in every C program: a write
/// to a closed pipe (`cargo run --bin endian_conv | head -1`) ends the
/// program quietly. Rust starts programs with SIGPIPE ignored, so the
/// write fails instead, and `println!` turns that failure into a panic.
///
/// Only for programs that write to no TCP socket: there the default would
/// also kill the program when a peer vanishes, which the servers must
/// survive.
pub fn restore_sigpipe() {
    // SAFETY: signal(2) with SIG_DFL installs no handler of ours; it is
    // called first thing in main, before the program starts any thread.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
}

/// The program's name as the C programs print it: `argv[0]`.
pub fn argv0() -> String {
    std::env::args_os()
        .next()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "<program>".to_string())
}

/// C: `printf("Usage : %s <port>\n", argv[0]); exit(1);`
///
/// `prefix` is `"Usage : "` for every program but file_server and
/// file_client, whose C originals print `"Usage: "`. The usage line goes to
/// **stdout**, as in the C programs.
pub fn usage_exit(prefix: &str, usage: &str) -> ! {
    crate::println!("{}", usage_line(prefix, &argv0(), usage));
    process::exit(1);
}

/// C: `if(argc!=3){ printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }`
///
/// Returns the `expected` arguments after the program name, or prints the
/// usage line and exits 1 when there are more or fewer. An argument that
/// is not valid UTF-8 is an error too (the course's arguments are ports,
/// addresses and names).
pub fn usage_args(expected: usize, usage: &str) -> Vec<String> {
    let args = utf8_args();
    if args.len() != expected {
        usage_exit("Usage : ", usage);
    }
    args
}

/// The arguments after the program name, as `String`s; a non-UTF-8
/// argument ends the process with a clear error.
pub fn utf8_args() -> Vec<String> {
    std::env::args_os()
        .skip(1)
        .map(|arg| match arg.into_string() {
            Ok(text) => text,
            Err(raw) => error_handling(&format!(
                "bad argument {}: not valid UTF-8",
                raw.to_string_lossy()
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn error_line_is_the_c_message_then_the_os_reason() {
        let reason = io::Error::from_raw_os_error(libc::EADDRINUSE);
        assert_eq!(
            error_line("bind() error", &reason),
            "bind() error: Address already in use (os error 98)"
        );
    }

    #[test]
    fn nix_errors_read_like_std_errors() {
        let reason = nix::errno::Errno::EBADF;
        assert_eq!(
            error_line("write() error", &reason),
            "write() error: Bad file descriptor (os error 9)"
        );
    }

    #[test]
    fn usage_line_keeps_each_programs_spacing() {
        assert_eq!(
            usage_line("Usage : ", "./echo_server", "<port>"),
            "Usage : ./echo_server <port>"
        );
        assert_eq!(
            usage_line("Usage: ", "./file_client", "<IP> <port>"),
            "Usage: ./file_client <IP> <port>"
        );
    }
}

//! `--help`: how to run a program, for the student who has only cargo.
//!
//! The C programs have no `--help`; the twins answer it before anything
//! else, and every other argument means what it means in C. A bin
//! declares its text once and answers first thing in `main`:
//!
//! ```no_run
//! const HELP: common::Help = common::Help::new(
//!     "<port>",
//!     "the iterative echo server: five clients, one after another",
//!     "cargo run --bin echo_server -- 9190             # terminal 1, first
//! cargo run --bin echo_client -- 127.0.0.1 9190   # terminal 2, then",
//! );
//!
//! fn main() {
//!     common::answer_help(&HELP); // --help (not in C): how to run it
//!     let args = common::usage_args(1, HELP.usage);
//! }
//! ```

use crate::die::{argv0, usage_line};

/// What `--help` prints: the usage line, one line of purpose, and how to
/// run the program with cargo (its partner program included, in order).
#[derive(Debug, Clone, Copy)]
pub struct Help {
    /// The usage line's prefix: `"Usage : "`, or `"Usage: "` where the C
    /// program prints that (file_server, file_client).
    pub prefix: &'static str,
    /// The arguments as the usage line names them (`"<IP> <port>"`), or
    /// `""` for a program without arguments.
    pub usage: &'static str,
    /// One line: what the program shows.
    pub purpose: &'static str,
    /// Shell lines, one per line, that run it (and its partner) with cargo.
    pub run: &'static str,
}

impl Help {
    /// A help text with the usual `"Usage : "` prefix.
    pub const fn new(
        usage: &'static str,
        purpose: &'static str,
        run: &'static str,
    ) -> Help {
        Help {
            prefix: "Usage : ",
            usage,
            purpose,
            run,
        }
    }

    /// The same text with another usage-line prefix.
    pub const fn with_prefix(self, prefix: &'static str) -> Help {
        Help { prefix, ..self }
    }

    /// The whole text `--help` prints, for the program named `argv0`.
    pub fn text(&self, argv0: &str) -> String {
        let usage = usage_line(self.prefix, argv0, self.usage);
        let mut text = format!(
            "{}\n{}\n\nRun it with cargo:\n",
            usage.trim_end(),
            self.purpose
        );
        for line in self.run.lines() {
            text.push_str("  ");
            text.push_str(line.trim_start());
            text.push('\n');
        }
        text
    }
}

/// Is the argument list a request for help: exactly `--help`?
pub fn asks_for_help<S: AsRef<str>>(args: &[S]) -> bool {
    matches!(args, [only] if only.as_ref() == "--help")
}

/// If the program was started with `--help` alone, prints the help text
/// on stdout and exits 0; otherwise does nothing, so the C behaviour for
/// every other argument stays.
pub fn answer_help(help: &Help) {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    if asks_for_help(&args) {
        crate::print!("{}", help.text(&argv0()));
        std::process::exit(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELP: Help = Help::new(
        "<port>",
        "the iterative echo server",
        "cargo run --bin echo_server -- 9190   # terminal 1
         cargo run --bin echo_client -- 127.0.0.1 9190   # terminal 2",
    );

    #[test]
    fn help_text_starts_with_the_usage_line() {
        let text = HELP.text("./echo_server");
        assert_eq!(
            text,
            "Usage : ./echo_server <port>\nthe iterative echo server\n\n\
             Run it with cargo:\n\
             \x20 cargo run --bin echo_server -- 9190   # terminal 1\n\
             \x20 cargo run --bin echo_client -- 127.0.0.1 9190   \
             # terminal 2\n"
        );
    }

    #[test]
    fn only_a_lone_help_asks_for_help() {
        assert!(asks_for_help(&["--help"]));
        assert!(!asks_for_help(&["9190"]));
        assert!(!asks_for_help(&["--help", "9190"]));
        assert!(!asks_for_help::<&str>(&[]));
    }
}

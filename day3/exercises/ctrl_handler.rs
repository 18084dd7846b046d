//! ctrl_handler: prints `Have a nice day~` every second; Ctrl+C (SIGINT)
//! asks `Do you want exit(Y to exit)? ` and `Y` ends it, with status 1.
//! The handler only records the signal: the question is asked outside it.
//!
//! **Exercise starter** (`ctrl_handler`): this is ctrl_handler with the work of
//! its handler and the question taken out. Write the steps marked `todo!()`,
//! then check it: `cargo run --bin check -- ctrl_handler`.
//!
//! - Course notes: 3일차, "프로세스 & zombie 프로세스" (the notes stop
//!   there; signals are chapter 10 of the book, "시그널 핸들링"); the
//!   answer to chapter 10, question 5
//! - C original: `TCPIP_Answer/Answer1/Ch10/Q5/ctrl_handler.c`
//! - Man pages: `sigaction(2)`, `sleep(3)`, `nanosleep(2)`, `scanf(3)`,
//!   `signal-safety(7)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin my_ctrl_handler
//! # press Ctrl+C, answer n: it goes on; Ctrl+C again, answer Y: it ends
//! echo $?    # 1, as the C's exit(1)
//! ```
//!
//! Expected output (the answers typed after the question):
//!
//! ```text
//! Have a nice day~
//! Have a nice day~
//! ^CDo you want exit(Y to exit)? n
//! Have a nice day~
//! ^CDo you want exit(Y to exit)? Y
//! ```
//!
//! # Differences from the C original
//!
//! - The C handler calls `fputs` and `scanf`. Neither is
//!   async-signal-safe: a SIGINT that arrives while `puts` holds the
//!   stdout lock, or in the middle of its buffer, can deadlock or corrupt
//!   it. The twin's handler only stores `true` in an atomic flag; the main
//!   loop sees the flag when the interrupted `sleep` returns, and asks
//!   there. A SIGINT that comes while the program prints (not while it
//!   sleeps) is asked about after the next sleep, up to a second later.
//!   The C also calls `exit(1)` in the handler (it flushes stdio and runs
//!   `atexit` functions: not async-signal-safe either); the twin exits
//!   from `main`, with the same status 1.
//! - `scanf("%c")` reads one character and leaves the newline for the
//!   next Ctrl+C, whose question then goes by unanswered. The twin reads
//!   the whole answer line and looks at its first character. End of
//!   input is not `Y` (the C would test an uninitialised `ex`).
//! - The 1-second sleep goes through the course's `TCPIP_SLEEP_SCALE`
//!   knob, so the tests run it faster.

// Until the todo!()s below are written, the code after them never runs
// and the compiler would call it unused: delete this line when you are done.
#![allow(unused, clippy::diverging_sub_expression)]

use std::io::{self, BufRead, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use common::OrDie;
use nix::sys::signal::{
    SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction,
};

/// Set by the handler, cleared by the main loop when it asks.
static SIGINT_RECEIVED: AtomicBool = AtomicBool::new(false);

// ANCHOR: handler
/// C: `void ctrl_handler(int sig)`, with its work moved out: an atomic
/// store is async-signal-safe; `fputs` and `scanf` are not.
extern "C" fn ctrl_handler(_sig: libc::c_int) {
    todo!("C: ctrl_handler(int sig): only note that SIGINT came");
}
// ANCHOR_END: handler

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "ctrl_handler: Ctrl+C asks before ending; the handler only records it",
    "cargo run --bin ctrl_handler   # press Ctrl+C, answer Y or n",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::check_sleep_scale(); // a bad TCPIP_SLEEP_SCALE: exit 1 now
    common::restore_sigpipe(); // as in C: a closed pipe ends it quietly
    // The C program ignores its arguments.

    // ANCHOR: steps
    // C: act.sa_handler=ctrl_handler; sigemptyset(&act.sa_mask);
    //    act.sa_flags=0; sigaction(SIGINT, &act, 0);
    // Flags 0, no SA_RESTART: the signal cuts the sleep short.
    let act = SigAction::new(
        SigHandler::Handler(ctrl_handler),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler only stores to an atomic, which is
    // async-signal-safe.
    unsafe { sigaction(Signal::SIGINT, &act) }.or_die("sigaction() error");

    let mut stdout = io::stdout();
    loop {
        // C: sleep(1);
        // A SIGINT ends the sleep early, once its handler has run.
        common::sleep(1);

        // C (in ctrl_handler): fputs("Do you want exit(Y to exit)? ",
        //                           stdout); scanf("%c", &ex);
        //                      if(ex=='y' || ex=='Y') exit(1);
        // Here, outside the handler, where printing and reading are safe.
        if SIGINT_RECEIVED.swap(false, Ordering::SeqCst) {
            todo!("C: fputs(\"Do you want exit(Y to exit)? \", stdout); ...");
        }

        // C: puts("Have a nice day~");
        writeln!(stdout, "Have a nice day~").or_die("write to stdout error");
    }
    // ANCHOR_END: steps
}

//! waitpid: ask "has a child ended?" without blocking (`WNOHANG`), and keep
//! working while the answer is no.
//!
//! - Course notes: 3일차, "프로세스 & zombie 프로세스" (the parent must ask
//!   for the exit value; `wait` blocks, `waitpid` with `WNOHANG` does not)
//! - C original: `ch10/waitpid.c`
//! - Man pages: `fork(2)`, `waitpid(2)` (`WNOHANG`, `WIFEXITED`,
//!   `WEXITSTATUS`)
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin waitpid
//! ```
//!
//! Expected output: the child sleeps 15 s while the parent checks every
//! 3 s, so `sleep 3sec.` appears 5 or 6 times (the last check races with
//! the child's end), then the child's exit value (`Child send 24 ` ends
//! with a space, as in C):
//!
//! ```text
//! sleep 3sec.
//! sleep 3sec.
//! sleep 3sec.
//! sleep 3sec.
//! sleep 3sec.
//! Child send 24
//! ```
//!
//! # Differences from the C original
//!
//! - The C program does not check `fork`'s result; the twin reports
//!   `fork() error: <reason>` and exits 1. If `waitpid` fails (-1) the C
//!   loop ends and reads an unset `status`; the twin reports
//!   `waitpid() error: <reason>`.
//! - The sleeps (15 s, 3 s) are scaled by `TCPIP_SLEEP_SCALE` (default 1).
//! - Standard output is flushed before `fork`.

use std::io::Write;
use std::process::ExitCode;

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "waitpid: asks \"has a child ended?\" without blocking (WNOHANG)",
    "cargo run --bin waitpid",
);

fn main() -> ExitCode {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    common::check_sleep_scale(); // a bad TCPIP_SLEEP_SCALE: exit 1 now
    // ANCHOR: steps
    // C: pid_t pid=fork();
    std::io::stdout().flush().or_die("fflush() error");
    // SAFETY: this program has a single thread, so in the child no lock can
    // be held by a thread that no longer exists; the child only sleeps and
    // returns 24 from main.
    if let ForkResult::Child = unsafe { fork() }.or_die("fork() error") {
        // C: sleep(15); return 24;
        common::sleep(15);
        return ExitCode::from(24);
    }

    // C: while(!waitpid(-1, &status, WNOHANG)) {
    //        sleep(3); puts("sleep 3sec."); }
    // -1: any child. WNOHANG: if none has ended yet, return 0 at once
    // (nix: StillAlive) instead of blocking, so the parent can do other work.
    let status = loop {
        let status = waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG))
            .or_die("waitpid() error");
        if status != WaitStatus::StillAlive {
            break status;
        }
        common::sleep(3);
        println!("sleep 3sec.");
    };

    // C: if(WIFEXITED(status)) printf("Child send %d \n", WEXITSTATUS(status));
    if let WaitStatus::Exited(_pid, code) = status {
        println!("Child send {code} ");
    }
    // ANCHOR_END: steps
    ExitCode::SUCCESS
}

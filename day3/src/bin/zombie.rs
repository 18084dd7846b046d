//! zombie: a child that has ended but is not yet collected stays a zombie
//! (state `Z`) for as long as its parent lives.
//!
//! - Course notes: 3일차, "프로세스 & zombie 프로세스" (a child's exit
//!   value waits in the OS until the parent asks for it; until then the
//!   child is a zombie)
//! - C original: `ch10/zombie.c`
//! - Man pages: `fork(2)`, `exit(3)`, `ps(1)`, `proc(5)` (`/proc/<pid>/stat`)
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: the parent sleeps 30 s and never asks for the exit value
//! cargo run --bin zombie
//! # terminal 2, within those 30 s: the child's STAT column shows Z
//! ps -o pid,ppid,stat,cmd -C zombie
//! ```
//!
//! Expected output in terminal 1 (the child's two lines and the parent's
//! first line may interleave differently; `Child Process ID: N ` ends with
//! a space, as in C):
//!
//! ```text
//! Child Process ID: 12345
//! Hi I'am a child process
//! End child process
//! End parent process
//! ```
//!
//! `End parent process` comes after 30 s (`TCPIP_SLEEP_SCALE=0.1` makes it
//! 3 s). When the parent ends, the zombie is handed to `init` (pid 1, or
//! the nearest "subreaper"), which collects it.
//!
//! # Differences from the C original
//!
//! - The C program does not check `fork`'s result; the twin reports
//!   `fork() error: <reason>` and exits 1.
//! - The 30 s sleep is scaled by `TCPIP_SLEEP_SCALE` (default 1).
//! - Standard output is flushed before `fork`.

use std::io::Write;

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use nix::unistd::{ForkResult, fork};

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "zombie: an ended child stays a zombie while its parent does not wait",
    "cargo run --bin zombie              # terminal 1, first
     ps -o pid,ppid,stat,cmd -C zombie   # terminal 2, within 30 s",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    common::check_sleep_scale(); // a bad TCPIP_SLEEP_SCALE: exit 1 now
    // ANCHOR: steps
    // C: pid_t pid=fork();
    std::io::stdout().flush().or_die("fflush() error");
    // SAFETY: this program has a single thread, so in the child no lock can
    // be held by a thread that no longer exists; the child only prints two
    // lines and returns from main, as the C child does.
    let pid = unsafe { fork() }.or_die("fork() error");

    match pid {
        // C: puts("Hi I'am a child process");
        // The child ends right after this: its exit value waits in the OS.
        // (sic) "I'am", as in the C original
        ForkResult::Child => println!("Hi I'am a child process"),
        // C: printf("Child Process ID: %d \n", pid); sleep(30);
        // The parent never calls wait, so during these 30 s the ended
        // child stays a zombie: look at it with ps.
        ForkResult::Parent { child } => {
            println!("Child Process ID: {child} ");
            common::sleep(30);
        }
    }

    // C: if(pid==0) puts("End child process"); else puts("End parent process");
    match pid {
        ForkResult::Child => println!("End child process"),
        ForkResult::Parent { .. } => println!("End parent process"),
    }
    // ANCHOR_END: steps
}

//! wait: the parent collects its children's exit values, so no zombie
//! is left.
//!
//! - Course notes: 3일차, "프로세스 & zombie 프로세스" (the exit value goes
//!   to the parent only when the parent asks for it with a function call)
//! - C original: `ch10/wait.c`
//! - Man pages: `fork(2)`, `wait(2)` (`WIFEXITED`, `WEXITSTATUS`), `exit(3)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin wait
//! # terminal 2, during the parent's 30 s sleep: no <defunct> child left
//! ps -o pid,ppid,stat,cmd -C wait
//! ```
//!
//! Expected output (3 and 7 come in the order `wait` returns the two
//! children, which is not fixed; each line ends with a space, as in C);
//! then the parent sleeps 30 s:
//!
//! ```text
//! Child PID: 12345
//! Child PID: 12346
//! Child send one: 3
//! Child send two: 7
//! ```
//!
//! # Differences from the C original
//!
//! - The C program does not check `fork`'s result; the twin reports
//!   `fork() error: <reason>` and exits 1. If `wait` fails the C program
//!   reads an unset `status`; the twin reports `wait() error: <reason>`.
//! - Standard output is flushed before each `fork`. Without that, the C
//!   program piped into `cat` prints `Child PID:` of the first child twice:
//!   the line still sits in stdio's buffer at the second `fork`, and the
//!   second child's `exit(7)` flushes its copy.
//! - The 30 s sleep is scaled by `TCPIP_SLEEP_SCALE` (default 1).

use std::io::Write;
use std::process::ExitCode;

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use nix::sys::wait::{WaitStatus, wait};
use nix::unistd::{ForkResult, fork};

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "wait: the parent collects its children's exit values with wait",
    "cargo run --bin wait              # terminal 1, first
     ps -o pid,ppid,stat,cmd -C wait   # terminal 2, during its 30 s sleep",
);

fn main() -> ExitCode {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    common::check_sleep_scale(); // a bad TCPIP_SLEEP_SCALE: exit 1 now
    // ANCHOR: steps
    // C: pid_t pid=fork();
    std::io::stdout().flush().or_die("fflush() error");
    // SAFETY: this program has a single thread, so in the child no lock can
    // be held by a thread that no longer exists; the child only returns 3
    // from main.
    match unsafe { fork() }.or_die("fork() error") {
        // C: if(pid==0) return 3;  (main's return value is the exit value)
        ForkResult::Child => return ExitCode::from(3),
        // C: printf("Child PID: %d \n", pid);
        ForkResult::Parent { child } => println!("Child PID: {child} "),
    }

    // C: pid=fork();
    // Flush: the line above must not be copied into the second child.
    std::io::stdout().flush().or_die("fflush() error");
    // SAFETY: as above; this child only calls exit(7).
    match unsafe { fork() }.or_die("fork() error") {
        // C: if(pid==0) exit(7);
        ForkResult::Child => std::process::exit(7),
        // C: printf("Child PID: %d \n", pid);
        ForkResult::Parent { child } => println!("Child PID: {child} "),
    }

    // C: wait(&status);
    //    if(WIFEXITED(status))
    //        printf("Child send one: %d \n", WEXITSTATUS(status));
    // wait blocks until one child (either one) has ended, collects its exit
    // value and removes it from the process table: it is no zombie any more.
    if let WaitStatus::Exited(_pid, code) = wait().or_die("wait() error") {
        println!("Child send one: {code} ");
    }
    // C: the same for the second child: "Child send two: %d \n"
    if let WaitStatus::Exited(_pid, code) = wait().or_die("wait() error") {
        println!("Child send two: {code} ");
    }

    // C: sleep(30);
    // Time to look with ps: both children are gone, not <defunct>.
    common::sleep(30);
    // ANCHOR_END: steps
    ExitCode::SUCCESS
}

//! remove_zombie: a SIGCHLD handler collects each child as soon as it ends,
//! so the parent can do its own work and still leave no zombie.
//!
//! **Exercise starter** (`reap_all`): this is remove_zombie with the waiting
//! loop of its SIGCHLD handler taken out. Write the steps marked `todo!()`,
//! then check it: `cargo run --bin check -- reap_all`.
//!
//! - Course notes: 3일차, "프로세스 & zombie 프로세스" (the parent must ask
//!   for the exit value; here the OS tells it when, with SIGCHLD)
//! - C original: `ch10/remove_zombie.c`
//! - Man pages: `sigaction(2)`, `waitpid(2)` (`WNOHANG`), `fork(2)`,
//!   `signal(7)` (standard signals are not queued), `signal-safety(7)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin my_reap_all
//! # terminal 2, any time: the children never show as <defunct>
//! ps -o pid,ppid,stat,cmd -C remove_zombie
//! ```
//!
//! Expected output: the children end after 10 s and each one is reported
//! as it is collected; the parent goes on to its fifth `wait...`. Each
//! SIGCHLD also ends the parent's current 5 s sleep early. The lines with
//! a number end with a space, as in C.
//!
//! ```text
//! Hi! I'm child process
//! Child proc id: 9529
//! Hi! I'm child process
//! Child proc id: 9530
//! wait...
//! wait...
//! Removed proc id: 9530
//! Child send: 24
//! wait...
//! Removed proc id: 9529
//! Child send: 12
//! wait...
//! wait...
//! ```
//!
//! The two `Removed` pairs may also come one right after the other, when
//! one signal announced both children.
//!
//! # Differences from the C original
//!
//! - The C handler calls `waitpid` once per signal. When both children end
//!   at the same moment, the second SIGCHLD arrives while the first is
//!   still pending, and a pending standard signal is not counted twice: the
//!   handler runs once, reaps one child, and the other stays a zombie until
//!   the parent ends. The twin's handler loops `waitpid(-1, WNOHANG)` until
//!   no ended child is left, so every child is collected (see the book's
//!   page "시그널은 합쳐진다").
//! - The C handler calls `printf`, which is not async-signal-safe, and
//!   reads `status` even when nothing was reaped. The twin's handler only
//!   reaps and records each pid and exit value in atomics; `main` prints
//!   `Removed proc id:` and `Child send:` when the sleep that the signal
//!   interrupted returns, which is the same place in the output. (A
//!   SIGCHLD that lands while `main` prints `wait...`, not while it
//!   sleeps, is reported after the next sleep.)
//! - The handler saves and restores `errno`: its last `waitpid` fails with
//!   ECHILD, and the code it interrupted must not see that.
//! - The C program does not check `fork`'s result; the twin reports
//!   `fork() error: <reason>` and exits 1. Standard output is flushed
//!   before each `fork` (the C program piped into `cat` prints the first
//!   `Child proc id:` twice: the second child's `exit(24)` flushes a copy).
//! - The sleeps (10 s, 5 s) are scaled by `TCPIP_SLEEP_SCALE` (default 1).

// Until the todo!()s below are written, the code after them never runs
// and the compiler would call it unused: delete this line when you are done.
#![allow(unused, clippy::diverging_sub_expression)]

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

use common::OrDie;
use nix::errno::Errno;
use nix::sys::signal::{
    SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction,
};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};

/// The C program forks two children.
const CHILDREN: usize = 2;

/// What the handler collected, in order: each child's pid and exit value.
/// The handler fills a slot, then counts it; `main` prints counted slots.
static REAPED_PID: [AtomicI32; CHILDREN] =
    [const { AtomicI32::new(0) }; CHILDREN];
static REAPED_CODE: [AtomicI32; CHILDREN] =
    [const { AtomicI32::new(0) }; CHILDREN];
static REAPED_COUNT: AtomicUsize = AtomicUsize::new(0);

// ANCHOR: handler
/// C: `void read_childproc(int sig)`, but looping. Async-signal-safe work
/// only: `waitpid`, atomics, and saving `errno`.
extern "C" fn read_childproc(_sig: libc::c_int) {
    let saved_errno = Errno::last_raw();
    // C: pid_t id=waitpid(-1, &status, WNOHANG);
    //    (once; here until none is left)
    // One SIGCHLD may stand for several children that ended together.
    // For each child reaped with an exit code: store its pid and code in
    // the next slot of REAPED_PID and REAPED_CODE, then count it in
    // REAPED_COUNT (Release), so main prints it. 0 from waitpid: the
    // other children still run; ECHILD: no child is left.
    // (A todo!() reached here panics inside a signal handler, which
    // cannot unwind: the program aborts. Write this step first.)
    todo!("C: while((pid=waitpid(-1, &status, WNOHANG)) > 0) {{ ... }}");
    Errno::set_raw(saved_errno);
}
// ANCHOR_END: handler

/// Prints the children the handler collected since the last call, as the
/// C handler's two `printf`s do.
fn print_reaped(printed: &mut usize) {
    let count = REAPED_COUNT.load(Ordering::Acquire);
    while *printed < count {
        println!(
            "Removed proc id: {} ",
            REAPED_PID[*printed].load(Ordering::Relaxed)
        );
        println!(
            "Child send: {} ",
            REAPED_CODE[*printed].load(Ordering::Relaxed)
        );
        *printed += 1;
    }
}

fn main() -> ExitCode {
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // ANCHOR: steps
    // C: act.sa_handler=read_childproc; sigemptyset(&act.sa_mask);
    //    act.sa_flags=0; sigaction(SIGCHLD, &act, 0);
    // When a child ends, the kernel sends SIGCHLD: our handler runs.
    let act = SigAction::new(
        SigHandler::Handler(read_childproc),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler does only async-signal-safe work (see above).
    unsafe { sigaction(Signal::SIGCHLD, &act) }.or_die("sigaction() error");

    // C: pid=fork();
    std::io::stdout().flush().or_die("fflush() error");
    // SAFETY: this program has a single thread, so in the child no lock can
    // be held by a thread that no longer exists; the child only prints,
    // sleeps and returns 12 from main.
    match unsafe { fork() }.or_die("fork() error") {
        // C: puts("Hi! I'm child process"); sleep(10); return 12;
        ForkResult::Child => {
            println!("Hi! I'm child process");
            common::sleep(10);
            return ExitCode::from(12);
        }
        // C: printf("Child proc id: %d \n", pid);  pid=fork();
        ForkResult::Parent { child } => println!("Child proc id: {child} "),
    }
    std::io::stdout().flush().or_die("fflush() error");
    // SAFETY: as above; this child prints, sleeps and calls exit(24).
    match unsafe { fork() }.or_die("fork() error") {
        // C: puts("Hi! I'm child process"); sleep(10); exit(24);
        ForkResult::Child => {
            println!("Hi! I'm child process");
            common::sleep(10);
            std::process::exit(24);
        }
        // C: printf("Child proc id: %d \n", pid);
        ForkResult::Parent { child } => println!("Child proc id: {child} "),
    }

    // C: for(i=0; i<5; i++) { puts("wait..."); sleep(5); }
    // The parent's own work. A SIGCHLD ends the current sleep early; then
    // we print what the handler collected.
    let mut printed = 0;
    for _ in 0..5 {
        println!("wait...");
        common::sleep(5);
        print_reaped(&mut printed);
    }
    // ANCHOR_END: steps
    ExitCode::SUCCESS
}

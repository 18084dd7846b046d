//! sigaction: the same wake-up as `signal`, with the handler installed by
//! `sigaction`, the portable call. Only SIGALRM is handled.
//!
//! - Course notes: 3일차, "프로세스 & zombie 프로세스" (the notes stop
//!   there; signals are chapter 10 of the book, "시그널 핸들링")
//! - C original: `ch10/sigaction.c`
//! - Man pages: `sigaction(2)`, `sigemptyset(3)`, `alarm(2)`,
//!   `setitimer(2)`, `sleep(3)`, `nanosleep(2)`, `signal(7)` (interrupted
//!   calls and `SA_RESTART`), `signal-safety(7)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin sigaction
//! # Ctrl+C ends it at once, with no message: SIGINT has no handler here
//! ```
//!
//! Expected output, about 6 s in all instead of 300 (each `Time out!`
//! comes 2 s after the line before it):
//!
//! ```text
//! wait...
//! Time out!
//! wait...
//! Time out!
//! wait...
//! Time out!
//! ```
//!
//! # Differences from the C original
//!
//! - `alarm(2)` counts whole seconds, so with `TCPIP_SLEEP_SCALE` below 1
//!   a scaled alarm would round to `alarm(0)`, which cancels. The twin sets
//!   the same timer (`ITIMER_REAL`, which `alarm` also uses) with
//!   `setitimer`, in microseconds. The interval is computed in `main`
//!   before the handler is installed: a handler must not read the
//!   environment or allocate.
//! - The C handler calls `puts`, which is not async-signal-safe (it takes
//!   stdio's lock; if the signal arrives inside another `puts`, that is
//!   undefined behaviour). The twin's handler writes its fixed message
//!   with `write(2)`, which is safe, and which still prints it at the
//!   moment the signal arrives, as the C program shows it. It saves and
//!   restores `errno`, which a failed `write` would change.
//! - The sleeps (alarm 2 s, `sleep(100)`) are scaled by
//!   `TCPIP_SLEEP_SCALE` (default 1). A knob of 0 makes them all 0 and
//!   the alarm cancelled: the program then just prints `wait...` 3 times.

use std::sync::atomic::{AtomicU64, Ordering};

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use nix::errno::Errno;
use nix::sys::signal::{
    SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction,
};

/// C's `alarm(2)`, scaled, in microseconds. Written once by `main` before
/// the handler is installed; the handler only loads it (an atomic load
/// is async-signal-safe).
static ALARM_MICROS: AtomicU64 = AtomicU64::new(0);

/// C: `alarm(2);`: one SIGALRM after the interval, through
/// `setitimer(ITIMER_REAL)`, the timer `alarm` uses, but in microseconds.
fn set_alarm() {
    let micros = ALARM_MICROS.load(Ordering::Relaxed);
    let timer = libc::itimerval {
        it_interval: libc::timeval {
            tv_sec: 0, // 0: fire once, as alarm does; the handler re-arms
            tv_usec: 0,
        },
        it_value: libc::timeval {
            tv_sec: (micros / 1_000_000) as libc::time_t,
            tv_usec: (micros % 1_000_000) as libc::suseconds_t,
        },
    };
    // SAFETY: setitimer reads the itimerval on this stack frame and, with
    // a null old_value, writes nothing. In a handler: POSIX's list in
    // signal-safety(7) names alarm, not setitimer, but glibc's setitimer
    // is the bare system call, with no lock and no allocation, like alarm.
    unsafe { libc::setitimer(libc::ITIMER_REAL, &timer, std::ptr::null_mut()) };
}

/// `write(2)` of a fixed message to stdout, the async-signal-safe way to
/// print from a handler (`println!` takes a lock that main may hold).
fn write_in_handler(message: &'static [u8]) {
    // SAFETY: write(2) is async-signal-safe; pointer and length describe a
    // static byte string. A failed write is ignored, as puts' result is.
    unsafe {
        libc::write(libc::STDOUT_FILENO, message.as_ptr().cast(), message.len())
    };
}

// ANCHOR: handlers
/// C: `void timeout(int sig)`. Async-signal-safe work only: a comparison,
/// `write(2)`, `setitimer`, and `errno` saved and restored (a failed
/// `write` would change it under the code the signal interrupted).
extern "C" fn timeout(sig: libc::c_int) {
    let saved_errno = Errno::last_raw();
    if sig == Signal::SIGALRM as libc::c_int {
        write_in_handler(b"Time out!\n");
    }
    set_alarm(); // C: alarm(2);  re-armed: another SIGALRM in 2 s
    Errno::set_raw(saved_errno);
}
// ANCHOR_END: handlers

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "sigaction: the same wake-up as signal, with the handler set by sigaction",
    "cargo run --bin sigaction",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    common::check_sleep_scale(); // a bad TCPIP_SLEEP_SCALE: exit 1 now
    // The alarm's interval, scaled by the knob, before any handler can run.
    let interval = common::scaled(2).as_micros();
    ALARM_MICROS.store(
        u64::try_from(interval).unwrap_or(u64::MAX),
        Ordering::Relaxed,
    );

    // ANCHOR: steps
    // C: act.sa_handler=timeout; sigemptyset(&act.sa_mask); act.sa_flags=0;
    //    sigaction(SIGALRM, &act, 0);
    // The handler; the signals blocked while it runs (an empty mask: only
    // SIGALRM itself, which is always blocked during its own handler); and
    // the flags: 0, so no SA_RESTART, unlike glibc's signal().
    // A read or write that the signal interrupts then fails with EINTR
    // instead of being restarted (Rust's println! retries by itself), and
    // nanosleep (C's sleep) returns early, as it always does.
    // SIGINT keeps its default action: Ctrl+C ends the process silently.
    let act = SigAction::new(
        SigHandler::Handler(timeout),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: the handler does only async-signal-safe work (see above).
    unsafe { sigaction(Signal::SIGALRM, &act) }.or_die("sigaction() error");

    // C: alarm(2);
    set_alarm();

    // C: for(i=0; i<3; i++) { puts("wait..."); sleep(100); }
    // Each sleep(100) ends when a signal's handler has run: 6 s, not 300.
    for _ in 0..3 {
        println!("wait...");
        common::sleep(100);
    }
    // ANCHOR_END: steps
}

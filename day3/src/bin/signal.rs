//! signal: a signal wakes a sleeping process. Three `sleep(100)` end after
//! about 6 s, because an alarm every 2 s interrupts each one.
//!
//! - Course notes: 3일차, "프로세스 & zombie 프로세스" (the notes stop
//!   there; signals are chapter 10 of the book, "시그널 핸들링")
//! - C original: `ch10/signal.c`
//! - Man pages: `signal(2)`, `alarm(2)`, `setitimer(2)`, `sleep(3)`,
//!   `nanosleep(2)`, `signal(7)` (interrupted calls and `SA_RESTART`),
//!   `signal-safety(7)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin signal
//! # press Ctrl+C while it waits: it prints CTRL+C pressed and goes on
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
//! A Ctrl+C prints `CTRL+C pressed` at once and also ends the current
//! sleep, so the next `wait...` follows.
//!
//! # Differences from the C original
//!
//! - `alarm(2)` counts whole seconds, so with `TCPIP_SLEEP_SCALE` below 1
//!   a scaled alarm would round to `alarm(0)`, which cancels. The twin sets
//!   the same timer (`ITIMER_REAL`, which `alarm` also uses) with
//!   `setitimer`, in microseconds. The interval is computed in `main`
//!   before the handlers are installed: a handler must not read the
//!   environment or allocate.
//! - The C handlers call `puts`, which is not async-signal-safe (it takes
//!   stdio's lock; if the signal arrives inside another `puts`, that is
//!   undefined behaviour). The twin's handlers write their fixed message
//!   with `write(2)`, which is safe, and which still prints it at the
//!   moment the signal arrives, as the C program shows it. They save and
//!   restore `errno`, which a failed `write` would change.
//! - The sleeps (alarm 2 s, `sleep(100)`) are scaled by
//!   `TCPIP_SLEEP_SCALE` (default 1). A knob of 0 makes them all 0 and
//!   the alarm cancelled: the program then just prints `wait...` 3 times.

use std::sync::atomic::{AtomicU64, Ordering};

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use nix::errno::Errno;
use nix::sys::signal::{SigHandler, Signal, signal};

/// C's `alarm(2)`, scaled, in microseconds. Written once by `main` before
/// the handlers are installed; the handler only loads it (an atomic load
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

/// C: `void keycontrol(int sig)`. Async-signal-safe work only.
extern "C" fn keycontrol(sig: libc::c_int) {
    let saved_errno = Errno::last_raw();
    if sig == Signal::SIGINT as libc::c_int {
        write_in_handler(b"CTRL+C pressed\n");
    }
    Errno::set_raw(saved_errno);
}
// ANCHOR_END: handlers

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "signal: a signal wakes a sleeping process (alarm, Ctrl+C)",
    "cargo run --bin signal   # press Ctrl+C while it waits",
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
    // C: signal(SIGALRM, timeout);  signal(SIGINT, keycontrol);
    // From now on these signals call our functions instead of ending the
    // process. glibc's signal() installs them with SA_RESTART: a read,
    // write or wait that a signal interrupts is restarted by the kernel.
    // nanosleep (C's sleep) is never restarted (see signal(7)): it returns
    // early, which is the lesson.
    // SAFETY: both handlers do only async-signal-safe work (see above).
    unsafe { signal(Signal::SIGALRM, SigHandler::Handler(timeout)) }
        .or_die("signal() error");
    // SAFETY: as above.
    unsafe { signal(Signal::SIGINT, SigHandler::Handler(keycontrol)) }
        .or_die("signal() error");

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

//! fork: one call, two processes, and each has its own copy of memory.
//!
//! - Course notes: 3일차, "fork 함수호출을 통한 프로세스 생성" (creating a
//!   process with fork: the child is a copy of the parent, and fork's return
//!   value tells the two apart)
//! - C original: `ch10/fork.c`
//! - Man pages: `fork(2)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin fork
//! ```
//!
//! Expected output (the two lines may come in either order: after `fork`
//! the scheduler decides who runs first; each ends with a space, as in C):
//!
//! ```text
//! Parent Proc: [9, 23]
//! Child Proc: [13, 27]
//! ```
//!
//! Both processes start from gval 11 and lval 25. The child adds 2, the
//! parent subtracts 2, and neither sees the other's change.
//!
//! # Differences from the C original
//!
//! - The global `int gval=10;` is a `static AtomicI32`: safe Rust has no
//!   unsynchronised mutable global. It is still one variable in the data
//!   segment, copied by `fork` like everything else.
//! - The C program does not check `fork`'s result (-1 would count as the
//!   parent); the twin reports `fork() error: <reason>` and exits 1.
//! - Standard output is flushed before `fork`, so a line printed earlier can
//!   never be printed twice through a pipe (see the `wait` program).

use std::io::Write;
use std::sync::atomic::{AtomicI32, Ordering};

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use nix::unistd::{ForkResult, fork};

/// C: `int gval=10;`: a global variable, in the data segment.
static GVAL: AtomicI32 = AtomicI32::new(10);

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "fork: one call, two processes, each with its own copy of memory",
    "cargo run --bin fork",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // ANCHOR: steps
    // C: int lval=20;  gval++, lval+=5;
    // A local variable on the stack, and the global: 11 and 25 from here on.
    let mut lval = 20;
    GVAL.fetch_add(1, Ordering::Relaxed);
    lval += 5;

    // C: pid=fork();
    // From here on there are two processes, each with its own copy of gval
    // and lval. Flush first, so nothing waiting in the buffer is copied too.
    std::io::stdout().flush().or_die("fflush() error");
    // SAFETY: this program has a single thread, so in the child no lock can
    // be held by a thread that no longer exists; the child only does
    // arithmetic, prints one line and returns from main, as the C child does.
    let pid = unsafe { fork() }.or_die("fork() error");

    // C: if(pid==0) gval+=2, lval+=2;  else gval-=2, lval-=2;
    // fork returned 0 in the child and the child's PID in the parent.
    match pid {
        ForkResult::Child => {
            GVAL.fetch_add(2, Ordering::Relaxed);
            lval += 2;
        }
        ForkResult::Parent { .. } => {
            GVAL.fetch_sub(2, Ordering::Relaxed);
            lval -= 2;
        }
    }

    // C: printf("Child Proc: [%d, %d] \n", gval, lval);  (or Parent Proc)
    let gval = GVAL.load(Ordering::Relaxed);
    match pid {
        ForkResult::Child => println!("Child Proc: [{gval}, {lval}] "),
        ForkResult::Parent { .. } => println!("Parent Proc: [{gval}, {lval}] "),
    }
    // ANCHOR_END: steps
}

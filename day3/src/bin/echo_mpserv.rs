//! echo_mpserv: the multi-process echo server, one child process per client.
//!
//! - Course notes: 3일차, "프로세스(실행중인 프로그램) 이해" (멀티프로세스
//!   기반 서버), "프로세스 & zombie 프로세스"
//! - C original: `ch10/echo_mpserv.c`
//! - Man pages: `fork(2)`, `sigaction(2)`, `waitpid(2)`, `accept(2)`,
//!   `signal-safety(7)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin echo_mpserv -- 9190              # terminal 1, until Ctrl+C
//! cargo run --bin echo_mpclient -- 127.0.0.1 9190  # terminal 2
//! nc 127.0.0.1 9190                                # terminal 3, meanwhile
//! # no nc? sudo apt install netcat-openbsd (Debian/Ubuntu), or use
//! # echo_mpclient instead
//! ps -o pid,ppid,stat,cmd -C echo_mpserv           # parent, child per client
//! ```
//!
//! Terminal 1, for each client (`removed proc id: N ` ends with a space):
//!
//! ```text
//! new client connected...
//! client disconnected...
//! removed proc id: 4242
//! ```
//!
//! # Differences from the C original
//!
//! - The SIGCHLD handler loops `waitpid(-1, WNOHANG)` until no ended child
//!   is left. The C one reaps one child per signal, but signals merge: when
//!   clients leave together one SIGCHLD may stand for many, and the C server
//!   keeps the others as zombies.
//! - The C handler calls `printf`, which may deadlock or corrupt stdio if
//!   the signal lands inside another `printf`. The twin writes the digits by
//!   hand into a stack buffer and prints the line with one `write(2)`: no
//!   lock, no allocation, and the line appears when the C one would. It
//!   saves and restores `errno`, which its last `waitpid` sets to `ECHILD`.
//! - An `accept` error other than `EINTR`, a failed `fork`, and a read or
//!   write error in the child are reported on stderr (the C is silent, and
//!   its child loops forever on `read() == -1`).
//! - After a failed `accept` (EMFILE: no file descriptor left) the parent
//!   pauses 50 ms before it tries again, and reports the same error at
//!   most once a second: the C loop `continue`s at once and spins a core.
//!   When descriptors free up, the waiting client is served.
//! - A client that vanishes while its child writes the echo makes that
//!   child report `write() error: Broken pipe (os error 32)` and end: Rust
//!   programs ignore SIGPIPE, where the C child is killed by it silently.
//!   Either way the child ends and the parent reaps it.
//! - A child that is only stopped (SIGSTOP) raises SIGCHLD too; the C
//!   handler then prints `removed proc id: 0 `, the twin prints nothing
//!   (`waitpid` without `WUNTRACED` reports no stopped child).
//! - The port must be a number from 0 to 65535 (C's `atoi` takes `abc` as 0).

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::{Duration, Instant};

use common::OrDie;
use nix::errno::Errno;
use nix::sys::signal::{
    SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction,
};
use nix::sys::socket::accept;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::{ForkResult, Pid, fork, read};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`
const BUF_SIZE: usize = 30;

// ANCHOR: handler
/// C: `void read_childproc(int sig)`, run when a child ends (SIGCHLD).
/// Only async-signal-safe work: `waitpid`, `write(2)`, errno.
extern "C" fn read_childproc(_sig: libc::c_int) {
    let saved_errno = Errno::last_raw();
    // C: pid=waitpid(-1, &status, WNOHANG); here in a loop, because one
    // SIGCHLD may stand for several children that ended together.
    while let Ok(status) =
        waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG))
    {
        let Some(pid) = status.pid() else { break }; // none has ended yet
        write_removed_proc_id(pid.as_raw());
    }
    Errno::set_raw(saved_errno); // main may be about to read errno
}

/// C: `printf("removed proc id: %d \n", pid);` without stdio: the line is
/// built from its end in a stack buffer, then one `write(2)`.
fn write_removed_proc_id(pid: i32) {
    const PREFIX: &[u8] = b"removed proc id: ";
    let mut line = [0u8; 32]; // 17 + 10 digits + 2
    let mut start = line.len() - 2;
    line[start..].copy_from_slice(b" \n");
    let mut rest = pid.unsigned_abs();
    loop {
        start -= 1;
        line[start] = b'0' + (rest % 10) as u8; // the last digit first
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    start -= PREFIX.len();
    line[start..start + PREFIX.len()].copy_from_slice(PREFIX);
    let text = &line[start..];
    // SAFETY: write(2) is async-signal-safe; the pointer and length are
    // those of `text`, which lives until the call returns.
    unsafe {
        libc::write(libc::STDOUT_FILENO, text.as_ptr().cast(), text.len())
    };
}
// ANCHOR_END: handler

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "echo_mpserv: the multi-process echo server: one child process per client",
    "cargo run --bin echo_mpserv -- 9190               # terminal 1, first
     cargo run --bin echo_mpclient -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let port = common::port_arg(&args[0]);

    // ANCHOR: steps
    // C: act.sa_handler=read_childproc; sigemptyset(&act.sa_mask);
    //    act.sa_flags=0; sigaction(SIGCHLD, &act, 0);
    // Flags 0, no SA_RESTART: a SIGCHLD that arrives while the parent
    // waits in accept() makes accept() fail with EINTR.
    let act = SigAction::new(
        SigHandler::Handler(read_childproc),
        SaFlags::empty(),
        SigSet::empty(),
    );
    // SAFETY: read_childproc does only async-signal-safe work (see above).
    unsafe { sigaction(Signal::SIGCHLD, &act) }.or_die("sigaction() error");

    // C: serv_sock=socket(...); bind(serv_sock, ...); listen(serv_sock, 5);
    let serv_sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let serv_adr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sock.bind(&serv_adr.into()).or_die("bind() error");
    serv_sock.listen(5).or_die("listen() error");

    let mut accept_errors = AcceptErrors::default();
    loop {
        // C: clnt_sock=accept(serv_sock, ...); if(clnt_sock==-1) continue;
        let clnt_sock = match accept(&serv_sock) {
            Ok(fd) => Socket::from(fd),
            Err(Errno::EINTR) => continue, // a child ended: accept again
            Err(err) => {
                // EMFILE (no fd left) fails again at once: pause, and say
                // so at most once a second, instead of spinning.
                accept_errors.pause_and_report(err);
                continue;
            }
        };
        let mut stdout = std::io::stdout();
        writeln!(stdout, "new client connected...")
            .and_then(|()| stdout.flush()) // before fork: never a line twice
            .or_die("write to stdout error");

        // C: pid=fork();
        // SAFETY: this program has one thread, so the child may run any code.
        match unsafe { fork() } {
            Ok(ForkResult::Child) => {
                drop(serv_sock); // C: close(serv_sock); only the parent accepts
                serve_one_client(&clnt_sock);
                drop(clnt_sock); // C: close(clnt_sock);
                writeln!(std::io::stdout(), "client disconnected...")
                    .or_die("write to stdout error");
                std::process::exit(0);
            }
            Ok(ForkResult::Parent { .. }) => {}
            Err(err) => common::report("fork() error", &err),
        }
        drop(clnt_sock); // C: close(clnt_sock); in the parent: the child has it
    }
    // ANCHOR_END: steps
}

/// The last `accept` error reported, and when.
#[derive(Default)]
struct AcceptErrors {
    last: Option<(Errno, Instant)>,
}

impl AcceptErrors {
    /// How long the parent waits before it tries `accept` again.
    const PAUSE: Duration = Duration::from_millis(50);
    /// The same error is reported at most this often.
    const REPORT_EVERY: Duration = Duration::from_secs(1);

    /// A persistent error such as EMFILE would make `accept` fail again at
    /// once: the C loop spins a core. Well-kept servers pause a little and
    /// try again (the connection waits in the backlog meanwhile), and they
    /// do not repeat the same line thousands of times a second.
    fn pause_and_report(&mut self, err: Errno) {
        let now = Instant::now();
        let repeated = matches!(self.last, Some((last, at))
            if last == err && now.duration_since(at) < Self::REPORT_EVERY);
        if !repeated {
            common::report("accept() error", &err);
            self.last = Some((err, now));
        }
        std::thread::sleep(Self::PAUSE);
    }
}

// ANCHOR: child
/// C: `while((str_len=read(clnt_sock, buf, BUF_SIZE))!=0)`
/// `    write(clnt_sock, buf, str_len);`
fn serve_one_client(mut clnt_sock: &Socket) {
    let mut buf = [0u8; BUF_SIZE];
    loop {
        let str_len = match read(clnt_sock, &mut buf) {
            Ok(0) | Err(Errno::ECONNRESET) => return, // the client left
            Ok(n) => n,
            Err(Errno::EINTR) => continue,
            Err(err) => {
                return common::report("read() error", &err);
            }
        };
        if let Err(err) = clnt_sock.write_all(&buf[..str_len]) {
            return common::report("write() error", &err);
        }
    }
}
// ANCHOR_END: child

//! The shared test harness: start a lesson bin, learn its port, feed its
//! stdin, read its stdout and stderr exactly, and always reap it.
//!
//! Every day's tests take this crate as a dev-dependency:
//!
//! ```no_run
//! use harness::{Program, connect};
//! // In a test of the day1 package: env!("CARGO_BIN_EXE_hello_server").
//! let mut server = Program::start("target/debug/hello_server", &["0"]);
//! let port = server.tcp_port(); // from the kernel's socket table, no race
//! let mut stream = connect(port);               // 127.0.0.1, with timeouts
//! ```
//!
//! The work is done by the `runner` crate (`tcpip-runner`), which the
//! classroom tools (`tour`, `tcp_watch`) share; this crate turns its
//! `Result`s into test failures that say what the program printed.
//!
//! The rules it enforces (see DEVELOPERS.md, "Network and process hygiene"):
//!
//! - **No fixed port.** A server under test is started with port `0`, so
//!   the kernel picks a free port at `bind` time; [`Program::tcp_port`]
//!   then reads the port the process really listens on from the kernel's
//!   socket table (sock_diag netlink, matched by the inodes in `/proc`).
//!   Nothing is bound and released first, so no other test can steal it.
//! - **Every wait has a timeout** ([`TIMEOUT`]); a test that would hang
//!   fails with what the program printed so far.
//! - **A program starts as from a terminal**, whatever the test process
//!   inherited: every signal at its default, and no descriptor above 2
//!   (`/usr/bin/time -o FILE cargo test` leaves FILE open as fd 3; the
//!   programs still get 3 for their first `open`).
//! - **Nothing is left behind.** Each program runs in its own process
//!   group; dropping the [`Program`] kills that group (only it: the group id
//!   is the pid we started) and reaps the program and every orphan of that
//!   group. For that the test process makes itself a *child subreaper*
//!   (`prctl(PR_SET_CHILD_SUBREAPER)`), so a grandchild whose parent dies
//!   comes to the test, the way it would come to `init`, and is reaped by
//!   its pid (this machine's pid 1 does not reap orphans).

pub mod bad_args;
pub mod bins;
pub mod procfs;
pub mod strace;
mod tempdir;

pub use runner::process::on_path;
pub use tempdir::TempDir;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The longest any single wait of a test may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`Program::wait_exit`] lets the program's own children finish
/// after the program itself has exited.
const CHILDREN_GRACE: Duration = Duration::from_secs(2);

/// How often a wait looks again.
const POLL: Duration = runner::process::POLL;

/// The sleep factor the tests give the programs (`TCPIP_SLEEP_SCALE`):
/// the originals' 30 s become 0.3 s.
pub const FAST: &str = "0.01";

/// What a finished program left: its exit status and every byte it wrote.
#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Output {
    /// Standard output as text (lossy only for bytes that are not UTF-8).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error as text.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// The exit code; panics if a signal ended the program.
    pub fn code(&self) -> i32 {
        self.status.code().unwrap_or_else(|| {
            panic!("ended by a signal, not an exit: {self:?}")
        })
    }

    /// Asserts the program failed the way every lesson bin must fail on
    /// bad input: exit 1, no panic, no backtrace.
    pub fn assert_clean_failure(&self) {
        let stderr = self.stderr_text();
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "the program panicked:\n{stderr}"
        );
        assert_eq!(
            self.status.code(),
            Some(1),
            "exit status, stderr:\n{stderr}"
        );
    }
}

/// A running lesson bin. Dropping it kills and reaps it, and whatever it
/// forked. A thin test-style wrapper over [`runner::process::Program`]:
/// what can fail fails the test, with what the program printed so far.
pub struct Program {
    inner: runner::process::Program,
}

impl Program {
    /// Starts `path` with `args`, stdin, stdout and stderr piped.
    pub fn start(path: &str, args: &[&str]) -> Program {
        Program::spawn(Command::new(path).args(args))
    }

    /// Starts `path` with `args` and `TCPIP_SLEEP_SCALE` set to [`FAST`].
    pub fn start_fast(path: &str, args: &[&str]) -> Program {
        Program::spawn(
            Command::new(path).args(args).env("TCPIP_SLEEP_SCALE", FAST),
        )
    }

    /// Starts a prepared command (extra environment, working directory...)
    /// in its own process group, with all three streams piped, every
    /// signal at its default and no inherited descriptor above 2 (see
    /// [`runner::process`]).
    pub fn spawn(command: &mut Command) -> Program {
        Program::spawn_with_stdout(command, None)
    }

    /// Like [`Program::spawn`], but with `stdout` as the program's
    /// standard output instead of a pipe the harness reads (for example a
    /// pipe nobody reads, to see what a closed `| head` does).
    pub fn spawn_with_stdout(
        command: &mut Command,
        stdout: Option<Stdio>,
    ) -> Program {
        let inner = runner::process::Program::spawn(command, stdout, None)
            .unwrap_or_else(|err| panic!("cannot start {command:?}: {err}"));
        Program { inner }
    }

    /// The pid of the program we started.
    pub fn pid(&self) -> u32 {
        self.inner.pid()
    }

    /// Writes `bytes` to the program's stdin.
    pub fn write_stdin(&mut self, bytes: &[u8]) {
        self.inner.write_stdin(bytes).unwrap_or_else(|err| {
            panic!("write to the program's stdin: {err}")
        });
    }

    /// Closes the program's stdin: it reads end of input.
    pub fn close_stdin(&mut self) {
        self.inner.close_stdin();
    }

    /// Everything the program wrote to stdout so far.
    pub fn stdout_so_far(&self) -> Vec<u8> {
        self.inner.stdout_so_far()
    }

    /// Everything the program wrote to stderr so far.
    pub fn stderr_so_far(&self) -> Vec<u8> {
        self.inner.stderr_so_far()
    }

    /// Waits until stdout contains `needle` and returns stdout so far;
    /// fails the test after [`TIMEOUT`] or if the program exits first.
    pub fn wait_for_stdout(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let text =
                String::from_utf8_lossy(&self.stdout_so_far()).into_owned();
            if text.contains(needle) {
                return text;
            }
            if self.has_exited() {
                // One last look: the reader thread may still be draining.
                thread::sleep(Duration::from_millis(50));
                let text =
                    String::from_utf8_lossy(&self.stdout_so_far()).into_owned();
                if text.contains(needle) {
                    return text;
                }
                panic!(
                    "the program exited without printing {needle:?}\n\
                     stdout: {text:?}\nstderr: {:?}",
                    String::from_utf8_lossy(&self.stderr_so_far())
                );
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for {needle:?} on stdout; \
                     so far: {text:?}"
                );
            }
            thread::sleep(POLL);
        }
    }

    /// Has the program exited? It is *not* reaped yet (`WNOWAIT`): while
    /// it stays a zombie its pid, which is also its process group id, cannot
    /// be reused, so the guard can still kill that group safely.
    pub fn has_exited(&mut self) -> bool {
        self.inner.has_exited()
    }

    /// Waits up to [`TIMEOUT`] for the program to exit by itself and
    /// returns what it left. Fails the test if it does not.
    ///
    /// A child the program forked and did not wait for (fork.c's parent
    /// may end first) gets a short grace to finish too, so its last lines
    /// are not cut off; whatever still runs after that is killed.
    pub fn wait_exit(mut self) -> Output {
        self.close_stdin();
        if !self.inner.wait_exited(TIMEOUT) {
            let out =
                String::from_utf8_lossy(&self.stdout_so_far()).into_owned();
            panic!(
                "the program did not exit within {TIMEOUT:?}; \
                 stdout so far: {out:?}"
            );
        }
        self.inner.wait_group_done(CHILDREN_GRACE);
        self.collect()
    }

    /// Sends `signal` (e.g. `libc::SIGINT`) to the program only.
    pub fn signal(&self, signal: i32) {
        let pid = self.pid();
        self.inner
            .signal(signal)
            .unwrap_or_else(|err| panic!("kill({pid}, {signal}): {err}"));
    }

    /// Kills the whole process group and returns what the program left.
    pub fn kill(mut self) -> Output {
        self.collect()
    }

    fn collect(&mut self) -> Output {
        // Ends and reaps the program and its children.
        let done = self
            .inner
            .finish()
            .unwrap_or_else(|err| panic!("wait for the program: {err}"));
        Output {
            status: done.status,
            stdout: done.stdout,
            stderr: done.stderr,
        }
    }

    /// The TCP port the program (or a process it started) listens on,
    /// read from the kernel's socket table; waits up to [`TIMEOUT`] for
    /// the `listen`.
    pub fn tcp_port(&mut self) -> u16 {
        self.port_of(procfs::Proto::Tcp)
    }

    /// The UDP port the program (or a process it started) has bound.
    pub fn udp_port(&mut self) -> u16 {
        self.port_of(procfs::Proto::Udp)
    }

    fn port_of(&mut self, proto: procfs::Proto) -> u16 {
        match self.inner.wait_port(proto, TIMEOUT) {
            Ok(port) => port,
            Err(runner::process::PortError::Exited) => panic!(
                "the program exited before it bound a port; \
                 stdout: {:?} stderr: {:?}",
                String::from_utf8_lossy(&self.stdout_so_far()),
                String::from_utf8_lossy(&self.stderr_so_far())
            ),
            Err(runner::process::PortError::TimedOut) => {
                panic!("no {proto:?} port bound within {TIMEOUT:?}")
            }
        }
    }
}

/// The path of a lesson bin of any day, for the suites in `tests/tests/`
/// that span days (a test inside a day's package uses
/// `env!("CARGO_BIN_EXE_<name>")` instead). `cargo test --workspace` builds
/// every day's bins before it runs any test.
pub fn bin(name: &str) -> String {
    let test_exe = std::env::current_exe().expect("current_exe");
    // target/debug/deps/<test>-<hash>  →  target/debug/<name>
    let path = test_exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join(name))
        .expect("the test executable lives in target/<profile>/deps");
    assert!(
        path.is_file(),
        "{} is not built: run `cargo test --workspace`, \
         which builds every day's bins",
        path.display()
    );
    path.to_string_lossy().into_owned()
}

/// Runs a program to its end with `stdin` as its whole input.
pub fn run(path: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut program = Program::start(path, args);
    program.write_stdin(stdin);
    program.wait_exit()
}

/// Runs a program with the knob at [`FAST`] in `dir` as working directory.
pub fn run_in(dir: &std::path::Path, path: &str, args: &[&str]) -> Output {
    Program::spawn(
        Command::new(path)
            .args(args)
            .current_dir(dir)
            .env("TCPIP_SLEEP_SCALE", FAST),
    )
    .wait_exit()
}

/// Connects to 127.0.0.1:`port` with read and write timeouts set.
pub fn connect(port: u16) -> TcpStream {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT)
        .unwrap_or_else(|err| panic!("connect to {addr}: {err}"));
    stream
        .set_read_timeout(Some(TIMEOUT))
        .expect("read timeout");
    stream
        .set_write_timeout(Some(TIMEOUT))
        .expect("write timeout");
    stream
}

/// A TCP listener on 127.0.0.1 with a port the kernel chose, for testing
/// clients; the test holds it, so no other process can take the port.
pub fn listener() -> (TcpListener, u16) {
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local_addr").port();
    (listener, port)
}

/// Accepts one client within [`TIMEOUT`], with timeouts on the stream.
pub fn accept(listener: &TcpListener) -> TcpStream {
    listener
        .set_nonblocking(true)
        .expect("nonblocking listener");
    let deadline = Instant::now() + TIMEOUT;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(false).expect("blocking stream");
                stream
                    .set_read_timeout(Some(TIMEOUT))
                    .expect("read timeout");
                stream
                    .set_write_timeout(Some(TIMEOUT))
                    .expect("write timeout");
                return stream;
            }
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(
                    Instant::now() < deadline,
                    "no client connected within {TIMEOUT:?}"
                );
                thread::sleep(POLL);
            }
            Err(err) => panic!("accept: {err}"),
        }
    }
}

/// A port on 127.0.0.1 where nobody listens, held so that no other test
/// can take it: a TCP socket bound to it but never put in `listen`, so a
/// `connect` there is refused (RST), with no bind-then-release race.
pub fn refusing_port() -> (socket2::Socket, u16) {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    socket.bind(&addr.into()).expect("bind 127.0.0.1:0");
    let port = socket
        .local_addr()
        .expect("local_addr")
        .as_socket()
        .expect("an inet address")
        .port();
    (socket, port)
}

/// A UDP socket on 127.0.0.1 with a kernel-chosen port and a read timeout.
pub fn udp_socket() -> (UdpSocket, u16) {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .expect("bind udp 127.0.0.1:0");
    socket
        .set_read_timeout(Some(TIMEOUT))
        .expect("read timeout");
    let port = socket.local_addr().expect("local_addr").port();
    (socket, port)
}

/// Reads until the peer closes (or [`TIMEOUT`] passes, which fails).
pub fn read_to_end(stream: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    stream.read_to_end(&mut all).unwrap_or_else(|err| {
        panic!("read_to_end: {err} after {} bytes", all.len())
    });
    all
}

/// Reads exactly `n` bytes (each read under the stream's timeout).
pub fn read_exact(stream: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    stream
        .read_exact(&mut buf)
        .unwrap_or_else(|err| panic!("read_exact({n}): {err}"));
    buf
}

/// Is `tool` on PATH? Outside CI a missing tool skips the test *loudly*;
/// under `CI=true` it fails the test, so CI never passes a check it did
/// not run.
pub fn require_tool(tool: &str) -> bool {
    let found = on_path(tool);
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "{tool} is not installed, and CI=true: \
                 .ci/run should have installed it"
            );
        }
        // Straight to the process's stderr, not through eprintln!, which
        // the test runner captures and hides for a passing test: the skip
        // must show on the terminal.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {tool} is not installed, so this check did not run \
             (install {tool}, or run .ci/run)"
        );
    }
    found
}

/// Waits until `condition` holds, polling, for at most [`TIMEOUT`].
pub fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + TIMEOUT;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        thread::sleep(POLL);
    }
}

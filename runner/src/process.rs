//! A started program and its guard.
//!
//! [`Program::spawn`] starts a command the way a terminal would, whatever
//! the caller inherited:
//!
//! - in **its own process group** (the group id is its pid), so the whole
//!   group, whatever it forked, can be killed at once and only it;
//! - with SIGINT, SIGQUIT, SIGHUP and SIGTERM at their **default** action
//!   (a run started in the background, `cargo test &`, inherits them
//!   ignored, and `exec` keeps ignored signals ignored);
//! - with **no inherited descriptor above 2**: whatever the caller was
//!   given (`/usr/bin/time -o FILE` leaves its FILE open as fd 3, make
//!   leaves its jobserver pipes) is closed at `exec`, so the program's
//!   first `open` or `socket` returns 3, as it does from a shell.
//!
//! Its stdout and stderr are read by two threads into byte buffers (exact
//! bytes for a test) and, if asked, handed on as [`Line`]s stamped with
//! the time they were read (for `tour`'s timeline).
//!
//! Dropping the [`Program`] kills its group and reaps it. For the orphans
//! of that group (a grandchild whose parent died) the caller becomes a
//! *child subreaper* (`prctl(PR_SET_CHILD_SUBREAPER)`): they come to it
//! instead of to pid 1 and are reaped by pid.

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::procfs;
use crate::socktab::Proto;

/// How often a wait looks again.
pub const POLL: Duration = Duration::from_millis(5);

/// Which output stream a [`Line`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A piece of output ending in a newline, or what a read left without one
/// (a prompt such as `Input message(Q to quit): `, `partial`).
#[derive(Debug, Clone)]
pub struct Line {
    pub stream: Stream,
    /// When its first byte was read (a partial line: when it was handed
    /// on, after waiting for the rest).
    pub at: Instant,
    /// The bytes, without the newline.
    pub text: Vec<u8>,
    pub partial: bool,
}

/// Where the reader threads hand each [`Line`].
pub type LineSink = Arc<dyn Fn(Line) + Send + Sync>;

/// What a finished program left: its exit status and every byte it wrote.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Why no port was learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortError {
    /// The program exited before it bound one.
    Exited,
    /// Nothing bound within the time given.
    TimedOut,
}

/// Makes this process the reaper of its programs' orphans (once); the
/// same answer every later call.
/// Is `tool` an executable on PATH (`command -v tool`)? The harness, the
/// check command and `tour` all ask before they run strace.
pub fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub fn become_subreaper() -> io::Result<()> {
    static RESULT: OnceLock<Result<(), i32>> = OnceLock::new();
    let result = RESULT.get_or_init(|| {
        // SAFETY: prctl with PR_SET_CHILD_SUBREAPER takes an integer
        // argument and touches no memory of ours.
        let rc =
            unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
        if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error().raw_os_error().unwrap_or(0))
        }
    });
    result.map_err(io::Error::from_raw_os_error)
}

/// The descriptors above 2 this process holds without `FD_CLOEXEC`: the
/// ones a child would inherit (std opens everything close-on-exec).
fn inherited_descriptors() -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&fd| fd > 2)
        .filter(|&fd| {
            // SAFETY: F_GETFD only reads the flags of a descriptor number;
            // a number closed meanwhile gives -1 (EBADF), nothing else.
            let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
            flags >= 0 && flags & libc::FD_CLOEXEC == 0
        })
        .collect()
}

/// Sets up `command` to start as described in the module docs: its own
/// process group, default signals, no inherited descriptor above 2.
pub fn prepare(command: &mut Command) {
    let inherited = inherited_descriptors();
    // SAFETY: the closure runs in the forked child before exec and calls
    // only async-signal-safe functions (signal, the close_range system
    // call, fcntl); it reads `inherited`, allocated before the fork, and
    // allocates nothing.
    unsafe {
        command.pre_exec(move || {
            for signal in
                [libc::SIGINT, libc::SIGQUIT, libc::SIGHUP, libc::SIGTERM]
            {
                libc::signal(signal, libc::SIG_DFL);
            }
            // Mark every descriptor from 3 up close-on-exec, in one call
            // (Linux 5.11). Closing them now would also close the pipe
            // std uses to report a failed exec; marked, they go at exec.
            let rc = libc::syscall(
                libc::SYS_close_range,
                3u32,
                u32::MAX,
                libc::CLOSE_RANGE_CLOEXEC,
            );
            if rc != 0 {
                // An older kernel: the ones listed before the fork.
                for &fd in &inherited {
                    libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
                }
            }
            Ok(())
        });
    }
    command.process_group(0);
}

/// A running program in its own process group. Dropping it kills and
/// reaps the group.
pub struct Program {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: Vec<JoinHandle<()>>,
    status: Option<ExitStatus>,
}

/// How long a line without its newline waits for the rest before it is
/// handed on alone (a prompt), so that a line written in two pieces
/// (`Message from server: `, then the reply) stays one line.
const PARTIAL_WAIT: Duration = Duration::from_millis(30);

/// Is more to read on `fd` within `timeout`?
fn readable_within(fd: i32, timeout: Duration) -> bool {
    let mut poll = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = timeout.as_millis() as libc::c_int;
    // SAFETY: poll(2) on one live pollfd for the duration of the call.
    unsafe { libc::poll(&mut poll, 1, ms) > 0 }
}

fn spawn_reader(
    mut source: impl Read + AsRawFd + Send + 'static,
    stream: Stream,
    lines: Option<LineSink>,
) -> (Arc<Mutex<Vec<u8>>>, JoinHandle<()>) {
    let sink = Arc::new(Mutex::new(Vec::new()));
    let bytes = Arc::clone(&sink);
    let handle = thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut pending: Vec<u8> = Vec::new();
        let mut started = Instant::now();
        loop {
            if lines.is_some()
                && !pending.is_empty()
                && !readable_within(source.as_raw_fd(), PARTIAL_WAIT)
            {
                // A prompt waits for input: show it now, not with the
                // next line, stamped now (it was held back a little).
                if let Some(lines) = &lines {
                    lines(Line {
                        stream,
                        at: Instant::now(),
                        text: std::mem::take(&mut pending),
                        partial: true,
                    });
                }
            }
            let n = match source.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let now = Instant::now();
            if pending.is_empty() {
                started = now;
            }
            if let Ok(mut all) = bytes.lock() {
                all.extend_from_slice(&buf[..n]);
            }
            let Some(lines) = &lines else { continue };
            pending.extend_from_slice(&buf[..n]);
            while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                let text = pending[..end].to_vec();
                pending.drain(..=end);
                lines(Line {
                    stream,
                    at: started,
                    text,
                    partial: false,
                });
                started = now;
            }
        }
        if let (Some(lines), false) = (&lines, pending.is_empty()) {
            lines(Line {
                stream,
                at: Instant::now(),
                text: pending,
                partial: true,
            });
        }
    });
    (sink, handle)
}

impl Program {
    /// Starts `command` (see [`prepare`]) with stdin and stderr piped,
    /// stdout piped too unless `stdout` is given; each complete line of
    /// output also goes to `lines`, if given.
    pub fn spawn(
        command: &mut Command,
        stdout: Option<Stdio>,
        lines: Option<LineSink>,
    ) -> io::Result<Program> {
        become_subreaper()?;
        prepare(command);
        let read_stdout = stdout.is_none();
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(stdout.unwrap_or_else(Stdio::piped))
            .stderr(Stdio::piped())
            .spawn()?;
        let mut readers = Vec::new();
        let stdout = match child.stdout.take() {
            Some(pipe) if read_stdout => {
                let (sink, reader) =
                    spawn_reader(pipe, Stream::Stdout, lines.clone());
                readers.push(reader);
                sink
            }
            _ => Arc::new(Mutex::new(Vec::new())),
        };
        let stderr = match child.stderr.take() {
            Some(pipe) => {
                let (sink, reader) = spawn_reader(pipe, Stream::Stderr, lines);
                readers.push(reader);
                sink
            }
            None => Arc::new(Mutex::new(Vec::new())),
        };
        Ok(Program {
            stdin: child.stdin.take(),
            child,
            stdout,
            stderr,
            readers,
            status: None,
        })
    }

    /// The pid of the program, which is also its process group id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Writes `bytes` to the program's stdin.
    pub fn write_stdin(&mut self, bytes: &[u8]) -> io::Result<()> {
        let Some(stdin) = self.stdin.as_mut() else {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "stdin already closed",
            ));
        };
        stdin.write_all(bytes)?;
        stdin.flush()
    }

    /// Closes the program's stdin: it reads end of input.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Everything the program wrote to stdout so far.
    pub fn stdout_so_far(&self) -> Vec<u8> {
        self.stdout.lock().map(|b| b.clone()).unwrap_or_default()
    }

    /// Everything the program wrote to stderr so far.
    pub fn stderr_so_far(&self) -> Vec<u8> {
        self.stderr.lock().map(|b| b.clone()).unwrap_or_default()
    }

    /// Has the program exited? It is *not* reaped yet (`WNOWAIT`): while
    /// it stays a zombie its pid, which is also its process group id,
    /// cannot be reused, so the group can still be killed safely.
    pub fn has_exited(&mut self) -> bool {
        if self.status.is_some() {
            return true;
        }
        // SAFETY: siginfo_t is plain data for which all-zero bytes are
        // valid.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: waitid(2) on our own child's pid, writing into `info`,
        // which lives for the whole call; WNOWAIT leaves it unreaped.
        let rc = unsafe {
            libc::waitid(
                libc::P_PID,
                self.pid() as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        // SAFETY: after a successful waitid, si_pid is the field it set
        // (0 when the child has not exited yet).
        rc == 0 && unsafe { info.si_pid() } != 0
    }

    /// Waits up to `timeout` for the program to exit by itself; `false`
    /// if it still runs.
    pub fn wait_exited(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while !self.has_exited() {
            if Instant::now() > deadline {
                return false;
            }
            thread::sleep(POLL);
        }
        true
    }

    /// Gives the rest of the group (children the program did not wait
    /// for) up to `grace` to finish by themselves.
    pub fn wait_group_done(&self, grace: Duration) {
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline
            && procfs::live_members_of_group(self.pid()) > 0
        {
            thread::sleep(POLL);
        }
    }

    /// Sends `signal` (e.g. `libc::SIGINT`) to the program only.
    pub fn signal(&self, signal: i32) -> io::Result<()> {
        let pid = self.pid() as libc::pid_t;
        // SAFETY: kill(2) with the pid of a child we have not yet reaped
        // (it is reaped only through `self`), so the pid cannot be reused.
        let rc = unsafe { libc::kill(pid, signal) };
        if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }

    /// Kills the whole process group (if not done before) and reaps the
    /// program and the group's orphans that came to us.
    pub fn kill_group(&mut self) -> io::Result<ExitStatus> {
        if let Some(status) = self.status {
            return Ok(status); // the group is gone and reaped
        }
        let pgid = self.pid() as libc::pid_t;
        // SAFETY: kill(2) on the process group whose id is the pid of our
        // own child, which is not reaped yet (at worst a zombie), so the
        // id still names the group we created: only processes we started
        // are in it. ESRCH (nothing left alive) is fine.
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
        let status = self.child.wait()?;
        self.status = Some(status);
        reap_orphans_of_group(pgid as u32, Duration::from_secs(5));
        Ok(status)
    }

    /// Kills what is left of the group, reaps it, waits for the readers
    /// to drain the pipes, and returns what the program left.
    pub fn finish(&mut self) -> io::Result<Finished> {
        let status = self.kill_group()?;
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        Ok(Finished {
            status,
            stdout: self.stdout_so_far(),
            stderr: self.stderr_so_far(),
        })
    }

    /// The port the program (or a process it started) listens on (TCP) or
    /// has bound (UDP), read from the kernel's tables; `None` yet.
    pub fn bound_port(&self, proto: Proto) -> Option<u16> {
        procfs::bound_port(self.pid(), proto)
    }

    /// Waits up to `timeout` for the program to bind a port.
    pub fn wait_port(
        &mut self,
        proto: Proto,
        timeout: Duration,
    ) -> Result<u16, PortError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(port) = self.bound_port(proto) {
                return Ok(port);
            }
            if self.has_exited() {
                return Err(PortError::Exited);
            }
            if Instant::now() > deadline {
                return Err(PortError::TimedOut);
            }
            thread::sleep(POLL);
        }
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.kill_group();
    }
}

/// Reaps the orphans of process group `pgid` that came to this
/// (subreaper) process, by their pids; gives up after `timeout`.
pub fn reap_orphans_of_group(pgid: u32, timeout: Duration) {
    let me = std::process::id();
    let deadline = Instant::now() + timeout;
    loop {
        let orphans: Vec<u32> = procfs::all_processes()
            .into_iter()
            .filter(|p| p.ppid == me && p.pgrp == pgid)
            .map(|p| p.pid)
            .collect();
        if orphans.is_empty() || Instant::now() > deadline {
            return;
        }
        for pid in orphans {
            // SAFETY: kill and waitpid on a pid that is our own child (its
            // ppid is us), so it cannot be reused before we reap it here.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGKILL);
                libc::waitpid(pid as libc::pid_t, std::ptr::null_mut(), 0);
            }
        }
    }
}

//! tour: a lesson's server and clients in one terminal, every line they
//! print on one clock, tagged by who printed it.
//!
//! Course notes: every day's client/server pair (1일차 hello, 2일차 echo
//! and op, 3일차 UDP, half-close, SO_REUSEADDR, multi-process). Not a twin
//! of a C program: an instructor's tool (issue 12). It starts programs the
//! way the test harness does, through the same library (`tcpip-runner`):
//! each in its own process group, signals at their defaults, no inherited
//! descriptor above 2, its port learned from the kernel, all of them
//! killed and reaped at the end.
//!
//! Man pages: `strace(1)` (for `--trace`), `socket(7)`.
//!
//! ```sh
//! cargo build --workspace              # tour runs the bins, it builds none
//! cargo run --bin tour -- --list
//! cargo run --bin tour -- echo
//! cargo run --bin tour -- echo --trace   # with each socket system call
//! cargo run --bin tour -- echo --server ./echo_server   # a C server
//! ```
//!
//! Expected output of `tour hello` (times and ports vary):
//!
//! ```text
//! +0.000s [tour]   start server: hello_server 0
//! +0.009s [tour]   server listens on TCP port 49645
//! +0.009s [tour]   start client: hello_client 127.0.0.1 49645
//! +0.011s [client] Message from server: Hello World!
//! +0.017s [tour]   client exited with 0
//! +0.019s [tour]   server exited with 0
//! +0.021s [tour]   ok: the run went as scripted
//! ```
//!
//! Exit status 0 when every expected line came in order and every program
//! ended as it should; 1 with the reason otherwise. Programs whose
//! originals sleep run with `TCPIP_SLEEP_SCALE` at the tour's default
//! (0.1 for bound_host) unless it is set already.

use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use classroom::timeline::stamp;
use classroom::tours::{self, Part, Role, Step, TOURS, Tour};
use runner::process::{
    Finished, Line, LineSink, POLL, Program, Stream, on_path,
};
use runner::procfs;
use runner::socktab::Proto;

#[derive(Parser)]
#[command(
    about = "Run a lesson's server and clients in one terminal, every \
             line on one clock, tagged by who printed it",
    after_help = "Examples:\n  \
        cargo build --workspace     # the bins a tour runs\n  \
        tour --list                 # every tour\n  \
        tour echo                   # echo_server and two echo_clients\n  \
        tour echo --trace           # with their socket system calls\n  \
        tour echo --step            # Enter before each typed line\n  \
        tour echo --server ./echo_server   # the C server, Rust clients"
)]
struct Args {
    /// The tour to run (see --list).
    name: Option<String>,
    /// List every tour.
    #[arg(long)]
    list: bool,
    /// Show each program's socket system calls (strace) in the timeline.
    #[arg(long)]
    trace: bool,
    /// Wait for Enter before each line typed into a program.
    #[arg(long)]
    step: bool,
    /// Run this binary as the server instead of the twin.
    #[arg(long, value_name = "PATH")]
    server: Option<PathBuf>,
    /// Run this binary as every client instead of the twin.
    #[arg(long, value_name = "PATH")]
    client: Option<PathBuf>,
    /// Seconds to wait for each expected line or exit.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    timeout: u64,
}

/// Set by the SIGINT handler: Ctrl+C ends the tour cleanly (the
/// programs are in process groups of their own, so the terminal's Ctrl+C
/// reaches only the tour, which then stops and reaps them).
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_signal: libc::c_int) {
    INTERRUPTED.store(true, Ordering::Relaxed); // async-signal-safe
}

/// `Err` once Ctrl+C was pressed.
fn not_interrupted() -> Result<(), Failure> {
    if INTERRUPTED.load(Ordering::Relaxed) {
        Err("interrupted (Ctrl+C)".to_string())
    } else {
        Ok(())
    }
}

/// Sleeps `duration` in short naps, ending early at Ctrl+C.
fn nap(duration: Duration) -> Result<(), Failure> {
    let end = Instant::now() + duration;
    while Instant::now() < end {
        not_interrupted()?;
        thread::sleep(POLL.min(end.saturating_duration_since(Instant::now())));
    }
    not_interrupted()
}

/// Waits for Enter on the tour's own stdin; Ctrl+C ends the wait (a
/// plain read(2), which the handler interrupts: std would retry it).
fn wait_for_enter() -> Result<(), Failure> {
    let mut byte = 0u8;
    loop {
        // SAFETY: read(2) of one byte into a live local.
        let n = unsafe { libc::read(0, (&raw mut byte).cast(), 1) };
        not_interrupted()?;
        if n <= 0
            && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted
        {
            return Ok(()); // end of input: go on without waiting
        }
        if n == 1 && byte == b'\n' {
            return Ok(());
        }
    }
}

/// The system calls `--trace` shows.
const TRACED: &str = "trace=network,read,write,close";

/// Prints the timeline: one lock, so lines of different programs never
/// mix, and one clock.
struct Timeline {
    start: Instant,
    width: usize,
    out: Mutex<io::Stdout>,
}

impl Timeline {
    fn print(&self, at: Instant, tag: &str, text: &str) {
        let t = stamp(at.saturating_duration_since(self.start));
        let tag = format!("[{tag}]");
        if let Ok(mut out) = self.out.lock()
            && writeln!(out, "{t} {tag:<w$} {text}", w = self.width).is_err()
        {
            std::process::exit(0); // a closed pipe (`| head`): a quiet end
        }
    }

    fn say(&self, text: &str) {
        self.print(Instant::now(), "tour", text);
    }
}

/// Bytes as a line a terminal can show: control bytes as `\xNN`.
fn printable(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                format!("\\x{:02x}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A program of the tour while it runs.
struct Running {
    program: Program,
    /// Its stdout and stderr lines so far (not the trace).
    lines: Arc<Mutex<Vec<Line>>>,
    /// The lines an expectation has matched already: each line counts
    /// for one expectation (three `removed proc id` lines for three).
    used: Vec<bool>,
    traced: bool,
}

impl Running {
    fn mark_used(&mut self, i: usize) {
        if self.used.len() <= i {
            self.used.resize(i + 1, false);
        }
        self.used[i] = true;
    }
}

/// Why a tour did not go as scripted.
type Failure = String;

struct Player<'a> {
    tour: &'a Tour,
    args: &'a Args,
    timeline: Arc<Timeline>,
    bin_dir: PathBuf,
    scratch: PathBuf,
    port: Option<u16>,
    running: Vec<Option<Running>>,
    timeout: Duration,
}

impl Player<'_> {
    fn path_of(&self, part: &Part) -> PathBuf {
        let chosen = match part.role {
            Role::Server => self.args.server.clone(),
            Role::Client => self.args.client.clone(),
        };
        chosen.unwrap_or_else(|| self.bin_dir.join(part.bin))
    }

    fn folder_of(&self, part: &Part) -> PathBuf {
        self.scratch.join(match part.role {
            Role::Server => "server",
            Role::Client => "client",
        })
    }

    fn running(&mut self, n: usize) -> Result<&mut Running, Failure> {
        let tag = self.tour.parts[n].tag;
        self.running[n]
            .as_mut()
            .ok_or_else(|| format!("{tag} is not running"))
    }

    fn start(&mut self, n: usize) -> Result<(), Failure> {
        let part = self.tour.parts[n];
        let path = self.path_of(&part);
        let chosen = match part.role {
            Role::Server => self.args.server.is_some(),
            Role::Client => self.args.client.is_some(),
        };
        if chosen && !path.is_file() {
            return Err(format!("{}: no such file", path.display()));
        }
        if !path.is_file() {
            return Err(format!(
                "{} is not built: run `cargo build --workspace` (or \
                 `cargo build --bin {}`), or name another binary with \
                 --{}",
                path.display(),
                part.bin,
                if part.role == Role::Server {
                    "server"
                } else {
                    "client"
                },
            ));
        }
        let port = self.port.map_or("0".to_string(), |p| p.to_string());
        let args: Vec<String> = part
            .args
            .iter()
            .map(|a| a.replace("{port}", &port))
            .collect();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        self.timeline.say(&format!(
            "start {}: {name} {}",
            part.tag,
            args.join(" ")
        ));

        let mut command = if self.args.trace {
            let fifo = self.scratch.join(format!("trace-{n}"));
            make_fifo(&fifo)?;
            spawn_trace_reader(&fifo, part.tag, Arc::clone(&self.timeline));
            let mut command = Command::new("strace");
            command
                .args(["-f", "-qq", "-e", TRACED, "-o"])
                .arg(&fifo)
                .arg(&path);
            command
        } else {
            Command::new(&path)
        };
        command.args(&args).current_dir(self.folder_of(&part));
        if let Some(scale) = self.tour.sleep_scale
            && std::env::var_os("TCPIP_SLEEP_SCALE").is_none()
        {
            command.env("TCPIP_SLEEP_SCALE", scale);
        }
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink: LineSink = {
            let lines = Arc::clone(&lines);
            let timeline = Arc::clone(&self.timeline);
            let tag = part.tag;
            Arc::new(move |line: Line| {
                let text = printable(&line.text);
                let text = match line.stream {
                    Stream::Stdout => text,
                    Stream::Stderr => format!("stderr: {text}"),
                };
                timeline.print(line.at, tag, &text);
                if let Ok(mut lines) = lines.lock() {
                    lines.push(line);
                }
            })
        };
        let program = Program::spawn(&mut command, None, Some(sink))
            .map_err(|err| format!("cannot start {}: {err}", path.display()))?;
        let mut running = Running {
            program,
            lines,
            used: Vec::new(),
            traced: self.args.trace,
        };
        if self.port.is_none() && part.role == Role::Server {
            let deadline = Instant::now() + self.timeout;
            let port = loop {
                if let Some(port) = running.program.bound_port(self.tour.proto)
                {
                    break port;
                }
                if running.program.has_exited() {
                    return Err(format!(
                        "{} exited before it bound a port",
                        part.tag
                    ));
                }
                if Instant::now() > deadline {
                    return Err(format!(
                        "{} bound no port within {:?}",
                        part.tag, self.timeout
                    ));
                }
                nap(POLL)?;
            };
            let how = match self.tour.proto {
                Proto::Tcp => "listens on TCP",
                Proto::Udp => "is bound to UDP",
            };
            self.timeline
                .say(&format!("{} {how} port {port}", part.tag));
            self.port = Some(port);
        }
        self.running[n] = Some(running);
        Ok(())
    }

    fn type_line(&mut self, n: usize, text: &str) -> Result<(), Failure> {
        let tag = self.tour.parts[n].tag;
        let shown = text.trim_end_matches('\n');
        if self.args.step {
            self.timeline
                .say(&format!("press Enter to type \"{shown}\" into {tag}"));
            wait_for_enter()?;
        }
        self.timeline.say(&format!("types into {tag}: {shown}"));
        self.running(n)?
            .program
            .write_stdin(text.as_bytes())
            .map_err(|err| format!("cannot type into {tag}: {err}"))
    }

    /// The index of the first line of `n` not matched before that
    /// contains `text`, if any yet. Lines of one program that follow from
    /// different causes (three children saying goodbye, three reaps) may
    /// interleave, so expectations of different texts do not force an
    /// order among them; the steps do.
    fn find_line(&mut self, n: usize, text: &str) -> Option<usize> {
        let running = self.running[n].as_ref()?;
        let lines = running.lines.lock().ok()?;
        let needle = text.as_bytes();
        lines
            .iter()
            .enumerate()
            .filter(|(i, _)| !running.used.get(*i).copied().unwrap_or(false))
            .find(|(_, l)| l.text.windows(needle.len()).any(|w| w == needle))
            .map(|(i, _)| i)
    }

    fn expect(&mut self, n: usize, text: &str) -> Result<(), Failure> {
        let tag = self.tour.parts[n].tag;
        let deadline = Instant::now() + self.timeout;
        loop {
            if let Some(i) = self.find_line(n, text) {
                self.running(n)?.mark_used(i);
                return Ok(());
            }
            let exited = self.running(n)?.program.has_exited();
            if exited {
                // The readers may still be draining the pipes.
                thread::sleep(Duration::from_millis(100));
                if let Some(i) = self.find_line(n, text) {
                    self.running(n)?.mark_used(i);
                    return Ok(());
                }
                return Err(format!(
                    "{tag} exited without printing \"{text}\""
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{tag} did not print \"{text}\" within {:?}",
                    self.timeout
                ));
            }
            nap(POLL)?;
        }
    }

    fn silent(&mut self, n: usize, text: &str, ms: u64) -> Result<(), Failure> {
        let tag = self.tour.parts[n].tag;
        nap(Duration::from_millis(ms))?;
        match self.find_line(n, text) {
            None => {
                self.timeline.say(&format!(
                    "{tag} got no \"{text}\" for {ms} ms, as expected"
                ));
                Ok(())
            }
            Some(_) => Err(format!(
                "{tag} printed \"{text}\" within {ms} ms; it should have \
                 been waiting"
            )),
        }
    }

    fn signal(&mut self, n: usize, signal: i32) -> Result<(), Failure> {
        let tag = self.tour.parts[n].tag;
        let running = self.running(n)?;
        let mut pid = running.program.pid();
        if running.traced {
            // The program is strace's child, in strace's process group.
            let group = pid;
            pid = procfs::children_of(group)
                .into_iter()
                .find(|c| c.pgrp == group)
                .map(|c| c.pid)
                .ok_or_else(|| format!("{tag} is not running under strace"))?;
        }
        // SAFETY: kill(2) on the program we started (not reaped yet), or
        // on strace's child, which is in the group whose leader we hold
        // unreaped; a signal number is all it reads.
        if unsafe { libc::kill(pid as libc::pid_t, signal) } != 0 {
            return Err(format!(
                "cannot signal {tag}: {}",
                io::Error::last_os_error()
            ));
        }
        let name = match signal {
            libc::SIGINT => "SIGINT (Ctrl+C)".to_string(),
            other => format!("signal {other}"),
        };
        self.timeline.say(&format!("{name} to {tag}"));
        Ok(())
    }

    fn killed(&mut self, n: usize, signal: i32) -> Result<(), Failure> {
        use std::os::unix::process::ExitStatusExt;
        let tag = self.tour.parts[n].tag;
        let done = self.reap(n)?;
        self.timeline.say(&format!("{tag} ended: {}", done.status));
        if done.status.signal() != Some(signal) {
            return Err(format!(
                "{tag} ended with {}, not by signal {signal}",
                done.status
            ));
        }
        Ok(())
    }

    /// Waits for program `n` to end by itself, and reaps it.
    fn reap(&mut self, n: usize) -> Result<Finished, Failure> {
        let tag = self.tour.parts[n].tag;
        let timeout = self.timeout;
        let running = self.running(n)?;
        let deadline = Instant::now() + timeout;
        while !running.program.has_exited() {
            if Instant::now() > deadline {
                return Err(format!("{tag} did not exit within {timeout:?}"));
            }
            nap(POLL)?;
        }
        let done = running
            .program
            .finish()
            .map_err(|err| format!("cannot reap {tag}: {err}"))?;
        self.running[n] = None;
        Ok(done)
    }

    fn exits(&mut self, n: usize, code: i32) -> Result<(), Failure> {
        let tag = self.tour.parts[n].tag;
        let done = self.reap(n)?;
        let status = match done.status.code() {
            Some(status) => status.to_string(),
            None => format!("{}", done.status),
        };
        self.timeline.say(&format!("{tag} exited with {status}"));
        if done.status.code() != Some(code) {
            return Err(format!("{tag} exited with {status}, not {code}"));
        }
        Ok(())
    }

    fn play(&mut self) -> Result<(), Failure> {
        for step in self.tour.steps {
            match *step {
                Step::Start(n) => self.start(n)?,
                Step::Type(n, text) => self.type_line(n, text)?,
                Step::Expect(n, text) => self.expect(n, text)?,
                Step::Silent(n, text, ms) => self.silent(n, text, ms)?,
                Step::Signal(n, signal) => self.signal(n, signal)?,
                Step::Exits(n, code) => self.exits(n, code)?,
                Step::Killed(n, signal) => self.killed(n, signal)?,
            }
        }
        if let (Some(copy), Some((name, text))) =
            (self.tour.compare, self.tour.file)
        {
            let path = self.scratch.join("client").join(copy);
            match std::fs::read(&path) {
                Ok(bytes) if bytes == text.as_bytes() => {
                    self.timeline.say(&format!(
                        "{copy}: {} bytes, the same as {name}",
                        bytes.len()
                    ))
                }
                Ok(bytes) => {
                    return Err(format!(
                        "{copy} has {} bytes, not the {} of {name}",
                        bytes.len(),
                        text.len()
                    ));
                }
                Err(err) => return Err(format!("no {copy}: {err}")),
            }
        }
        Ok(())
    }

    /// Kills and reaps what still runs (servers that serve until killed).
    fn stop_the_rest(&mut self) {
        for (n, slot) in self.running.iter_mut().enumerate() {
            if let Some(mut running) = slot.take() {
                let _ = running.program.finish();
                let tag = self.tour.parts[n].tag;
                self.timeline.say(&format!("{tag} stopped (SIGKILL)"));
            }
        }
    }
}

/// mkfifo(3): the pipe strace writes its trace into.
fn make_fifo(path: &Path) -> Result<(), Failure> {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| format!("bad path {}", path.display()))?;
    // SAFETY: mkfifo reads the NUL-terminated path only.
    if unsafe { libc::mkfifo(name.as_ptr(), 0o600) } != 0 {
        let err = io::Error::last_os_error();
        return Err(format!("mkfifo {}: {err}", path.display()));
    }
    Ok(())
}

/// Reads strace's lines (`1234 accept(3, ...) = 4`) into the timeline,
/// from the program's first `socket(` on: what comes before is the
/// dynamic loader and the runtime starting.
fn spawn_trace_reader(fifo: &Path, tag: &'static str, timeline: Arc<Timeline>) {
    let fifo = fifo.to_path_buf();
    thread::spawn(move || {
        // Opening blocks until strace opens the other end.
        let Ok(file) = std::fs::File::open(&fifo) else {
            return;
        };
        let mut first_pid = None;
        let mut shown = false;
        for line in BufReader::new(file).split(b'\n').map_while(Result::ok) {
            let at = Instant::now();
            let text = printable(&line);
            let Some((pid, call)) = text.split_once(' ') else {
                continue;
            };
            let call = call.trim_start();
            shown = shown || call.starts_with("socket(");
            let first =
                first_pid.get_or_insert_with(|| pid.to_string()).clone();
            if !shown {
                continue;
            }
            if pid == first {
                timeline.print(at, tag, call);
            } else {
                timeline.print(at, &format!("{tag} pid {pid}"), call);
            }
        }
    });
}

fn list() {
    println!("{:<14} {:<40} what it shows", "tour", "programs");
    let bin_dir = bin_dir();
    for tour in TOURS {
        let mut names: Vec<(String, usize)> = Vec::new();
        for part in tour.parts {
            match names.iter_mut().find(|(n, _)| n == part.bin) {
                Some((_, count)) => *count += 1,
                None => names.push((part.bin.to_string(), 1)),
            }
        }
        let programs: Vec<String> = names
            .into_iter()
            .map(|(n, c)| if c > 1 { format!("{c} × {n}") } else { n })
            .collect();
        let missing = tour.parts.iter().any(|p| !bin_dir.join(p.bin).is_file());
        println!(
            "{:<14} {:<40} {}{}",
            tour.name,
            programs.join(" + "),
            tour.shows,
            if missing { " (not built)" } else { "" }
        );
    }
}

/// The folder of this executable, where cargo puts every bin.
fn bin_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.to_path_buf()))
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.list {
        list();
        return ExitCode::SUCCESS;
    }
    let Some(name) = args.name.as_deref() else {
        eprintln!("tour: name a tour (tour --list shows them), e.g. tour echo");
        return ExitCode::FAILURE;
    };
    let Some(tour) = tours::find(name) else {
        eprintln!("tour: no tour \"{name}\" (tour --list shows them)");
        return ExitCode::FAILURE;
    };
    if args.trace && !on_path("strace") {
        eprintln!("tour: --trace needs strace (sudo apt-get install strace)");
        return ExitCode::FAILURE;
    }
    // SAFETY: on_sigint only stores to an atomic (async-signal-safe).
    // sigaction without SA_RESTART, so a --step read returns EINTR.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as *const () as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
    if let Err(err) = runner::process::become_subreaper() {
        eprintln!("tour: prctl(PR_SET_CHILD_SUBREAPER): {err}");
        return ExitCode::FAILURE;
    }
    let scratch = std::env::temp_dir().join(format!(
        "tour-{}-{}",
        tour.name,
        std::process::id()
    ));
    let made = std::fs::create_dir_all(scratch.join("server"))
        .and_then(|()| std::fs::create_dir_all(scratch.join("client")))
        .and_then(|()| match tour.file {
            Some((file, text)) => {
                std::fs::write(scratch.join("server").join(file), text)
            }
            None => Ok(()),
        });
    if let Err(err) = made {
        eprintln!("tour: cannot make {}: {err}", scratch.display());
        return ExitCode::FAILURE;
    }
    let width = tour.parts.iter().map(|p| p.tag.len()).max().unwrap_or(4);
    let width = width.max(4) + 2;
    let timeline = Arc::new(Timeline {
        start: Instant::now(),
        width,
        out: Mutex::new(io::stdout()),
    });
    let mut player = Player {
        tour,
        args: &args,
        timeline: Arc::clone(&timeline),
        bin_dir: bin_dir(),
        scratch: scratch.clone(),
        port: None,
        running: tour.parts.iter().map(|_| None).collect(),
        timeout: Duration::from_secs(args.timeout),
    };
    let result = player.play();
    player.stop_the_rest();
    let _ = std::fs::remove_dir_all(&scratch);
    match result {
        Ok(()) => {
            timeline.say("ok: the run went as scripted");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            timeline.say(&format!("FAILED: {reason}"));
            ExitCode::FAILURE
        }
    }
}

//! The course's exercises and the claims that check them.
//!
//! An exercise is one lesson the student writes. Its **starter**,
//! `dayN/exercises/<name>.rs` (bin `my_<name>`), is the solution with the
//! lesson's steps taken out: each one is a `todo!("C: ...")` naming the C
//! call it needs. Its **solution** is a program of the catalog
//! (`echo_client2`) or `dayN/exercises/solutions/<name>.rs` (bin
//! `solution_<name>`). Its **claims** say, in the course's words and in
//! Korean and English, what a finished program does; each claim runs the
//! real programs (the one under test and its real partner: the server, the
//! client) on 127.0.0.1 with ports the OS picks, in a fresh temporary
//! directory, with a timeout on every wait, and kills and reaps every
//! process it started, also when it fails.
//!
//! - `cargo run --bin check -- <exercise>` runs the claims on `my_<name>`;
//!   `--solution` runs them on the solution; `--list` runs them all.
//! - `cargo test --workspace` proves every exercise both ways: its claims
//!   all pass on the solution, and at least one fails on the untouched
//!   starter (`check/tests/both_ways.rs`).
//!
//! A claim is a function that panics when the claim does not hold, as a
//! test does (it uses the test harness, which panics on a timeout): the
//! runner catches the panic and reports its message as the reason. A
//! starter's `todo!()` that was reached is reported as "not written yet",
//! with the C call its message names. A claim that counts system calls
//! runs the program under strace; without strace it fails and says so
//! (the tests skip such an exercise loudly, and fail under `CI=true`).
//!
//! The day modules hold the exercises in the course's order: our own
//! first, then the twins of the book's answers (named after their bins).

pub mod day1;
pub mod day2;
pub mod day3;

use std::any::Any;
use std::cell::RefCell;
use std::ops::{Deref, DerefMut};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use harness::{FAST, Output, Program, TempDir};

/// A sentence in both languages of the course.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub ko: &'static str,
    pub en: &'static str,
}

/// One lesson claim: what a finished program does, and the check that
/// runs the programs and panics if it does not.
pub struct Claim {
    pub says: Words,
    pub check: fn(&Run),
}

/// One exercise of the course.
pub struct Exercise {
    /// A lowercase identifier: `check -- <name>`, starter `my_<name>`.
    pub name: &'static str,
    /// The course day whose crate holds it: 1, 2 or 3.
    pub day: u8,
    /// What the student writes, in one line.
    pub task: Words,
    /// The bin of the solution.
    pub solution: &'static str,
    /// The other programs the claims run (the server for a client...).
    pub partners: &'static [&'static str],
    /// The tools a claim needs besides the programs (`strace`).
    pub tools: &'static [&'static str],
    pub claims: &'static [Claim],
}

impl Exercise {
    /// The student's bin: `my_<name>`.
    pub fn starter(&self) -> String {
        format!("my_{}", self.name)
    }

    /// The bin that `version` checks.
    pub fn bin(&self, version: Version) -> String {
        match version {
            Version::Starter => self.starter(),
            Version::Solution => self.solution.to_string(),
        }
    }

    /// Every bin the claims of `version` need built.
    pub fn bins(&self, version: Version) -> Vec<String> {
        let mut bins = vec![self.bin(version)];
        bins.extend(self.partners.iter().map(|p| p.to_string()));
        bins
    }
}

/// Which program the claims run: the student's starter or the solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Starter,
    Solution,
}

/// Every exercise, day by day.
pub fn all() -> Vec<&'static Exercise> {
    day1::EXERCISES
        .iter()
        .chain(day2::EXERCISES)
        .chain(day3::EXERCISES)
        .collect()
}

/// The exercise called `name`.
pub fn find(name: &str) -> Option<&'static Exercise> {
    all().into_iter().find(|exercise| exercise.name == name)
}

/// Where the built bins are: `target/<profile>/`.
#[derive(Debug, Clone)]
pub struct Bins {
    dir: PathBuf,
}

impl Bins {
    /// The bins in `dir`.
    pub fn in_dir(dir: &Path) -> Bins {
        Bins {
            dir: dir.to_path_buf(),
        }
    }

    /// The bins beside a test executable
    /// (`target/<profile>/deps/<test>` → `target/<profile>/`), where
    /// `cargo test --workspace` has built every bin of every day. They are
    /// built again there first, once (at once when nothing changed), so
    /// `cargo test -p check` alone checks today's starters too.
    pub fn beside_test() -> Bins {
        static BUILT: std::sync::OnceLock<Option<Bins>> =
            std::sync::OnceLock::new();
        let exe = std::env::current_exe().expect("current_exe");
        let dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test executable lives in target/<profile>/deps");
        let built = BUILT.get_or_init(|| {
            let mut bins: Vec<String> = all()
                .iter()
                .flat_map(|e| {
                    let mut bins = e.bins(Version::Starter);
                    bins.push(e.solution.to_string());
                    bins
                })
                .collect();
            bins.sort();
            bins.dedup();
            build(dir, &bins)
        });
        built
            .clone()
            .expect("the exercises' bins could not be built")
    }

    /// The path of bin `name`; a claim fails if it is not built.
    pub fn path(&self, name: &str) -> String {
        let path = self.dir.join(name);
        if !path.is_file() {
            fail(
                &format!("{name} 프로그램이 빌드되어 있지 않습니다"),
                &format!(
                    "{name} is not built (cargo build --workspace --bins \
                     builds it)"
                ),
            );
        }
        path.to_string_lossy().into_owned()
    }
}

/// Builds `bins` with cargo into `dir` (`<target>/<profile>/`: the target
/// directory and the profile are read from it), and returns where they
/// are. Cargo's own messages (a compile error in a starter) go straight
/// to the terminal; `None` when the build fails.
pub fn build(dir: &Path, bins: &[String]) -> Option<Bins> {
    let (target_dir, profile) = match (dir.parent(), dir.file_name()) {
        (Some(parent), Some(name)) => {
            (parent.to_path_buf(), name.to_string_lossy().into_owned())
        }
        _ => (PathBuf::from("target"), "debug".to_string()),
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let mut command = Command::new(cargo);
    command
        .args(["build", "-q", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target_dir);
    match profile.as_str() {
        "debug" => {}
        "release" => {
            command.arg("--release");
        }
        other => {
            command.args(["--profile", other]);
        }
    }
    for bin in bins {
        command.args(["--bin", bin]);
    }
    match command.status() {
        Ok(status) if status.success() => Some(Bins::in_dir(dir)),
        Ok(_) => {
            eprintln!(
                "빌드에 실패했습니다 / the build failed: see cargo's \
                 messages above"
            );
            None
        }
        Err(err) => {
            eprintln!("check: cannot run cargo: {err}");
            None
        }
    }
}

/// What became of one claim: `None` when it held, else why not.
#[derive(Debug)]
pub struct Outcome {
    pub says: Words,
    pub failure: Option<String>,
}

/// How many claims run in this process now with their panics silenced.
static QUIET_CLAIMS: AtomicUsize = AtomicUsize::new(0);

/// Makes a claim's panic silent while claims run (the `check` command
/// calls this once): the runner reports the reason itself. Tests do not
/// call it, so a failing test still shows its panic.
pub fn silence_claim_panics() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if QUIET_CLAIMS.load(Ordering::SeqCst) == 0 {
            default(info);
        }
    }));
}

/// Runs every claim of `exercise` on `version`, in order.
pub fn run_claims(
    exercise: &Exercise,
    version: Version,
    bins: &Bins,
) -> Vec<Outcome> {
    exercise
        .claims
        .iter()
        .map(|claim| Outcome {
            says: claim.says,
            failure: run_claim(claim, exercise, version, bins),
        })
        .collect()
}

fn run_claim(
    claim: &Claim,
    exercise: &Exercise,
    version: Version,
    bins: &Bins,
) -> Option<String> {
    let stderr_seen = RefCell::new(Vec::new());
    QUIET_CLAIMS.fetch_add(1, Ordering::SeqCst);
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let run = Run {
            program: bins.path(&exercise.bin(version)),
            bins,
            dir: TempDir::new(&format!("check_{}", exercise.name)),
            stderr_seen: &stderr_seen,
        };
        (claim.check)(&run);
    }));
    QUIET_CLAIMS.fetch_sub(1, Ordering::SeqCst);
    let payload = result.err()?;
    let reason = panic_message(&*payload);
    let stderr = stderr_seen.into_inner().concat();
    let stderr = String::from_utf8_lossy(&stderr);
    Some(match panic_of_program(&stderr) {
        Some(Panic::Todo(step)) => {
            format!("아직 작성하지 않았습니다 / not written yet: {step}")
        }
        Some(Panic::Other(message)) => format!(
            "프로그램이 패닉으로 멈췄습니다 / the program panicked: \
             {message}\n{reason}"
        ),
        None => reason,
    })
}

/// The text of a panic: `panic!("...")` carries a `String` or a `&str`.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// How the program under test panicked, read from its stderr.
#[derive(Debug, PartialEq, Eq)]
enum Panic {
    /// `todo!("C: listen(...)")` reached: its message.
    Todo(String),
    /// Any other panic: its message.
    Other(String),
}

/// Rust prints `thread 'main' ... panicked at <file>:<line>:<col>:` and
/// the message on the next line; `todo!(msg)` makes the message
/// `not yet implemented: <msg>`.
fn panic_of_program(stderr: &str) -> Option<Panic> {
    const TODO: &str = "not yet implemented";
    if let Some(at) = stderr.find(TODO) {
        let rest = &stderr[at + TODO.len()..];
        let line = rest.lines().next().unwrap_or("");
        let step = line.strip_prefix(": ").unwrap_or("todo!()");
        return Some(Panic::Todo(step.to_string()));
    }
    let mut lines = stderr.lines();
    lines.find(|line| line.contains("panicked at"))?;
    Some(Panic::Other(lines.next().unwrap_or("").to_string()))
}

/// A claim fails: panics with the reason in both languages.
pub fn fail(ko: &str, en: &str) -> ! {
    panic!("{ko} / {en}")
}

/// A claim fails unless `holds`; `ko` and `en` say what went wrong.
pub fn ensure(holds: bool, ko: &str, en: &str) {
    if !holds {
        fail(ko, en);
    }
}

/// The world one claim runs in: the program under test, the other bins,
/// a fresh directory that is removed afterwards.
pub struct Run<'a> {
    program: String,
    bins: &'a Bins,
    dir: TempDir,
    stderr_seen: &'a RefCell<Vec<Vec<u8>>>,
}

impl Run<'_> {
    /// The temporary directory every program of the claim runs in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The bytes of a file the programs left in the directory.
    pub fn read_file(&self, name: &str) -> Option<Vec<u8>> {
        std::fs::read(self.dir.file(name)).ok()
    }

    /// A command for the program under test, in the directory, with the
    /// sleeps of the originals shortened (`TCPIP_SLEEP_SCALE`).
    pub fn command(&self, args: &[&str]) -> Command {
        program_command(&self.program, args, self.dir())
    }

    /// Starts the program under test with `args`.
    pub fn start(&self, args: &[&str]) -> Started<'_> {
        self.spawn(&mut self.command(args))
    }

    /// Starts a prepared command of the program under test.
    pub fn spawn(&self, command: &mut Command) -> Started<'_> {
        self.spawn_with_stdout(command, None)
    }

    /// The same with `stdout` as its standard output instead of a pipe
    /// the harness reads (see [`Program::spawn_with_stdout`]).
    pub fn spawn_with_stdout(
        &self,
        command: &mut Command,
        stdout: Option<std::process::Stdio>,
    ) -> Started<'_> {
        Started {
            program: Some(Program::spawn_with_stdout(command, stdout)),
            stderr_seen: self.stderr_seen,
        }
    }

    /// The program under test under `strace -f`, tracing only `calls` into
    /// `trace_file`. Fails the claim if strace is not installed.
    pub fn strace_command(
        &self,
        trace_file: &Path,
        calls: &[&str],
        args: &[&str],
    ) -> Command {
        if !harness::on_path("strace") {
            fail(
                "strace가 설치되어 있지 않아 확인할 수 없습니다",
                "strace is not installed, so this cannot be checked \
                 (apt-get install strace)",
            );
        }
        let mut command =
            harness::strace::command(trace_file, calls, &self.program, args);
        command
            .current_dir(self.dir())
            .env("TCPIP_SLEEP_SCALE", FAST)
            .env("RUST_BACKTRACE", "0");
        command
    }

    /// A new directory inside the claim's directory (a server's folder and
    /// a client's, so a copy cannot overwrite its original).
    pub fn subdir(&self, name: &str) -> PathBuf {
        let dir = self.dir.file(name);
        if let Err(err) = std::fs::create_dir_all(&dir) {
            fail(
                "디렉터리를 만들 수 없습니다",
                &format!("mkdir {dir:?}: {err}"),
            );
        }
        dir
    }

    /// Runs the program under test to its end with `stdin` as its input.
    pub fn run(&self, args: &[&str], stdin: &[u8]) -> Output {
        let mut program = self.start(args);
        program.write_stdin(stdin);
        program.wait_exit()
    }

    /// The path of another bin (the partner server or client).
    pub fn bin(&self, name: &str) -> String {
        self.bins.path(name)
    }

    /// Starts the partner `name` with `args`, in the directory.
    pub fn partner(&self, name: &str, args: &[&str]) -> Program {
        Program::spawn(&mut self.partner_command(name, args))
    }

    /// A command for the partner `name` (to give it another directory...).
    pub fn partner_command(&self, name: &str, args: &[&str]) -> Command {
        program_command(&self.bin(name), args, self.dir())
    }

    /// Runs the partner `name` to its end with `stdin` as its input.
    pub fn run_partner(
        &self,
        name: &str,
        args: &[&str],
        stdin: &[u8],
    ) -> Output {
        let mut partner = self.partner(name, args);
        partner.write_stdin(stdin);
        partner.wait_exit()
    }
}

/// `path args` in `dir`, with the sleeps of the originals shortened, and
/// without a backtrace on a panic: a starter's `todo!()` panics, and a
/// debug build takes a second to print a backtrace nobody reads.
fn program_command(path: &str, args: &[&str], dir: &Path) -> Command {
    let mut command = Command::new(path);
    command
        .args(args)
        .current_dir(dir)
        .env("TCPIP_SLEEP_SCALE", FAST)
        .env("RUST_BACKTRACE", "0");
    command
}

/// The program under test, running. Whatever it wrote to stderr is kept
/// for the report when it ends, even when the claim fails (a starter's
/// `todo!()` message is there).
pub struct Started<'a> {
    program: Option<Program>,
    stderr_seen: &'a RefCell<Vec<Vec<u8>>>,
}

impl Started<'_> {
    /// Waits for the program to exit by itself (see
    /// [`Program::wait_exit`]).
    pub fn wait_exit(mut self) -> Output {
        let program = self.program.take().expect("running");
        self.keep(program.wait_exit())
    }

    /// Kills the program and returns what it left.
    pub fn kill(mut self) -> Output {
        let program = self.program.take().expect("running");
        self.keep(program.kill())
    }

    fn keep(&self, out: Output) -> Output {
        self.stderr_seen.borrow_mut().push(out.stderr.clone());
        out
    }
}

impl Deref for Started<'_> {
    type Target = Program;
    fn deref(&self) -> &Program {
        self.program.as_ref().expect("running")
    }
}

impl DerefMut for Started<'_> {
    fn deref_mut(&mut self) -> &mut Program {
        self.program.as_mut().expect("running")
    }
}

impl Drop for Started<'_> {
    fn drop(&mut self) {
        if let Some(program) = self.program.take() {
            // Killed and reaped as Program's own drop would, but first
            // its stderr is kept.
            let out = program.kill();
            self.stderr_seen.borrow_mut().push(out.stderr);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_todo_reached_is_read_from_stderr() {
        let stderr = "\nthread 'main' (42) panicked at day2/x.rs:3:5:\n\
                      not yet implemented: C: listen(serv_sock, 5)\n\
                      note: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_of_program(stderr),
            Some(Panic::Todo("C: listen(serv_sock, 5)".to_string()))
        );
        let bare = "thread 'main' panicked at x.rs:1:1:\nnot yet implemented\n";
        assert_eq!(
            panic_of_program(bare),
            Some(Panic::Todo("todo!()".to_string()))
        );
    }

    #[test]
    fn another_panic_is_read_from_stderr() {
        let stderr = "thread 'main' panicked at x.rs:1:1:\nindex out of \
                      bounds\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_of_program(stderr),
            Some(Panic::Other("index out of bounds".to_string()))
        );
        assert_eq!(panic_of_program("bind() error: in use\n"), None);
    }

    #[test]
    fn every_exercise_has_a_unique_lowercase_name_and_claims() {
        let all = all();
        for (i, exercise) in all.iter().enumerate() {
            assert!(
                exercise.name.chars().all(|c| c.is_ascii_lowercase()
                    || c.is_ascii_digit()
                    || c == '_'),
                "{}",
                exercise.name
            );
            assert!(!exercise.claims.is_empty(), "{}", exercise.name);
            assert!((1..=3).contains(&exercise.day), "{}", exercise.name);
            assert!(
                all[i + 1..].iter().all(|other| other.name != exercise.name),
                "{} twice",
                exercise.name
            );
        }
    }
}

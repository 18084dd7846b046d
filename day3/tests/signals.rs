//! signal, sigaction and remove_zombie: a signal wakes a sleeping process,
//! SIGINT is handled by one program and kills the other, and a SIGCHLD
//! handler that loops collects every child, even when two children's
//! signals merge into one.

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Command;
use std::time::{Duration, Instant};

use harness::procfs::{all_processes, children_of, stat};
use harness::{Output, Program, strace, wait_until};

const SIGNAL: &str = env!("CARGO_BIN_EXE_signal");
const SIGACTION: &str = env!("CARGO_BIN_EXE_sigaction");
const REMOVE_ZOMBIE: &str = env!("CARGO_BIN_EXE_remove_zombie");

/// The C programs' output when only the alarm comes: three sleeps, each
/// ended by SIGALRM.
const THREE_TIMEOUTS: &str =
    "wait...\nTime out!\nwait...\nTime out!\nwait...\nTime out!\n";

/// A command for `bin` with the sleep knob at `scale`, and SIGINT at its
/// default action even if this test process was started with it ignored
/// (a disposition of SIG_IGN survives fork and exec).
fn command(bin: &str, scale: &str) -> Command {
    let mut command = Command::new(bin);
    command.env("TCPIP_SLEEP_SCALE", scale);
    // SAFETY: the closure runs in the forked child before exec and calls
    // only signal(2), which is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    command
}

/// Waits until the program prints `needle`, then until it sleeps (state S
/// in `/proc`: after printing, the only call that blocks is the sleep).
fn wait_until_asleep_after(program: &mut Program, needle: &str) {
    program.wait_for_stdout(needle);
    let pid = program.pid();
    wait_until("the program sleeps", || {
        stat(pid).is_some_and(|s| s.state == 'S')
    });
}

/// The guard reaped everything: no process of the program's group is left.
fn assert_no_process_left(group: u32) {
    let left: Vec<_> = all_processes()
        .into_iter()
        .filter(|p| p.pgrp == group)
        .collect();
    assert!(left.is_empty(), "processes left behind: {left:?}");
}

/// Runs `bin` with the knob at 0.05: an alarm every 0.1 s, sleeps of 5 s.
/// Returns the output and how long the run took.
fn run_timed(bin: &str) -> (Output, Duration) {
    let start = Instant::now();
    let program = Program::spawn(&mut command(bin, "0.05"));
    let group = program.pid();
    let out = program.wait_exit();
    let took = start.elapsed();
    assert_no_process_left(group);
    (out, took)
}

/// A signal wakes a sleeping process: 300 s of sleep end in 6. Scaled by
/// 0.05: three sleeps of 5 s (15 s) end after three alarms of 0.1 s, so
/// the run takes about 0.3 s, not 15 (at least 0.3: the alarm is re-armed
/// each time with the scaled 2 s, never sooner; at most 5, which leaves a
/// loaded machine room and is still a third of the 15).
#[test]
fn a_signal_wakes_a_sleeping_process() {
    assert_three_alarms_end_three_sleeps(SIGNAL);
}

/// Runs `program` at scale 0.05 and checks the three wake-ups: the exact
/// transcript, and a run of 0.3 s to 5 s instead of 15.
fn assert_three_alarms_end_three_sleeps(program: &str) {
    let (out, took) = run_timed(program);
    assert_eq!(out.stdout_text(), THREE_TIMEOUTS);
    assert_eq!(out.stderr_text(), "");
    assert_eq!(out.code(), 0);
    assert!(took >= Duration::from_millis(290), "too soon: {took:?}");
    assert!(
        took < Duration::from_secs(5),
        "the sleeps were not cut short: {took:?}"
    );
}

/// The same wake-up with a handler installed by sigaction (flags 0).
#[test]
fn sigaction_wakes_a_sleeping_process_the_same_way() {
    assert_three_alarms_end_three_sleeps(SIGACTION);
}

/// signal handles SIGINT: `CTRL+C pressed`, and the sleep it interrupted
/// ends, so three Ctrl+C end the three sleeps. The knob is 5 (alarm after
/// 10 s, sleeps of 500 s), so no alarm comes in between.
#[test]
fn ctrl_c_prints_a_message_in_signal() {
    let mut program = Program::spawn(&mut command(SIGNAL, "5"));
    let mut expected = String::new();
    for _ in 0..3 {
        expected.push_str("wait...\n");
        wait_until_asleep_after(&mut program, &expected);
        program.signal(libc::SIGINT);
        expected.push_str("CTRL+C pressed\n");
    }
    let group = program.pid();
    let out = program.wait_exit();
    assert_eq!(out.stdout_text(), expected);
    assert_eq!(out.code(), 0);
    assert_no_process_left(group);
}

/// sigaction handles only SIGALRM: SIGINT keeps its default action and
/// ends the program at once, with no message.
#[test]
fn ctrl_c_ends_sigaction_silently() {
    let mut program = Program::spawn(&mut command(SIGACTION, "5"));
    wait_until_asleep_after(&mut program, "wait...\n");
    program.signal(libc::SIGINT);
    let group = program.pid();
    let out = program.wait_exit();
    assert_eq!(out.status.signal(), Some(libc::SIGINT), "{:?}", out.status);
    assert_eq!(out.stdout_text(), "wait...\n");
    assert_eq!(out.stderr_text(), "");
    assert_no_process_left(group);
}

/// glibc's signal() installs the handler with SA_RESTART; the sigaction
/// program passes flags 0, so SA_RESTART is not set. Read from the
/// program's own rt_sigaction call.
#[test]
fn signal_sets_sa_restart_and_sigaction_does_not() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = std::env::temp_dir()
        .join(format!("d3proc_sa_restart_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (bin, restarts) in [(SIGNAL, true), (SIGACTION, false)] {
        let trace_file = dir.join("trace");
        let mut traced =
            strace::command(&trace_file, &["rt_sigaction"], bin, &[]);
        traced.env("TCPIP_SLEEP_SCALE", harness::FAST);
        let out = Program::spawn(&mut traced).wait_exit();
        assert_eq!(out.stdout_text(), THREE_TIMEOUTS);
        let trace = std::fs::read_to_string(&trace_file).unwrap();
        let install = strace::parse(&trace)
            .into_iter()
            .find(|call| call.args.starts_with("SIGALRM, {sa_handler=0x"))
            .unwrap_or_else(|| {
                panic!("no handler for SIGALRM in the trace:\n{trace}")
            });
        assert_eq!(
            install.args.contains("SA_RESTART"),
            restarts,
            "{bin}: {install:?}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The lines of standard output, without their `\n`, and without the
/// children's `Hi! I'm child process` (they may come anywhere before the
/// children end); asserts there were exactly two of those.
fn parent_lines(out: &Output) -> Vec<String> {
    let all: Vec<String> =
        out.stdout_text().lines().map(str::to_string).collect();
    let hi = all.iter().filter(|l| *l == "Hi! I'm child process").count();
    assert_eq!(hi, 2, "{all:?}");
    all.into_iter()
        .filter(|l| l != "Hi! I'm child process")
        .collect()
}

/// The number in a line that is exactly `prefix`, digits, one space.
fn number_after(line: &str, prefix: &str) -> Option<u32> {
    let digits = line.strip_prefix(prefix)?.strip_suffix(' ')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Checks the parent's transcript: the two `Child proc id:` lines, then
/// five `wait...` with the two `Removed proc id:` / `Child send:` pairs
/// between them (12 from the first child, 24 from the second). Returns the
/// two pids, and whether the two pairs came together (one handler run).
fn check_transcript(lines: &[String]) -> ([u32; 2], bool) {
    let first = number_after(&lines[0], "Child proc id: ").expect("first pid");
    let second =
        number_after(&lines[1], "Child proc id: ").expect("second pid");
    let rest = &lines[2..];
    assert_eq!(rest.len(), 9, "{lines:?}");
    assert_eq!(rest[0], "wait...");
    assert_eq!(
        rest.iter().filter(|l| *l == "wait...").count(),
        5,
        "{lines:?}"
    );
    let mut pairs = Vec::new();
    for (at, line) in rest.iter().enumerate() {
        if let Some(pid) = number_after(line, "Removed proc id: ") {
            let code = number_after(&rest[at + 1], "Child send: ")
                .expect("Child send");
            pairs.push((at, pid, code));
        }
    }
    assert_eq!(pairs.len(), 2, "{lines:?}");
    for &(_, pid, code) in &pairs {
        let expected = if pid == first { 12 } else { 24 };
        assert!(pid == first || pid == second, "{lines:?}");
        assert_eq!(code, expected, "{lines:?}");
    }
    assert_ne!(pairs[0].1, pairs[1].1, "{lines:?}");
    ([first, second], pairs[1].0 == pairs[0].0 + 2)
}

/// A SIGCHLD handler collects each child as it ends: both exit values are
/// printed, and when the parent ends no child is left.
#[test]
fn remove_zombie_collects_each_child_from_the_handler() {
    // Children sleep 10 s (1 s here), the parent 5 × 5 s (5 × 0.5 s): the
    // children end well inside the parent's loop even on a loaded machine.
    let program = Program::spawn(&mut command(REMOVE_ZOMBIE, "0.1"));
    let group = program.pid();
    let out = program.wait_exit();
    assert_eq!(out.code(), 0);
    let ([first, second], _together) = check_transcript(&parent_lines(&out));
    assert_eq!(stat(first), None);
    assert_eq!(stat(second), None);
    assert_no_process_left(group);
}

/// Two children that end while the parent cannot run (stopped with
/// SIGSTOP) send two SIGCHLDs, but a pending signal is not counted twice:
/// the parent sees one. The handler loops waitpid(-1, WNOHANG), so that
/// one run collects both: no zombie is left while the parent lives. (The
/// C handler, one waitpid per signal, leaves one zombie here.)
#[test]
fn remove_zombie_reaps_both_children_when_their_signals_merge() {
    // Children sleep 10 s (1 s here: the time we have to stop the parent),
    // the parent 5 × 5 s (5 × 0.5 s).
    let mut program = Program::spawn(&mut command(REMOVE_ZOMBIE, "0.1"));
    let parent = program.pid();
    program.wait_for_stdout("wait...\n");
    let children: Vec<u32> =
        children_of(parent).iter().map(|c| c.pid).collect();
    assert_eq!(children.len(), 2, "{children:?}");

    // Stop the parent; both children end meanwhile: two SIGCHLDs, one pending.
    program.signal(libc::SIGSTOP);
    wait_until("the parent is stopped", || {
        stat(parent).is_some_and(|s| s.state == 'T')
    });
    wait_until("both children have ended", || {
        children
            .iter()
            .all(|&c| stat(c).is_some_and(|s| s.state == 'Z'))
    });
    program.signal(libc::SIGCONT);

    // One handler run, both collected, while the parent still lives.
    wait_until("both children are collected, or the parent ends", || {
        children.iter().all(|&c| stat(c).is_none()) || program.has_exited()
    });
    let left: Vec<_> = children.iter().filter_map(|&c| stat(c)).collect();
    assert!(left.is_empty(), "a zombie is left: {left:?}");
    assert!(!program.has_exited());

    let out = program.wait_exit();
    assert_eq!(out.code(), 0);
    let (pids, together) = check_transcript(&parent_lines(&out));
    let mut sorted = pids;
    sorted.sort();
    let mut expected = [children[0], children[1]];
    expected.sort();
    assert_eq!(sorted, expected);
    assert!(
        together,
        "one signal, so both pairs in one go: {:?}",
        out.stdout_text()
    );
    assert_no_process_left(parent);
}

/// These programs take no arguments and, like the C ones, ignore extra ones.
#[test]
fn extra_arguments_are_ignored() {
    let mut with_args = command(SIGACTION, "0.01");
    with_args.args(["9190", "extra"]);
    let out = Program::spawn(&mut with_args).wait_exit();
    assert_eq!(out.stdout_text(), THREE_TIMEOUTS);
    assert_eq!(out.stderr_text(), "");
    assert_eq!(out.code(), 0);
}

//! fork, zombie, wait and waitpid: fork copies memory, an ended child stays
//! a zombie until someone collects it, wait and waitpid collect exit values,
//! and output through a pipe shows every line once.
//!
//! The sleeps of the C originals (30 s, 15 s, 3 s) are scaled down with
//! `TCPIP_SLEEP_SCALE`; the tests that look at a process while it sleeps
//! use 0.1 (30 s become 3 s, 15 s become 1.5 s): the look takes
//! milliseconds, and the rest is slack for a loaded machine.

use std::process::Command;
use std::thread;
use std::time::Duration;

use harness::procfs::{all_processes, children_of, stat};
use harness::{Output, Program, TempDir, strace, wait_until};

const FORK: &str = env!("CARGO_BIN_EXE_fork");
const ZOMBIE: &str = env!("CARGO_BIN_EXE_zombie");
const WAIT: &str = env!("CARGO_BIN_EXE_wait");
const WAITPID: &str = env!("CARGO_BIN_EXE_waitpid");

/// Starts `bin` with the sleep knob at `scale`.
fn start_scaled(bin: &str, scale: &str) -> Program {
    Program::spawn(Command::new(bin).env("TCPIP_SLEEP_SCALE", scale))
}

/// The lines of standard output, without their `\n`.
fn lines(out: &Output) -> Vec<String> {
    out.stdout_text().lines().map(str::to_string).collect()
}

/// The number in a line that is exactly `prefix`, digits, one space (the
/// C programs' `"...%d \n"`), or `None` if the line is anything else.
fn number_after(line: &str, prefix: &str) -> Option<u32> {
    let digits = line.strip_prefix(prefix)?.strip_suffix(' ')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Is `lines` the two sequences `a` and `b` interleaved, each in order?
/// (Two processes writing to one pipe: each one's lines keep their order.)
fn is_interleaving(lines: &[String], a: &[&str], b: &[&str]) -> bool {
    match lines.split_first() {
        None => a.is_empty() && b.is_empty(),
        Some((first, rest)) => {
            (a.first() == Some(&first.as_str())
                && is_interleaving(rest, &a[1..], b))
                || (b.first() == Some(&first.as_str())
                    && is_interleaving(rest, a, &b[1..]))
        }
    }
}

/// Waits until `program` has printed `count` lines. The parent of `fork`
/// does not wait for its child (nor does the C one), so the child may print
/// after the parent has exited; the harness's guard would kill it then.
fn wait_for_lines(program: &Program, count: usize) {
    wait_until("all lines are printed", || {
        let out = program.stdout_so_far();
        out.iter().filter(|&&b| b == b'\n').count() >= count
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

/// After fork each process has its own gval and lval: the child's +2 never
/// reaches the parent, whose -2 never reaches the child.
#[test]
fn fork_gives_the_child_a_copy_of_memory() {
    let program = Program::start(FORK, &[]);
    let group = program.pid();
    wait_for_lines(&program, 2);
    let out = program.wait_exit();
    assert_eq!(out.code(), 0);
    assert!(
        is_interleaving(
            &lines(&out),
            &["Parent Proc: [9, 23] "],
            &["Child Proc: [13, 27] "]
        ),
        "{:?}",
        out.stdout_text()
    );
    assert_eq!(out.stdout.iter().filter(|&&b| b == b'\n').count(), 2);
    assert_no_process_left(group);
}

/// The child has ended, yet it stays in `/proc` in state Z, still the
/// parent's child, for as long as the parent sleeps. When the parent
/// exits, the zombie goes to the nearest reaper: normally init, here this
/// test process, which the harness makes a child subreaper. The harness's
/// guard then reaps it, playing init, and it is gone.
#[test]
fn child_is_zombie_until_parent_exits() {
    let mut parent = start_scaled(ZOMBIE, "0.1"); // sleep(30) is 3 s
    parent.wait_for_stdout("End child process\n");
    let text = parent.wait_for_stdout("Child Process ID: ");
    let child = text
        .lines()
        .find_map(|line| number_after(line, "Child Process ID: "))
        .unwrap_or_else(|| panic!("no child pid in {text:?}"));

    // The child printed its last line and ended: it is a zombie now...
    wait_until("the child is a zombie", || {
        stat(child).is_some_and(|s| s.state == 'Z')
    });
    let zombie = stat(child).expect("the zombie is in /proc");
    assert_eq!(zombie.ppid, parent.pid(), "{zombie:?}");
    // ...and stays one while its parent lives and does not collect it.
    thread::sleep(Duration::from_millis(100));
    let zombie = stat(child).expect("still in /proc");
    assert_eq!((zombie.state, zombie.ppid), ('Z', parent.pid()));
    assert!(!parent.has_exited(), "the parent ended too early to look");

    // The parent exits: the zombie is no longer its child but ours.
    wait_until("the parent exits", || parent.has_exited());
    if let Some(orphan) = stat(child) {
        assert_eq!(orphan.ppid, std::process::id(), "{orphan:?}");
    }
    let group = parent.pid();
    let out = parent.wait_exit();
    assert_eq!(stat(child), None, "the guard reaps the orphaned zombie");
    assert_no_process_left(group);

    assert_eq!(out.code(), 0);
    let parent_line = format!("Child Process ID: {child} ");
    assert!(
        is_interleaving(
            &lines(&out),
            &[&parent_line, "End parent process"],
            &["Hi I'am a child process", "End child process"], // (sic)
        ),
        "{:?}",
        out.stdout_text()
    );
}

/// wait collects both exit values, 3 (`return 3`) and 7 (`exit(7)`), in the
/// order the children end, and removes the children: while the parent
/// sleeps afterwards, neither is left in `/proc`, not even as a zombie.
#[test]
fn wait_collects_exit_codes_3_and_7() {
    let mut parent = start_scaled(WAIT, "0.1"); // sleep(30) is 3 s
    parent.wait_for_stdout("Child send two: ");
    wait_until("four lines", || {
        parent
            .stdout_so_far()
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            == 4
    });
    assert!(children_of(parent.pid()).is_empty());
    assert!(!parent.has_exited(), "the parent ended too early to look");

    let group = parent.pid();
    let out = parent.wait_exit();
    assert_eq!(out.code(), 0);
    let lines = lines(&out);
    assert_eq!(lines.len(), 4, "{lines:?}");
    let first = number_after(&lines[0], "Child PID: ").expect("Child PID line");
    let second =
        number_after(&lines[1], "Child PID: ").expect("Child PID line");
    assert_ne!(first, second);
    assert_eq!(stat(first), None);
    assert_eq!(stat(second), None);
    let one = number_after(&lines[2], "Child send one: ").expect("one");
    let two = number_after(&lines[3], "Child send two: ").expect("two");
    let mut codes = [one, two];
    codes.sort();
    assert_eq!(codes, [3, 7], "{lines:?}");
    assert_no_process_left(group);
}

/// With WNOHANG, waitpid returns at once while the child still sleeps, so
/// the parent keeps working: several `sleep 3sec.` lines, printed while
/// the child is alive, then `Child send 24 `.
#[test]
fn waitpid_polls_while_the_child_sleeps() {
    // The child sleeps 15 s (1.5 s here), the parent 3 s (0.3 s) per check.
    let mut parent = start_scaled(WAITPID, "0.1");
    parent.wait_for_stdout("sleep 3sec.\n");
    let children = children_of(parent.pid());
    assert_eq!(children.len(), 1, "{children:?}");
    assert_ne!(children[0].state, 'Z', "the child still sleeps");

    let group = parent.pid();
    let out = parent.wait_exit();
    assert_eq!(out.code(), 0);
    let lines = lines(&out);
    let (last, polls) = lines.split_last().expect("some output");
    assert_eq!(last, "Child send 24 ");
    assert!(polls.iter().all(|line| line == "sleep 3sec."), "{lines:?}");
    assert!(polls.len() >= 3, "only {} polls: {lines:?}", polls.len());
    assert_no_process_left(group);
}

/// Output through a pipe is what a terminal shows: every line once. (The C
/// `wait` piped into `cat` prints its first `Child PID:` line twice: the
/// second child's `exit(7)` flushes a copy of stdio's buffer.)
#[test]
fn no_line_is_duplicated_through_a_pipe() {
    for (bin, lines_printed) in
        [(FORK, 2), (ZOMBIE, 4), (WAIT, 4), (WAITPID, 1)]
    {
        let program = Program::start_fast(bin, &[]);
        wait_for_lines(&program, lines_printed);
        let out = program.wait_exit();
        assert_eq!(out.code(), 0);
        let mut lines = lines(&out);
        lines.retain(|line| line != "sleep 3sec."); // waitpid repeats it on purpose
        let count = lines.len();
        lines.sort();
        lines.dedup();
        assert_eq!(lines.len(), count, "{bin}: {:?}", out.stdout_text());
    }
}

/// What a trace of `write` and `clone` says about standard output and
/// `fork`: the traced program's own calls in order (`fork() = <child pid>`
/// for a clone, or the text of a write to fd 1), and the texts its
/// children wrote to fd 1.
fn forks_and_stdout_writes(trace: &str) -> (Vec<String>, Vec<String>) {
    let calls = strace::parse(trace);
    let program = calls.first().expect("an empty trace").pid;
    let (mut own, mut children) = (Vec::new(), Vec::new());
    for call in &calls {
        let event = if call.name.starts_with("clone")
            || call.name.ends_with("fork")
        {
            format!("fork() = {}", call.result)
        } else if call.name == "write" && call.fd_arg() == Some(1) {
            // 1, "Child PID: 4242 \n", 18  ->  Child PID: 4242 + newline
            let (_, quoted) =
                call.args.split_once('"').expect("a quoted buffer");
            let (text, _) = quoted.rsplit_once('"').expect("a quoted buffer");
            text.replace("\\n", "\n")
        } else {
            continue;
        };
        if call.pid == program {
            own.push(event);
        } else {
            children.push(event);
        }
    }
    (own, children)
}

/// The stronger form of the check above, read from the system calls: the
/// parent's `Child PID:` line reaches the kernel (`write(1, ...)`) before
/// the second `fork`, so no copy of it waits in a buffer the second child
/// inherits, and no child ever writes it. The pipe check misses a line
/// still held in a buffer at `fork` when the child never flushes its copy
/// (a `BufWriter` that the child's `exit(7)` does not drop); this one
/// does not. (Rust's `println!` already
/// writes at the newline, so removing only the flush before `fork`
/// changes nothing here: that flush guards output without a newline.)
#[test]
fn each_line_is_written_before_the_next_fork() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("d3proc_fork_order");
    let trace_file = dir.file("trace");
    let mut traced =
        strace::command(&trace_file, &["write", "clone", "clone3"], WAIT, &[]);
    traced.env("TCPIP_SLEEP_SCALE", harness::FAST);
    let out = Program::spawn(&mut traced).wait_exit();
    assert_eq!(out.code(), 0);
    let lines = lines(&out);
    let first = number_after(&lines[0], "Child PID: ").expect("Child PID line");
    let second =
        number_after(&lines[1], "Child PID: ").expect("Child PID line");

    let trace = std::fs::read_to_string(&trace_file).expect("the trace");
    let (parent, children) = forks_and_stdout_writes(&trace);
    assert!(parent.len() >= 4, "{trace}");
    assert_eq!(
        parent[..4],
        [
            format!("fork() = {first}"),
            format!("Child PID: {first} \n"),
            format!("fork() = {second}"),
            format!("Child PID: {second} \n"),
        ],
        "{trace}"
    );
    assert_eq!(children, Vec::<String>::new(), "{trace}");
}

/// These programs take no arguments and, like the C ones, ignore extra ones.
#[test]
fn extra_arguments_are_ignored() {
    let program = Program::start_fast(FORK, &["9190", "extra"]);
    wait_for_lines(&program, 2);
    let out = program.wait_exit();
    assert_eq!(out.code(), 0);
    let mut sorted = lines(&out);
    sorted.sort();
    assert_eq!(sorted, ["Child Proc: [13, 27] ", "Parent Proc: [9, 23] "]);
    assert_eq!(out.stderr_text(), "");

    let out = Program::start_fast(WAIT, &["1"]).wait_exit();
    assert_eq!(out.code(), 0);
    assert_eq!(lines(&out).len(), 4, "{:?}", out.stdout_text());
    assert_eq!(out.stderr_text(), "");
}

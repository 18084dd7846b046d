//! fork_fdnum (the answer to chapter 10, question 3) and ctrl_handler
//! (chapter 10, question 5): after `fork` the child holds the socket under
//! the same descriptor number; Ctrl+C asks before it ends the program, and
//! the handler itself only records the signal.

use std::process::Command;

use harness::procfs::children_of;
use harness::{FAST, Program, TempDir, wait_until};

const FORK_FDNUM: &str = env!("CARGO_BIN_EXE_fork_fdnum");
const CTRL_HANDLER: &str = env!("CARGO_BIN_EXE_ctrl_handler");

const QUESTION: &str = "Do you want exit(Y to exit)? ";
const NICE_DAY: &str = "Have a nice day~\n";

/// The number in `Child sock fd: [N] ` (or Parent), if the line is that.
fn fd_in(line: &str, who: &str) -> Option<u32> {
    let rest = line.strip_prefix(who)?.strip_prefix(" sock fd: [")?;
    rest.strip_suffix("] ")?.parse().ok()
}

/// Waits until parent and child have each printed their line (the parent
/// does not wait for its child, so the child may print last).
fn wait_for_two_lines(program: &Program) {
    wait_until("both processes printed", || {
        program
            .stdout_so_far()
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            >= 2
    });
}

/// Exactly two lines, one from each process, in either order, with the
/// same descriptor number: the child's copy of the socket keeps it.
#[test]
fn the_child_has_the_socket_under_the_same_number() {
    let program = Program::start(FORK_FDNUM, &[]);
    wait_for_two_lines(&program);
    let out = program.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    let text = out.stdout_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text:?}");
    let parent = lines.iter().find_map(|l| fd_in(l, "Parent"));
    let child = lines.iter().find_map(|l| fd_in(l, "Child"));
    assert!(parent.is_some() && child.is_some(), "{text:?}");
    assert_eq!(parent, child, "{text:?}");
    // 0, 1 and 2 are taken: the socket is the first free number or later.
    assert!(parent >= Some(3), "{text:?}");
}

/// Extra arguments are ignored, as the C program ignores its own.
#[test]
fn fork_fdnum_ignores_extra_arguments() {
    let program = Program::start(FORK_FDNUM, &["extra"]);
    wait_for_two_lines(&program);
    assert_eq!(program.wait_exit().code(), 0);
}

/// Waits until `program` has printed `count` questions and is waiting
/// for the answer (nothing after the last question yet).
fn wait_for_question(program: &mut Program, count: usize) {
    wait_until("the question is asked", || {
        let text =
            String::from_utf8_lossy(&program.stdout_so_far()).into_owned();
        text.matches(QUESTION).count() == count && text.ends_with(QUESTION)
    });
}

/// Ctrl+C asks; `n` goes on printing `Have a nice day~`; a second Ctrl+C
/// asks again; `Y` ends the program with status 1, the C's `exit(1)`.
#[test]
fn ctrl_c_asks_and_only_y_ends_it() {
    let mut program = Program::start_fast(CTRL_HANDLER, &[]);
    program.wait_for_stdout(NICE_DAY);
    program.signal(libc::SIGINT);
    wait_for_question(&mut program, 1);

    program.write_stdin(b"n\n");
    let after_no = format!("{QUESTION}{NICE_DAY}{NICE_DAY}");
    program.wait_for_stdout(&after_no); // it goes on, line after line
    program.signal(libc::SIGINT);
    wait_for_question(&mut program, 2);

    program.write_stdin(b"Y\n");
    let out = program.wait_exit();
    assert_eq!(out.code(), 1, "stderr: {}", out.stderr_text());
    assert_eq!(out.stderr_text(), "");
    // Every line is the C's line; the last thing printed is the question.
    let text = out.stdout_text();
    let (before, last) = text.rsplit_once(QUESTION).unwrap();
    assert_eq!(last, "");
    let pieces: Vec<&str> = before.split(QUESTION).collect();
    assert_eq!(pieces.len(), 2, "{text:?}");
    for piece in pieces {
        assert!(!piece.is_empty(), "{text:?}");
        assert!(
            piece.split_inclusive('\n').all(|line| line == NICE_DAY),
            "{text:?}"
        );
    }
}

/// A lowercase `y` ends it too; any other answer (here `x`, and an empty
/// line) does not.
#[test]
fn lowercase_y_ends_it_and_other_answers_do_not() {
    let mut program = Program::start_fast(CTRL_HANDLER, &[]);
    for (count, answer) in [(1, &b"x\n"[..]), (2, b"\n")] {
        program.wait_for_stdout(NICE_DAY);
        program.signal(libc::SIGINT);
        wait_for_question(&mut program, count);
        program.write_stdin(answer);
        let text = format!("{QUESTION}{NICE_DAY}");
        wait_until("it goes on after the answer", || {
            String::from_utf8_lossy(&program.stdout_so_far())
                .matches(&text)
                .count()
                == count
        });
    }
    program.signal(libc::SIGINT);
    wait_for_question(&mut program, 3);
    program.write_stdin(b"y\n");
    assert_eq!(program.wait_exit().code(), 1);
}

/// From a trace of the program's system calls around the signal: the
/// handler makes none (`--- SIGINT ---` is followed at once by its
/// `rt_sigreturn`), and the question is written after the handler has
/// returned. The C handler would `write` the question and `read` the
/// answer inside it.
#[test]
fn the_handler_makes_no_system_call() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("ctrl_handler_strace");
    let trace_file = dir.file("trace");
    let mut traced = Program::spawn(
        harness::strace::command(
            &trace_file,
            &["read", "write", "rt_sigreturn"],
            CTRL_HANDLER,
            &[],
        )
        .env("TCPIP_SLEEP_SCALE", FAST),
    );
    traced.wait_for_stdout(NICE_DAY);
    let strace_pid = traced.pid();
    let program = children_of(strace_pid)
        .first()
        .map(|child| child.pid)
        .expect("the traced ctrl_handler");
    // SAFETY: kill(2) of the traced program, our grandchild, which cannot
    // be reaped (and its pid reused) while strace, our child, traces it.
    assert_eq!(unsafe { libc::kill(program as i32, libc::SIGINT) }, 0);
    wait_for_question(&mut traced, 1);
    traced.write_stdin(b"Y\n");
    let out = traced.wait_exit();
    assert_eq!(out.code(), 1, "stderr: {}", out.stderr_text());

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let lines: Vec<&str> = trace.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("--- SIGINT"))
        .unwrap_or_else(|| panic!("no SIGINT in the trace:\n{trace}"));
    let next: Vec<&str> = lines[at + 1..]
        .iter()
        .map(|l| l.split_once(' ').map_or(*l, |(_, call)| call.trim()))
        .take(2)
        .collect();
    assert!(
        next.first().is_some_and(|c| c.starts_with("rt_sigreturn(")),
        "the first call after the signal is not the handler's return: \
         {next:?}\n{trace}"
    );
    assert!(
        next.get(1)
            .is_some_and(|c| c.starts_with("write(1, \"Do you")),
        "the question is not the next call: {next:?}\n{trace}"
    );
}

/// Extra arguments are ignored; without SIGINT it just keeps printing.
#[test]
fn ctrl_handler_ignores_extra_arguments() {
    let mut program = Program::spawn(
        Command::new(CTRL_HANDLER)
            .arg("extra")
            .env("TCPIP_SLEEP_SCALE", FAST),
    );
    program.wait_for_stdout(&NICE_DAY.repeat(3));
    let out = program.kill();
    assert!(
        out.stdout_text()
            .split_inclusive('\n')
            .all(|line| line == NICE_DAY || NICE_DAY.starts_with(line)),
        "{:?}",
        out.stdout_text()
    );
}

//! The harness keeps its promise: whatever a test starts is killed and
//! reaped, the grandchildren included, even when the test does not wait.

use std::time::Duration;

use harness::{Program, procfs};

/// Reads the grandchild's pid, which the shell prints first.
fn grandchild_pid(program: &mut Program) -> u32 {
    let text = program.wait_for_stdout("\n");
    text.trim().parse().expect("a pid on the first line")
}

/// Dropping a `Program` kills the process group and reaps every member: no
/// process, not even a zombie, is left of it.
#[test]
fn dropping_a_program_kills_and_reaps_its_whole_group() {
    let mut program = Program::start("sh", &["-c", "sleep 60 & echo $!; wait"]);
    let shell = program.pid();
    let sleeper = grandchild_pid(&mut program);
    assert!(procfs::stat(sleeper).is_some(), "the grandchild runs");
    assert_eq!(procfs::stat(sleeper).map(|s| s.pgrp), Some(shell));
    drop(program);
    assert_eq!(procfs::stat(shell), None, "the shell is reaped");
    assert_eq!(procfs::stat(sleeper), None, "the grandchild is reaped");
}

/// A grandchild whose parent exits comes to the test process (a child
/// subreaper), not to pid 1, and the guard reaps it.
#[test]
fn an_orphaned_grandchild_is_reaped_by_the_guard() {
    let mut program = Program::start("sh", &["-c", "sleep 0.2 & echo $!"]);
    let sleeper = grandchild_pid(&mut program);
    harness::wait_until("the shell has exited", || program.has_exited());
    let orphan = procfs::stat(sleeper).expect("the orphan is still there");
    assert_eq!(orphan.ppid, std::process::id(), "reparented to the test");
    std::thread::sleep(Duration::from_millis(300)); // it exits: a zombie of ours
    assert_eq!(program.wait_exit().code(), 0);
    assert_eq!(procfs::stat(sleeper), None, "the orphan is reaped");
}

/// `wait_exit` gives back exactly the bytes and the status.
#[test]
fn output_is_captured_byte_for_byte() {
    let out = harness::run(
        "sh",
        &["-c", "printf 'a \\377\\n'; printf err >&2; exit 3"],
        b"",
    );
    assert_eq!(out.stdout, b"a \xff\n");
    assert_eq!(out.stderr, b"err");
    assert_eq!(out.code(), 3);
}

//! What the Rust runtime does to fds 0, 1 and 2 (issue 9, item 8).
//!
//! The C programs teach "open returns the smallest free number": started
//! with stdin closed (`./fd_seri <&-`), the C fd_seri prints `0` for its
//! first socket. Rust's runtime, before `main`, reopens any of 0, 1, 2
//! that is closed on `/dev/null`, so the twins still print 3. Both facts
//! are shown here: the numbers the twins print, and the runtime's own
//! `openat("/dev/null") = 0`, traced with strace.

use std::os::unix::process::CommandExt;
use std::process::Command;

use harness::{Program, TempDir, strace};

const LOW_OPEN: &str = env!("CARGO_BIN_EXE_low_open");
const FD_SERI: &str = env!("CARGO_BIN_EXE_fd_seri");

/// Starts `command` in `dir` with its fd 0 closed, as `<&-` does.
fn start_with_stdin_closed(command: &mut Command, dir: &TempDir) -> Program {
    command.current_dir(dir.path());
    // SAFETY: runs in the forked child before exec; close(2) is
    // async-signal-safe and touches no memory.
    unsafe {
        command.pre_exec(|| {
            libc::close(0);
            Ok(())
        });
    }
    Program::spawn(command)
}

#[test]
fn with_stdin_closed_the_twins_still_start_at_fd_3() {
    let dir = TempDir::new("stdin_closed");
    let out =
        start_with_stdin_closed(&mut Command::new(FD_SERI), &dir).wait_exit();
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert_eq!(
        out.stdout_text(),
        "file descriptor 1: 3\nfile descriptor 2: 4\nfile descriptor 3: 5\n",
        "a C fd_seri would print 0 first: fd 0 is free there"
    );

    let out =
        start_with_stdin_closed(&mut Command::new(LOW_OPEN), &dir).wait_exit();
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert_eq!(out.stdout_text(), "file descriptor: 3 \n");
}

/// The reason, traced: before `main`, the runtime polls fds 0 to 2 and
/// opens `/dev/null`, which gets the free number 0.
#[test]
fn the_runtime_reopens_a_closed_stdin_on_dev_null() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("stdin_closed_strace");
    let trace = dir.file("trace");
    for program in [FD_SERI, LOW_OPEN] {
        let mut command = strace::command(&trace, &["openat"], program, &[]);
        let out = start_with_stdin_closed(&mut command, &dir).wait_exit();
        assert_eq!(out.code(), 0, "{}", out.stderr_text());
        let calls = strace::parse(&std::fs::read_to_string(&trace).unwrap());
        let dev_null = calls
            .iter()
            .find(|call| call.args.contains("\"/dev/null\""))
            .unwrap_or_else(|| panic!("{program}: no /dev/null: {calls:?}"));
        assert_eq!(dev_null.result_value(), Some(0), "{dev_null:?}");
        let first_file = calls
            .iter()
            .position(|call| {
                call.args.contains("\"test.dat\"")
                    || call.args.contains("\"data.txt\"")
            })
            .expect("the program's own file");
        let reopen = calls.iter().position(|call| call == dev_null).unwrap();
        assert!(reopen < first_file, "before main: {calls:?}");
    }
}

//! One error line is one `write(2)` (issue 9, item 4).
//!
//! `eprintln!("{}", line)` writes the text and its newline in separate
//! calls, so when many echo_mpserv children fail at once their lines
//! interleave on the shared stderr (`...(os error 104)write() error: ...`).
//! The twins build the whole line first and write it once.

use std::io::Write;
use std::net::TcpStream;
use std::process::Command;
use std::thread;
use std::time::Duration;

use harness::{Program, TempDir, strace};

const ECHO_MPSERV: &str = env!("CARGO_BIN_EXE_echo_mpserv");

/// How many clients fail at the same moment.
const CLIENTS: usize = 24;

/// Connects `CLIENTS` clients that send until every buffer on the way is
/// full and never read the echo: each child then waits in a blocked
/// write. The clients close with unread data, so their kernel answers
/// with RST, and every child's write fails (`Connection reset by peer`)
/// at about the same moment.
fn make_children_fail_together(port: u16) {
    let clients: Vec<TcpStream> =
        (0..CLIENTS).map(|_| harness::connect(port)).collect();
    let burst = vec![b'x'; 64 * 1024];
    for client in &clients {
        client.set_nonblocking(true).expect("nonblocking client");
    }
    for _ in 0..20 {
        for mut client in &clients {
            while client.write(&burst).is_ok() {} // until WouldBlock
        }
        thread::sleep(Duration::from_millis(10)); // the children echo
    }
    drop(clients); // close with unread data: RST
}

/// Is `line` one whole report of a child or of the parent?
fn is_whole_error_line(line: &str) -> bool {
    let known = ["read() error: ", "write() error: ", "accept() error: "];
    known.iter().any(|prefix| line.starts_with(prefix))
        && line.ends_with(')')
        && line.matches("(os error ").count() == 1
}

#[test]
fn many_children_failing_at_once_give_only_whole_lines() {
    let mut server = Program::start(ECHO_MPSERV, &["0"]);
    let port = server.tcp_port();
    make_children_fail_together(port);
    harness::wait_until("most children reported their error", || {
        let stderr = server.stderr_so_far();
        stderr.iter().filter(|&&b| b == b'\n').count() >= CLIENTS / 2
    });
    thread::sleep(Duration::from_millis(200)); // the last children finish
    let stderr = server.kill().stderr_text();
    for line in stderr.lines() {
        assert!(
            is_whole_error_line(line),
            "a line made of pieces: {line:?}\nall stderr:\n{stderr}"
        );
    }
    assert!(stderr.ends_with('\n'), "{stderr:?}");
}

/// The proof by system call: under `strace -f`, every `write(2, ...)` of
/// the server and its children carries exactly one line, newline included.
#[test]
fn every_error_line_is_a_single_write_to_stderr() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("whole_lines_strace");
    let trace = dir.file("trace");
    // strace::command shows 32 bytes of a buffer; a line needs more.
    let mut server = Program::spawn(
        Command::new("strace")
            .args(["-f", "-qq", "-s", "256", "-e", "trace=write", "-o"])
            .arg(&trace)
            .args([ECHO_MPSERV, "0"]),
    );
    let port = server.tcp_port();
    make_children_fail_together(port);
    harness::wait_until("a child reported its error", || {
        server.stderr_so_far().contains(&b'\n')
    });
    thread::sleep(Duration::from_millis(200));
    drop(server);
    let calls = strace::parse(&std::fs::read_to_string(&trace).unwrap());
    let to_stderr: Vec<_> = calls
        .iter()
        .filter(|call| call.name == "write" && call.fd_arg() == Some(2))
        .collect();
    assert!(!to_stderr.is_empty(), "no write to stderr traced");
    for call in to_stderr {
        // strace shows the buffer as a C string: "write() error: ...\n"
        let text = call.args.split_once(", \"").map_or("", |(_, t)| t);
        assert!(
            text.matches("\\n").count() == 1 && text.contains(")\\n\""),
            "one write must be one whole line: {call:?}"
        );
    }
}

//! tcp_serv and tcp_clnt (the answer to chapter 2, question 6): the
//! server sends 13 bytes in four writes (4, 4, 4, 1); the client, after
//! its busy wait of 100 lines, gets all 13 in one read. Four writes, one
//! read: TCP keeps no boundaries.
//!
//! The C client's busy wait is a race: the writes must all arrive while
//! it prints. These tests take the race out: the client's stdout is a
//! pipe the test has filled, so the client blocks on its first line, and
//! the test lets it go on only once the kernel shows all 13 bytes waiting
//! in the client's receive queue.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::process::{Command, Stdio};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use harness::bad_args;
use harness::{
    Program, TempDir, accept, connect, listener, read_to_end, strace,
};
use nix::fcntl::{FcntlArg, OFlag, fcntl};

const SERVER: &str = env!("CARGO_BIN_EXE_tcp_serv");
const CLIENT: &str = env!("CARGO_BIN_EXE_tcp_clnt");

/// What the C client prints: 100 `Wait time N ` lines, then the message.
fn transcript() -> String {
    let mut out: String =
        (0..100).map(|i| format!("Wait time {i} \n")).collect();
    out.push_str("Message from server: Hello World! \n");
    out
}

/// A pipe for a program's stdout, filled up so that its first write
/// blocks until [`HeldStdout::release`] starts reading.
struct HeldStdout {
    read_end: File,
    filler: usize,
}

fn held_stdout() -> (HeldStdout, Stdio) {
    let (read_end, write_end) =
        nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe2");
    let filler = fill(&write_end);
    let held = HeldStdout {
        read_end: File::from(read_end),
        filler,
    };
    (held, Stdio::from(write_end))
}

/// Writes into the pipe until it is full; returns how many bytes.
fn fill(write_end: &OwnedFd) -> usize {
    fcntl(write_end, FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).expect("fcntl");
    let mut filled = 0;
    let chunk = [b'#'; 4096];
    loop {
        match nix::unistd::write(write_end, &chunk) {
            Ok(n) => filled += n,
            Err(nix::errno::Errno::EAGAIN) => break,
            Err(err) => panic!("fill the pipe: {err}"),
        }
    }
    // Blocking again: the program's writes must wait, not fail.
    fcntl(write_end, FcntlArg::F_SETFL(OFlag::empty())).expect("fcntl");
    filled
}

impl HeldStdout {
    /// Lets the program write: reads the pipe to its end in a thread and
    /// returns what the program wrote (the filler taken off).
    fn release(mut self) -> JoinHandle<String> {
        thread::spawn(move || {
            let mut all = Vec::new();
            self.read_end.read_to_end(&mut all).expect("read the pipe");
            String::from_utf8_lossy(&all[self.filler..]).into_owned()
        })
    }
}

/// Starts tcp_clnt (or `command`) with its stdout held.
fn start_held(command: &mut Command) -> (Program, HeldStdout) {
    let (held, stdout) = held_stdout();
    let program = Program::spawn_with_stdout(command, Some(stdout));
    (program, held)
}

/// The bytes waiting, unread, in the receive queue of the TCP socket
/// whose remote port is `remote_port` (and local port not `remote_port`),
/// from `/proc/net/tcp`.
fn rx_queue_towards(remote_port: u16) -> Option<u64> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    table.lines().skip(1).find_map(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let port =
            |col: &str| u16::from_str_radix(col.rsplit(':').next()?, 16).ok();
        let local = port(cols.get(1)?)?;
        let remote = port(cols.get(2)?)?;
        if remote != remote_port || local == remote_port {
            return None;
        }
        let (_tx, rx) = cols.get(4)?.split_once(':')?;
        u64::from_str_radix(rx, 16).ok()
    })
}

/// Waits until the client's receive queue holds all 13 bytes. The kernel
/// counts a received FIN as one more (it takes a sequence number), so a
/// server that has already closed shows 14.
fn wait_for_13_bytes_queued(remote_port: u16) {
    harness::wait_until("13 bytes wait in the client's receive queue", || {
        matches!(rx_queue_towards(remote_port), Some(13 | 14))
    });
}

/// A peer that writes `Hell`, `o Wo`, `rld!` and the NUL as four
/// segments (TCP_NODELAY, a pause after each) while the client is held:
/// once all 13 bytes wait, the client's single read takes them all.
#[test]
fn four_writes_arrive_in_one_read() {
    let (listener, port) = listener();
    let (client, held) =
        start_held(Command::new(CLIENT).args(["127.0.0.1", &port.to_string()]));
    let mut peer = accept(&listener);
    peer.set_nodelay(true).unwrap();
    for piece in [&b"Hell"[..], b"o Wo", b"rld!", b"\0"] {
        peer.write_all(piece).unwrap();
        thread::sleep(Duration::from_millis(20));
    }
    wait_for_13_bytes_queued(port);
    let printed = held.release();
    let out = client.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(printed.join().unwrap(), transcript());
    drop(peer);
}

/// The server's four pieces, from a trace of its writes on the client's
/// socket: 4, 4, 4 and 1 bytes, in order; a client gets the 13 bytes.
#[test]
fn tcp_serv_writes_four_pieces() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("tcp_serv_strace");
    let trace_file = dir.file("server");
    let mut server = Program::spawn(&mut strace::command(
        &trace_file,
        &["accept", "accept4", "write"],
        SERVER,
        &["0"],
    ));
    let mut stream = connect(server.tcp_port());
    assert_eq!(read_to_end(&mut stream), b"Hello World!\0");
    assert_eq!(server.wait_exit().code(), 0);

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = strace::parse(&trace);
    let accepted = calls
        .iter()
        .position(|c| c.name == "accept")
        .unwrap_or_else(|| panic!("no accept in the trace:\n{trace}"));
    let clnt_sock = calls[accepted].result_value().unwrap() as i32;
    let writes: Vec<_> = calls[accepted..]
        .iter()
        .filter(|c| c.name == "write" && c.fd_arg() == Some(clnt_sock))
        .collect();
    let pieces: Vec<(&str, i64)> = writes
        .iter()
        .map(|c| {
            let text = c.args.split('"').nth(1).unwrap_or("");
            (text, c.result_value().unwrap())
        })
        .collect();
    assert_eq!(
        pieces,
        [("Hell", 4), ("o Wo", 4), ("rld!", 4), ("\\0", 1)],
        "trace:\n{trace}"
    );
}

/// Both twins under strace: four writes on the server's side, and on the
/// client's side exactly one read of its socket, asking for 30 bytes and
/// getting 13.
#[test]
fn four_writes_one_read_in_the_traces() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("tcp_q6_strace");
    let (server_trace, client_trace) = (dir.file("server"), dir.file("client"));
    let calls = ["socket", "accept", "accept4", "read", "write"];
    let mut server = Program::spawn(&mut strace::command(
        &server_trace,
        &calls,
        SERVER,
        &["0"],
    ));
    let port = server.tcp_port();
    let (client, held) = start_held(&mut strace::command(
        &client_trace,
        &calls,
        CLIENT,
        &["127.0.0.1", &port.to_string()],
    ));
    assert_eq!(server.wait_exit().code(), 0);
    wait_for_13_bytes_queued(port);
    let printed = held.release();
    let out = client.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(printed.join().unwrap(), transcript());

    let server_calls =
        strace::parse(&std::fs::read_to_string(&server_trace).unwrap());
    let clnt_sock = server_calls
        .iter()
        .find(|c| c.name == "accept")
        .and_then(|c| c.result_value())
        .expect("the server's accept") as i32;
    let sizes: Vec<i64> = server_calls
        .iter()
        .filter(|c| c.name == "write" && c.fd_arg() == Some(clnt_sock))
        .filter_map(|c| c.result_value())
        .collect();
    assert_eq!(sizes, [4, 4, 4, 1]);

    let trace = std::fs::read_to_string(&client_trace).unwrap();
    let calls = strace::parse(&trace);
    // From the socket on: the loader's reads of libraries come before.
    let start = calls
        .iter()
        .position(|c| c.name == "socket" && c.args.starts_with("AF_INET"))
        .unwrap_or_else(|| panic!("no socket(AF_INET...):\n{trace}"));
    let sock = calls[start].result_value().unwrap() as i32;
    let reads: Vec<_> = calls[start..]
        .iter()
        .filter(|c| c.name == "read" && c.fd_arg() == Some(sock))
        .collect();
    assert_eq!(reads.len(), 1, "client trace:\n{trace}");
    assert!(reads[0].args.ends_with(", 30"), "{:?}", reads[0]);
    assert_eq!(reads[0].result_value(), Some(13), "{:?}", reads[0]);
}

/// No argument, too many, port `abc` or `70000`, IP `1.2.3.256`: the
/// usage line or a clear error, exit 1, no panic.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    bad_args::assert_server_args_checked(SERVER);
    bad_args::assert_client_args_checked(CLIENT);
}

/// Nobody listening: the C message, then the OS reason.
#[test]
fn tcp_clnt_reports_a_refused_connection() {
    bad_args::assert_connect_refused(CLIENT, "connect() error!");
}

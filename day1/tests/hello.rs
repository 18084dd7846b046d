//! hello_server and hello_client: the four steps of a server socket, and
//! the 13 bytes (NUL included) that travel between the two programs.

use std::io::Write;

use harness::bad_args;
use harness::{
    Program, TempDir, accept, connect, listener, read_to_end, run, strace,
};

const SERVER: &str = env!("CARGO_BIN_EXE_hello_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_hello_client");

/// The C server sends `sizeof(message)`: 12 letters and the NUL.
#[test]
fn hello_server_sends_13_bytes_with_the_nul() {
    let mut server = Program::start(SERVER, &["0"]);
    let mut stream = connect(server.tcp_port());
    assert_eq!(read_to_end(&mut stream), b"Hello World!\0");
    let out = server.wait_exit();
    assert_eq!(out.code(), 0);
    assert_eq!(out.stdout_text(), "");
}

/// The client prints what the C client prints for the C server's reply.
#[test]
fn hello_client_prints_the_reply_up_to_the_nul() {
    let (listener, port) = listener();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    // Play the C server: one write of 13 bytes, the NUL included.
    accept(&listener).write_all(b"Hello World!\0").unwrap();
    let out = client.wait_exit();
    assert_eq!(out.stdout_text(), "Message from server: Hello World! \n");
    assert_eq!(out.code(), 0);
}

/// The two Rust programs talk to each other as the two C programs do.
#[test]
fn hello_client_and_server_talk() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port().to_string();
    let out = run(CLIENT, &["127.0.0.1", &port], b"");
    assert_eq!(out.stdout_text(), "Message from server: Hello World! \n");
    assert_eq!(server.wait_exit().code(), 0);
}

/// A server that sends no NUL: the twin prints what it read (the C one
/// would read past its buffer).
#[test]
fn hello_client_prints_a_reply_without_nul() {
    let (listener, port) = listener();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    accept(&listener).write_all(b"Hi").unwrap();
    assert_eq!(
        client.wait_exit().stdout_text(),
        "Message from server: Hi \n"
    );
}

/// ONE read, as in C: a peer that sends `Hello` and then keeps the
/// connection open gets `Hello` printed at once. A client that read on
/// (to the NUL, or to end of stream) would still be waiting.
#[test]
fn hello_client_prints_what_one_read_returns() {
    let (listener, port) = listener();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let mut peer = accept(&listener);
    peer.write_all(b"Hello").unwrap();
    let out = client.wait_exit(); // the peer is still connected here
    assert_eq!(out.stdout_text(), "Message from server: Hello \n");
    assert_eq!(out.code(), 0);
    drop(peer);
}

/// `read(sock, message, sizeof(message)-1)`: at most 29 bytes, whatever
/// the peer sent; the rest is never read.
#[test]
fn hello_client_reads_at_most_29_bytes() {
    let (listener, port) = listener();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let long = b"0123456789abcdefghijklmnopqrstuvwxyz"; // 36 bytes, no NUL
    let mut peer = accept(&listener);
    peer.write_all(long).unwrap();
    let out = client.wait_exit();
    let mut expected = b"Message from server: ".to_vec();
    expected.extend_from_slice(&long[..29]);
    expected.extend_from_slice(b" \n");
    assert_eq!(out.stdout, expected, "{}", out.stdout_text());
    assert_eq!(out.code(), 0);
    drop(peer);
}

/// socket → bind → listen → accept → write → close: the order of the
/// notes' 소켓, 바인드, 리슨, 엑셉트, read from a real system-call trace.
#[test]
fn hello_server_calls_socket_bind_listen_accept_write_close() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("hello_strace");
    let trace_file = dir.file("trace");
    let calls = [
        "socket", "bind", "listen", "accept", "accept4", "write", "close",
    ];
    let mut server = Program::spawn(&mut strace::command(
        &trace_file,
        &calls,
        SERVER,
        &["0"],
    ));
    let mut stream = connect(server.tcp_port());
    assert_eq!(read_to_end(&mut stream), b"Hello World!\0");
    assert_eq!(server.wait_exit().code(), 0);

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = strace::parse(&trace);
    // Start at the server socket: the Rust runtime's own start-up calls
    // (closing and checking fds 0-2) come before it and are not the lesson.
    let start = calls
        .iter()
        .position(|c| c.name == "socket" && c.args.starts_with("AF_INET"))
        .unwrap_or_else(|| {
            panic!("no socket(AF_INET...) in the trace:\n{trace}")
        });
    let serv_sock = calls[start].result_value().unwrap();
    let after: Vec<_> = calls[start..].iter().collect();
    let names: Vec<&str> = after.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "socket", "bind", "listen", "accept", "write", "close", "close"
        ],
        "trace:\n{trace}"
    );
    // bind, listen and accept act on the listening socket...
    for call in &after[1..4] {
        assert_eq!(call.fd_arg(), Some(serv_sock as i32), "{call:?}");
    }
    // ...write goes to the socket accept returned, which is closed first.
    let clnt_sock = after[3].result_value().unwrap() as i32;
    assert_ne!(clnt_sock as i64, serv_sock);
    assert_eq!(after[4].fd_arg(), Some(clnt_sock));
    assert!(after[4].args.contains("Hello World!\\0"), "{:?}", after[4]);
    assert_eq!(after[5].fd_arg(), Some(clnt_sock));
    assert_eq!(after[6].fd_arg(), Some(serv_sock as i32));
}

#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    bad_args::assert_server_args_checked(SERVER);
    bad_args::assert_client_args_checked(CLIENT);
}

/// Nobody listening: the C message, then the OS reason.
#[test]
fn hello_client_reports_a_refused_connection() {
    bad_args::assert_connect_refused(CLIENT, "connect() error!");
}

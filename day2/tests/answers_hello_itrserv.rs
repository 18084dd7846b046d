//! hello_itrserv (the answer to chapter 4, question 7): hello_server made
//! iterative. It serves clients one after another and stays up.

use std::time::Duration;

use harness::bad_args;
use harness::{Program, TempDir, connect, read_to_end, strace};

const SERVER: &str = env!("CARGO_BIN_EXE_hello_itrserv");

/// The C's `char message[]="Hello World!"`, sent with `sizeof`.
const HELLO: &[u8] = b"Hello World!\0";

/// Three clients connect at once (the backlog holds them); each one gets
/// the whole 13 bytes and then end of stream, and the server is still
/// running after the third: where hello_server would have served one.
#[test]
fn hello_itrserv_serves_clients_one_after_another() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port();
    let mut clients: Vec<_> = (0..3).map(|_| connect(port)).collect();
    for (i, client) in clients.iter_mut().enumerate() {
        assert_eq!(read_to_end(client), HELLO, "client {}", i + 1);
    }
    // And a fourth, later: the loop is back in accept.
    let mut late = connect(port);
    assert_eq!(read_to_end(&mut late), HELLO, "the fourth client");
    assert!(!server.has_exited(), "the server ended after four clients");
    let out = server.kill();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(out.stderr_text(), "");
}

/// A client that resets its connection before the server writes: the
/// server may see the `write` fail (the C would die of SIGPIPE), and goes
/// on to serve the next client either way.
#[test]
fn hello_itrserv_survives_a_client_that_resets() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port();
    let resetting = socket2::Socket::from(connect(port));
    // SO_LINGER with a zero timeout: close sends RST, not FIN.
    resetting.set_linger(Some(Duration::ZERO)).unwrap();
    drop(resetting);
    let mut next = connect(port);
    assert_eq!(read_to_end(&mut next), HELLO);
    assert!(!server.has_exited(), "a reset client ended the server");
    let out = server.kill();
    assert_eq!(out.stdout_text(), "");
    assert!(!out.stderr_text().contains("panicked"), "{out:?}");
}

/// The loop, from a real system-call trace: after `listen`, each client
/// is `accept`, `write` of 13 bytes on the new socket, `close` of that
/// socket; then `accept` again. The listening socket is never closed.
#[test]
fn each_turn_is_accept_write_close() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("hello_itrserv_strace");
    let trace_file = dir.file("trace");
    let calls = ["socket", "listen", "accept", "accept4", "write", "close"];
    let mut server = Program::spawn(&mut strace::command(
        &trace_file,
        &calls,
        SERVER,
        &["0"],
    ));
    let port = server.tcp_port();
    for _ in 0..3 {
        let mut client = connect(port);
        assert_eq!(read_to_end(&mut client), HELLO);
    }
    // The calls from `listen` on (the loader's closes come before it).
    let from_listen = || {
        let trace = std::fs::read_to_string(&trace_file).unwrap_or_default();
        let calls = strace::parse(&trace);
        let start = calls.iter().position(|c| c.name == "listen");
        start.map(|at| calls[at..].to_vec()).unwrap_or_default()
    };
    // The third turn's close may still be on its way into the trace file.
    harness::wait_until("the third turn's close is traced", || {
        from_listen().iter().filter(|c| c.name == "close").count() >= 3
    });
    drop(server.kill());

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = from_listen();
    let serv_sock = calls[0].fd_arg().unwrap(); // listen(serv_sock, 5)
    let after = &calls[1..];
    let names: Vec<&str> = after.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        &names[..9],
        [
            "accept", "write", "close", "accept", "write", "close", "accept",
            "write", "close"
        ],
        "trace:\n{trace}"
    );
    for turn in after[..9].chunks(3) {
        assert_eq!(turn[0].fd_arg(), Some(serv_sock), "{turn:?}");
        let clnt_sock = turn[0].result_value().unwrap() as i32;
        assert_eq!(turn[1].fd_arg(), Some(clnt_sock), "{turn:?}");
        assert_eq!(turn[1].result_value(), Some(13), "{turn:?}");
        assert_eq!(turn[2].fd_arg(), Some(clnt_sock), "{turn:?}");
    }
}

/// No argument, too many, port `abc` or `70000`: the usage line or a
/// clear error, exit 1, no panic.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    bad_args::assert_server_args_checked(SERVER);
}

/// A port already taken: `bind() error` with the OS reason, exit 1.
#[test]
fn a_taken_port_is_a_bind_error() {
    let (_held, port) = harness::listener();
    let out = harness::run(SERVER, &[&port.to_string()], b"");
    out.assert_clean_failure();
    assert_eq!(
        out.stderr_text(),
        "bind() error: Address already in use (os error 98)\n"
    );
}

//! reuseadr_eserver: the side that closes first keeps the connection in
//! TIME_WAIT; while it waits, a server without SO_REUSEADDR cannot bind
//! that port again, and a server with SO_REUSEADDR can.
//!
//! Every port here comes from a first server started with port 0 (the
//! kernel picks a free one); the restarts then reuse it. Each TIME_WAIT
//! the tests leave lasts about 60 s on a port no other test asked for, so
//! the tests pass twice in a row and side by side.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;

use harness::procfs::{Proto, TCP_TIME_WAIT, sockets};
use harness::{
    Output, Program, connect, read_exact, read_to_end, run, wait_until,
};

const SERVER: &str = env!("CARGO_BIN_EXE_reuseadr_eserver");

/// Is there a TIME_WAIT socket whose *local* port is `port` (the server's
/// side of a connection: the side that closed first)?
fn server_side_in_time_wait(port: u16) -> bool {
    sockets(Proto::Tcp)
        .iter()
        .any(|s| s.local_port == port && s.state == TCP_TIME_WAIT)
}

/// Starts the server on port 0 (with `switch`, if any), connects a client,
/// echoes one piece, then interrupts the server (Ctrl+C, SIGINT) while the
/// client is still connected: the server closes first. The client reads
/// the end of the stream and closes. Returns the port, now held by the
/// server's old connection in TIME_WAIT.
fn server_closes_first(switch: &[&str]) -> u16 {
    let mut server = Program::start(SERVER, &[&["0"], switch].concat());
    let port = server.tcp_port();
    let mut client = connect(port);
    client.write_all(b"hello").unwrap();
    assert_eq!(read_exact(&mut client, 5), b"hello");
    server.wait_for_stdout("hello");

    server.signal(libc::SIGINT);
    let out = server.wait_exit();
    assert_eq!(out.status.signal(), Some(libc::SIGINT), "{out:?}");

    // The server's FIN: the client reads the end of the stream, then
    // closes its side too.
    assert_eq!(read_to_end(&mut client), b"");
    drop(client);
    wait_until("the server's old connection is in TIME_WAIT", || {
        server_side_in_time_wait(port)
    });
    port
}

/// The restart failed as the C program fails: `bind() error ` (trailing
/// space), the OS reason EADDRINUSE, exit 1, nothing on stdout.
fn assert_bind_error(out: &Output) {
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(
        out.stderr_text(),
        "bind() error : Address already in use (os error 98)\n"
    );
}

/// Each piece goes back to the client and, raw, to stdout (NUL and
/// non-UTF-8 bytes included, more than one 30-byte read); the server
/// exits 0 when the client closes.
#[test]
fn reuseadr_eserver_echoes_to_the_client_and_to_stdout() {
    let mut server = Program::start(SERVER, &["0"]);
    let mut client = connect(server.tcp_port());
    let message: Vec<u8> =
        (0..100u8).map(|i| i.wrapping_mul(37) ^ 0x80).collect();
    client.write_all(&message).unwrap();
    assert_eq!(read_exact(&mut client, message.len()), message);
    drop(client);
    let out = server.wait_exit();
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert_eq!(out.stdout, message);
}

/// The notes: stop the server first and a restart on the same port fails
/// with `bind() error` while the old connection waits in TIME_WAIT.
#[test]
fn server_closing_first_leaves_time_wait_and_the_restart_fails() {
    let port = server_closes_first(&[]);
    let out = run(SERVER, &[&port.to_string()], b"");
    assert_bind_error(&out);
    assert!(server_side_in_time_wait(port));
}

/// With `--reuseaddr` (the C program's commented-out setsockopt) the
/// restart binds the port at once, over the TIME_WAIT of the last run
/// with the same switch; without the switch it still fails.
#[test]
fn reuseaddr_server_restarts_at_once_over_time_wait() {
    let port = server_closes_first(&["--reuseaddr"]);
    assert_bind_error(&run(SERVER, &[&port.to_string()], b""));

    let mut restarted =
        Program::start(SERVER, &[&port.to_string(), "--reuseaddr"]);
    assert_eq!(restarted.tcp_port(), port);
    assert!(server_side_in_time_wait(port), "TIME_WAIT is still there");
    // It is a working server: echo one piece, the client closes first.
    let mut client = connect(port);
    client.write_all(b"again").unwrap();
    assert_eq!(read_exact(&mut client, 5), b"again");
    drop(client);
    let out = restarted.wait_exit();
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert_eq!(out.stdout, b"again");
}

/// Linux frees a TIME_WAIT port only when both sockets have SO_REUSEADDR:
/// the old connection keeps the option of the server that accepted it
/// (`sk_reuse`, checked in the kernel's `inet_bind_conflict`). A TIME_WAIT
/// left by a run *without* the switch blocks a restart *with* it.
#[test]
fn time_wait_of_a_server_without_reuseaddr_blocks_even_reuseaddr() {
    let port = server_closes_first(&[]);
    let out = run(SERVER, &[&port.to_string(), "--reuseaddr"], b"");
    assert_bind_error(&out);
}

/// The notes: stop the client first and the server restarts at once. The
/// TIME_WAIT is then on the client's side (its own port), not on the
/// server's port.
#[test]
fn client_closing_first_lets_the_server_restart_at_once() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port();
    let mut client = connect(port);
    let client_port = client.local_addr().unwrap().port();
    client.write_all(b"bye").unwrap();
    assert_eq!(read_exact(&mut client, 3), b"bye");
    drop(client);
    assert_eq!(server.wait_exit().code(), 0);

    wait_until("the client's side is in TIME_WAIT", || {
        sockets(Proto::Tcp)
            .iter()
            .any(|s| s.local_port == client_port && s.state == TCP_TIME_WAIT)
    });
    assert!(!server_side_in_time_wait(port));
    let mut restarted = Program::start(SERVER, &[&port.to_string()]);
    assert_eq!(restarted.tcp_port(), port);
    restarted.kill(); // only listening: closing it leaves no TIME_WAIT
}

#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    let usage = format!("Usage : {SERVER} <port> [--reuseaddr]\n");
    for args in [
        &[][..],
        &["9190", "--reuse"][..],
        &["9190", "--reuseaddr", "x"][..],
        &["--reuseaddr", "9190"][..],
    ] {
        let out = run(SERVER, args, b"");
        out.assert_clean_failure();
        assert_eq!(out.stdout_text(), usage, "{args:?}");
    }
    for port in ["abc", "70000", "--reuseaddr"] {
        let out = run(SERVER, &[port], b"");
        out.assert_clean_failure();
        assert_eq!(out.stdout_text(), "");
        assert_eq!(
            out.stderr_text(),
            format!(
                "bad <port> argument \"{port}\": expected a number from 0 to 65535\n"
            )
        );
    }
}

//! echo_server, echo_client and echo_client2: the iterative server serves
//! one client at a time, five in all; one `read` may return part of a
//! reply (echo_client's flaw), reading until all bytes came fixes it
//! (echo_client2); bytes stay bytes.

use std::io::{ErrorKind, Read, Write};
use std::time::Duration;

use harness::bad_args;
use harness::{
    Program, TIMEOUT, accept, connect, listener, read_exact, run, strace,
};

const SERVER: &str = env!("CARGO_BIN_EXE_echo_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_echo_client");
const CLIENT2: &str = env!("CARGO_BIN_EXE_echo_client2");

const CONNECTED: &str = "Connected...........\n";
const PROMPT: &str = "Input message(Q to quit): ";

/// The client's whole transcript: the connect line, then for each reply a
/// prompt and `Message from server: <reply>`, then the last prompt.
fn transcript(replies: &[&[u8]]) -> Vec<u8> {
    let mut out = CONNECTED.as_bytes().to_vec();
    for reply in replies {
        out.extend_from_slice(PROMPT.as_bytes());
        out.extend_from_slice(b"Message from server: ");
        out.extend_from_slice(reply);
    }
    out.extend_from_slice(PROMPT.as_bytes());
    out
}

/// The iterative server: a second client is connected (the backlog holds
/// it) but gets no echo until the first one leaves.
#[test]
fn echo_server_serves_clients_one_after_another() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port();
    let mut first = connect(port);
    first.write_all(b"first\n").unwrap();
    assert_eq!(read_exact(&mut first, 6), b"first\n");
    server.wait_for_stdout("Connected client 1 \n");

    // The second connect succeeds at once: the kernel completes it and
    // keeps it in listen()'s backlog until the server calls accept again.
    let mut second = connect(port);
    second.write_all(b"second\n").unwrap();
    second
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut buf = [0u8; 16];
    match second.read(&mut buf) {
        Err(err)
            if matches!(
                err.kind(),
                ErrorKind::WouldBlock | ErrorKind::TimedOut
            ) => {}
        other => panic!(
            "the second client got {other:?} while the first was still served"
        ),
    }
    // The first client is still the one being served.
    first.write_all(b"again\n").unwrap();
    assert_eq!(read_exact(&mut first, 6), b"again\n");
    assert_eq!(server.stdout_so_far(), b"Connected client 1 \n");

    // The first leaves: now, and only now, the second gets its echo.
    drop(first);
    second.set_read_timeout(Some(TIMEOUT)).unwrap();
    assert_eq!(read_exact(&mut second, 7), b"second\n");
    server.wait_for_stdout("Connected client 2 \n");
}

/// Five clients, one after another, then the server exits 0 with
/// exactly the C program's five lines (a space before each newline).
#[test]
fn echo_server_exits_after_five_clients() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port();
    for i in 1..=5 {
        let mut client = connect(port);
        let line = format!("client {i}\n");
        client.write_all(line.as_bytes()).unwrap();
        assert_eq!(read_exact(&mut client, line.len()), line.as_bytes());
    }
    let out = server.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(
        out.stdout_text(),
        "Connected client 1 \nConnected client 2 \nConnected client 3 \n\
         Connected client 4 \nConnected client 5 \n"
    );
}

/// Bytes stay bytes: a non-UTF-8 message and a 5000-byte message (more
/// than BUF_SIZE, so several reads and writes) come back unchanged.
#[test]
fn echo_server_echoes_any_bytes_unchanged() {
    let mut server = Program::start(SERVER, &["0"]);
    let mut client = connect(server.tcp_port());
    let odd = b"\xff\xfe\x00caf\xc3\n\x80";
    client.write_all(odd).unwrap();
    assert_eq!(read_exact(&mut client, odd.len()), odd);
    let big: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
    client.write_all(&big).unwrap();
    assert_eq!(read_exact(&mut client, big.len()), big);
}

/// A client that resets its connection (RST instead of FIN): the server's
/// `read` fails, it says so on stderr and serves the next client. The C
/// loop tests only `!= 0`, so it would spin on `read` returning -1.
#[test]
fn echo_server_survives_a_client_that_resets() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port();
    let resetting = socket2::Socket::from(connect(port));
    server.wait_for_stdout("Connected client 1 \n");
    // SO_LINGER with a zero timeout: close sends RST, not FIN.
    resetting.set_linger(Some(Duration::ZERO)).unwrap();
    drop(resetting);

    let mut next = connect(port);
    next.write_all(b"next\n").unwrap();
    assert_eq!(read_exact(&mut next, 5), b"next\n");
    server.wait_for_stdout("Connected client 2 \n");
    harness::wait_until("the server reports client 1", || {
        server.stderr_so_far().ends_with(b"\n")
    });
    assert_eq!(
        String::from_utf8_lossy(&server.stderr_so_far()),
        "client 1: read() error: Connection reset by peer (os error 104)\n"
    );
}

/// Per client, the system calls come as accept → read/write … → close,
/// five times: the iterative server's timeline, from a real trace.
#[test]
fn echo_server_calls_accept_read_write_close_per_client() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = harness::TempDir::new("echo_strace");
    let trace_file = dir.file("trace");
    let calls = ["socket", "accept", "accept4", "read", "write", "close"];
    let mut server = Program::spawn(&mut strace::command(
        &trace_file,
        &calls,
        SERVER,
        &["0"],
    ));
    let port = server.tcp_port();
    for i in 1..=5 {
        let mut client = connect(port);
        let line = format!("message {i}\n");
        client.write_all(line.as_bytes()).unwrap();
        assert_eq!(read_exact(&mut client, line.len()), line.as_bytes());
    }
    assert_eq!(server.wait_exit().code(), 0);

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = strace::parse(&trace);
    let start = calls
        .iter()
        .position(|c| c.name == "socket" && c.args.starts_with("AF_INET"))
        .unwrap_or_else(|| {
            panic!("no socket(AF_INET...) in the trace:\n{trace}")
        });
    let serv_sock = calls[start].result_value().unwrap() as i32;
    // Leave out the writes of "Connected client N" to stdout (fd 1).
    let after: Vec<_> = calls[start + 1..]
        .iter()
        .filter(|c| c.fd_arg() != Some(1))
        .collect();
    let names: Vec<&str> = after.iter().map(|c| c.name.as_str()).collect();
    let one_client = ["accept", "read", "write", "read", "close"];
    let mut expected: Vec<&str> = one_client.repeat(5);
    expected.push("close");
    assert_eq!(names, expected, "trace:\n{trace}");
    for (i, turn) in after.chunks(5).take(5).enumerate() {
        let line = format!("message {}\\n", i + 1);
        assert_eq!(turn[0].fd_arg(), Some(serv_sock), "{:?}", turn[0]);
        let clnt_sock = turn[0].result_value().unwrap() as i32;
        for call in &turn[1..] {
            assert_eq!(call.fd_arg(), Some(clnt_sock), "{call:?}");
        }
        assert!(turn[1].args.contains(&line), "{:?}", turn[1]);
        assert!(turn[2].args.contains(&line), "{:?}", turn[2]);
        assert_eq!(turn[3].result_value(), Some(0), "EOF: {:?}", turn[3]);
    }
    assert_eq!(after[25].fd_arg(), Some(serv_sock));
}

/// A peer that answers in two pieces: echo_client's one `read` returns
/// only the first piece, and that is all it prints as the reply; the rest
/// then comes out as the "reply" to the next line.
#[test]
fn echo_client_reads_once_and_shows_a_truncated_reply() {
    let (listener, port) = listener();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"hello world\nhi\nQ\n");
    let mut peer = accept(&listener);
    assert_eq!(read_exact(&mut peer, 12), b"hello world\n");
    peer.write_all(b"hello ").unwrap();
    // The client took "hello " as the whole reply: it has already sent the
    // next line, before the rest of the first reply is even on its way.
    assert_eq!(read_exact(&mut peer, 3), b"hi\n");
    peer.write_all(b"world\n").unwrap();
    let out = client.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(out.stdout, transcript(&[b"hello ", b"world\n"]));
}

/// The same peer: echo_client2 reads until it has the 12 bytes it sent.
#[test]
fn echo_client2_reads_until_it_has_the_whole_reply() {
    let (listener, port) = listener();
    let mut client = Program::start(CLIENT2, &["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"hello world\nQ\n");
    let mut peer = accept(&listener);
    assert_eq!(read_exact(&mut peer, 12), b"hello world\n");
    peer.write_all(b"hello ").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let so_far = String::from_utf8_lossy(&client.stdout_so_far()).into_owned();
    assert!(
        !so_far.contains("Message from server"),
        "echo_client2 printed a partial reply: {so_far:?}"
    );
    peer.write_all(b"world\n").unwrap();
    let out = client.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(out.stdout, transcript(&[b"hello world\n"]));
}

/// A server that closes before the whole echo came back: a clear error
/// and exit 1, not the C program's endless loop on `read` returning 0.
#[test]
fn echo_client2_reports_a_server_that_closes_early() {
    let (listener, port) = listener();
    let mut client = Program::start(CLIENT2, &["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"hello world\n");
    let mut peer = accept(&listener);
    assert_eq!(read_exact(&mut peer, 12), b"hello world\n");
    peer.write_all(b"hel").unwrap();
    drop(peer);
    let out = client.wait_exit();
    out.assert_clean_failure();
    assert_eq!(
        out.stderr_text(),
        "read() error!: the server closed the connection after 3 of 12 bytes\n"
    );
}

/// Both clients against echo_server: the exact transcript; only `q\n`
/// or `Q\n` quits (`quit`, ` Q` and `Qx` are echoed), and non-UTF-8
/// bytes come back as they went.
#[test]
fn echo_clients_talk_to_echo_server_and_quit_on_q() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port().to_string();
    let input = b"Hello\nquit\n Q\nQx\n\xff\xfe\nq\nnot sent\n";
    let replies: [&[u8]; 5] =
        [b"Hello\n", b"quit\n", b" Q\n", b"Qx\n", b"\xff\xfe\n"];
    for client in [CLIENT, CLIENT2] {
        let out = run(client, &["127.0.0.1", &port], input);
        assert_eq!(out.code(), 0, "{client}: {}", out.stderr_text());
        assert_eq!(out.stdout, transcript(&replies), "{client}");
    }
    let input = b"second\nQ\n";
    let out = run(CLIENT, &["127.0.0.1", &port], input);
    assert_eq!(out.stdout, transcript(&[b"second\n"]));
    // The server saw three clients, one after another.
    server.wait_for_stdout("Connected client 3 \n");
}

/// End of input quits like Q (the C clients would loop forever), also in
/// the middle of a last line without a newline.
#[test]
fn echo_clients_quit_at_end_of_input() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port().to_string();
    for client in [CLIENT, CLIENT2] {
        let out = run(client, &["127.0.0.1", &port], b"");
        assert_eq!(out.code(), 0);
        assert_eq!(out.stdout, transcript(&[]));
        let out = run(client, &["127.0.0.1", &port], b"one\nlast");
        assert_eq!(out.code(), 0);
        assert_eq!(out.stdout, transcript(&[b"one\n", b"last"]));
    }
}

/// A 5000-byte line goes as `fgets` cuts it (1023 bytes at a time, BUF_SIZE
/// 1024) and every piece comes back whole through echo_client2.
#[test]
fn echo_client2_echoes_a_5000_byte_line() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port().to_string();
    let mut line: Vec<u8> =
        (0..5000u32).map(|i| b'a' + (i % 26) as u8).collect();
    line.push(b'\n');
    let out = run(CLIENT2, &["127.0.0.1", &port], &line);
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    let pieces: Vec<&[u8]> = line.chunks(1023).collect();
    assert_eq!(pieces.len(), 5);
    assert_eq!(out.stdout, transcript(&pieces));
}

/// Nobody listening: `connect() error!` and the OS reason, exit 1.
#[test]
fn echo_clients_report_a_refused_connection() {
    bad_args::assert_connect_refused(CLIENT, "connect() error!");
    bad_args::assert_connect_refused(CLIENT2, "connect() error!");
}

/// Wrong argument count: the C usage line on stdout; a bad port or
/// address: a clear error naming it. Always exit 1, never a panic.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    bad_args::assert_server_args_checked(SERVER);
    bad_args::assert_client_args_checked(CLIENT);
    bad_args::assert_client_args_checked(CLIENT2);
}

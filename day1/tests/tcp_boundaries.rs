//! tcp_server and tcp_client: TCP has no message boundaries. One write of
//! 13 bytes is read as 13 one-byte reads (and a 14th read that returns 0,
//! end of stream), and several writes read the same as one.

use std::io::Write;
use std::time::Duration;

use harness::bad_args;
use harness::{
    Program, TempDir, accept, connect, listener, read_to_end, run, strace,
};

const SERVER: &str = env!("CARGO_BIN_EXE_tcp_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_tcp_client");

/// What the C client prints for the C server: LESSONS.md, with the space
/// before each newline.
const TRANSCRIPT: &str =
    "Message from server: Hello World! \nFunction read call count: 13 \n";

/// tcp_server is hello_server: one client gets `Hello World!` and its NUL.
#[test]
fn tcp_server_sends_13_bytes_with_the_nul() {
    let mut server = Program::start(SERVER, &["0"]);
    let mut stream = connect(server.tcp_port());
    assert_eq!(read_to_end(&mut stream), b"Hello World!\0");
    let out = server.wait_exit();
    assert_eq!(out.code(), 0);
    assert_eq!(out.stdout_text(), "");
}

/// A peer that writes 13 bytes at once: the client reads them one byte
/// per read and counts 13 reads, the C client's transcript.
#[test]
fn tcp_has_no_message_boundaries() {
    let (listener, port) = listener();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let mut peer = accept(&listener);
    peer.write_all(b"Hello World!\0").unwrap(); // one write(2)
    drop(peer); // close: the client's 14th read returns 0
    let out = client.wait_exit();
    assert_eq!(out.stdout_text(), TRANSCRIPT);
    assert_eq!(out.code(), 0);
}

/// The reverse: a peer that writes the same 13 bytes in four pieces, with
/// pauses between them. The client cannot tell: same text, same count.
#[test]
fn several_writes_read_the_same_as_one() {
    let (listener, port) = listener();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let mut peer = accept(&listener);
    for piece in [&b"Hel"[..], b"lo W", b"orld", b"!\0"] {
        peer.write_all(piece).unwrap();
        peer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(peer);
    let out = client.wait_exit();
    assert_eq!(out.stdout_text(), TRANSCRIPT);
    assert_eq!(out.code(), 0);
}

/// The C client reads into `char message[30]`: a longer reply would
/// overrun it. The twin keeps the bound: it keeps the first 30 bytes and
/// still reads and counts every byte past them, so a peer that keeps
/// sending costs it no memory. Here 4000 bytes without a NUL: the first
/// 30 are printed, 4000 reads are counted.
#[test]
fn a_reply_longer_than_the_c_buffer_keeps_only_its_first_30_bytes() {
    let (listener, port) = listener();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let mut peer = accept(&listener);
    let reply: Vec<u8> = (0..4000u32).map(|i| b'a' + (i % 26) as u8).collect();
    peer.write_all(&reply).unwrap();
    drop(peer);
    let out = client.wait_exit();
    let first_30 = String::from_utf8_lossy(&reply[..30]);
    assert_eq!(
        out.stdout_text(),
        format!(
            "Message from server: {first_30} \n\
             Function read call count: 4000 \n"
        )
    );
    assert_eq!(out.code(), 0);
}

/// The two Rust programs talk as the two C programs do.
#[test]
fn tcp_client_and_server_talk() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port().to_string();
    let out = run(CLIENT, &["127.0.0.1", &port], b"");
    assert_eq!(out.stdout_text(), TRANSCRIPT);
    assert_eq!(out.code(), 0);
    assert_eq!(server.wait_exit().code(), 0);
}

/// From a real system-call trace of both programs: the server makes ONE
/// write of 13 bytes on the client's socket, and the client makes 14
/// reads on its socket: 13 that return one byte each, then one that
/// returns 0 (end of stream).
#[test]
fn server_writes_once_and_client_reads_fourteen_times() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("tcp_boundaries_strace");
    let (server_trace, client_trace) = (dir.file("server"), dir.file("client"));
    let calls = [
        "socket", "bind", "listen", "accept", "accept4", "connect", "read",
        "write", "close",
    ];
    let mut server = Program::spawn(&mut strace::command(
        &server_trace,
        &calls,
        SERVER,
        &["0"],
    ));
    let port = server.tcp_port().to_string();
    let client = Program::spawn(&mut strace::command(
        &client_trace,
        &calls,
        CLIENT,
        &["127.0.0.1", &port],
    ));
    let out = client.wait_exit();
    assert_eq!(out.stdout_text(), TRANSCRIPT);
    assert_eq!(server.wait_exit().code(), 0);

    // Server: the writes on the socket that accept returned.
    let trace = std::fs::read_to_string(&server_trace).unwrap();
    let calls = strace::parse(&trace);
    let start = calls
        .iter()
        .position(|c| c.name == "accept")
        .unwrap_or_else(|| panic!("no accept in the server's trace:\n{trace}"));
    let clnt_sock = calls[start].result_value().unwrap() as i32;
    let writes: Vec<_> = calls[start..]
        .iter()
        .filter(|c| c.name == "write" && c.fd_arg() == Some(clnt_sock))
        .collect();
    assert_eq!(writes.len(), 1, "server trace:\n{trace}");
    assert!(
        writes[0].args.contains("Hello World!\\0"),
        "{:?}",
        writes[0]
    );
    assert_eq!(writes[0].result_value(), Some(13), "{:?}", writes[0]);

    // Client: the reads on its TCP socket.
    let trace = std::fs::read_to_string(&client_trace).unwrap();
    let calls = strace::parse(&trace);
    // Start at the socket: the dynamic loader's reads of the shared
    // libraries come before it, on the same fd number.
    let start = calls
        .iter()
        .position(|c| c.name == "socket" && c.args.starts_with("AF_INET"))
        .unwrap_or_else(|| {
            panic!("no socket(AF_INET...) in the client's trace:\n{trace}")
        });
    let sock = calls[start].result_value().unwrap() as i32;
    let reads: Vec<_> = calls[start..]
        .iter()
        .filter(|c| c.name == "read" && c.fd_arg() == Some(sock))
        .collect();
    let results: Vec<i64> =
        reads.iter().filter_map(|c| c.result_value()).collect();
    let mut expected = vec![1; 13];
    expected.push(0);
    assert_eq!(results, expected, "client trace:\n{trace}");
    assert!(reads.iter().all(|c| c.args.ends_with(", 1")), "{reads:?}");
}

/// No argument, too many, port `abc` or `70000`, IP `1.2.3.256`: the
/// usage line on stdout or a clear error on stderr, exit 1, no panic.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    bad_args::assert_server_args_checked(SERVER);
    bad_args::assert_client_args_checked(CLIENT);
}

/// Nobody listening: the C message, then the OS reason.
#[test]
fn tcp_client_reports_a_refused_connection() {
    bad_args::assert_connect_refused(CLIENT, "connect() error!");
}

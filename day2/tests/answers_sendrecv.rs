//! sendrecv_serv and recvsend_clnt (the answer to chapter 5, question 5):
//! three rounds of length-prefixed messages each way. Every message is a
//! 4-byte length (a C `int` in host byte order, the NUL counted), then the
//! bytes; each side prints the other's three messages whole, even when
//! every message arrives in several TCP segments.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use harness::bad_args;
use harness::{Program, accept, connect, listener, read_exact, run};

const SERVER: &str = env!("CARGO_BIN_EXE_sendrecv_serv");
const CLIENT: &str = env!("CARGO_BIN_EXE_recvsend_clnt");

/// sendrecv_serv.c's `str_arr`, each with the NUL `strlen(...)+1` counts.
const SERVER_MESSAGES: [&[u8]; 3] =
    [b"Hello client!\0", b"I'm server.\0", b"Nice to meet you.\0"];
/// recvsend_clnt.c's `str_arr`.
const CLIENT_MESSAGES: [&[u8]; 3] = [
    b"Hello server!\0",
    b"I'm client.\0",
    b"Nice to meet you too!\0",
];

/// What each side prints: `puts` of the other's messages.
const SERVER_PRINTS: &str =
    "Hello server!\nI'm client.\nNice to meet you too!\n";
const CLIENT_PRINTS: &str = "Hello client!\nI'm server.\nNice to meet you.\n";

/// One message as the C programs put it on the wire.
fn framed(message: &[u8]) -> Vec<u8> {
    let mut bytes = (message.len() as i32).to_ne_bytes().to_vec();
    bytes.extend_from_slice(message);
    bytes
}

/// Reads one framed message and returns its bytes (the length checked).
fn read_framed(stream: &mut TcpStream) -> Vec<u8> {
    let len = read_exact(stream, 4);
    let len = i32::from_ne_bytes(len.try_into().unwrap());
    read_exact(stream, usize::try_from(len).expect("a positive length"))
}

/// A peer that splits a framed message across several TCP segments:
/// TCP_NODELAY sends each small write at once, and the pause lets each
/// piece arrive (and be read) before the next one leaves. The cuts fall
/// inside the 4-byte length and inside the message.
fn send_in_pieces(stream: &mut TcpStream, message: &[u8]) {
    stream.set_nodelay(true).unwrap();
    let bytes = framed(message);
    let cuts = [0, 1, 3, 6, bytes.len() - 2, bytes.len()];
    for piece in cuts.windows(2) {
        stream.write_all(&bytes[piece[0]..piece[1]]).unwrap();
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The two twins talk as the C programs do: each prints the other's
/// three messages.
#[test]
fn server_and_client_print_each_others_three_messages() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port().to_string();
    let client = run(CLIENT, &["127.0.0.1", &port], b"");
    assert_eq!(client.stdout_text(), CLIENT_PRINTS);
    assert_eq!(client.code(), 0, "stderr: {}", client.stderr_text());
    let server = server.wait_exit();
    assert_eq!(server.stdout_text(), SERVER_PRINTS);
    assert_eq!(server.code(), 0, "stderr: {}", server.stderr_text());
}

/// The server's bytes on the wire are the C server's: for each message a
/// 4-byte host-order length with the NUL counted (`0e 00 00 00` for
/// `Hello client!` on a little-endian PC), then the message and its NUL.
/// And a peer that splits every answer into five segments (two cuts in
/// the length, two in the message) still gets each one printed whole.
#[test]
fn sendrecv_serv_prints_messages_that_arrive_in_pieces() {
    let mut server = Program::start(SERVER, &["0"]);
    let mut peer = connect(server.tcp_port());
    for (mine, theirs) in CLIENT_MESSAGES.iter().zip(SERVER_MESSAGES) {
        let len = read_exact(&mut peer, 4);
        assert_eq!(len, (theirs.len() as i32).to_ne_bytes());
        assert_eq!(read_exact(&mut peer, theirs.len()), theirs);
        send_in_pieces(&mut peer, mine);
    }
    let out = server.wait_exit();
    assert_eq!(out.stdout_text(), SERVER_PRINTS);
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
}

/// The same for the client: a server that splits each of its messages
/// into five segments; the client prints all three whole, and its own
/// answers on the wire are the C client's bytes.
#[test]
fn recvsend_clnt_prints_messages_that_arrive_in_pieces() {
    let (listener, port) = listener();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let mut peer = accept(&listener);
    for (mine, theirs) in SERVER_MESSAGES.iter().zip(CLIENT_MESSAGES) {
        send_in_pieces(&mut peer, mine);
        assert_eq!(read_framed(&mut peer), theirs);
    }
    let out = client.wait_exit();
    assert_eq!(out.stdout_text(), CLIENT_PRINTS);
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
}

/// A length that does not fit in the C's `read_buf[100]` (the C would
/// overrun it): a clear error, exit 1, no panic.
#[test]
fn a_length_over_100_is_refused() {
    let (listener, port) = listener();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let mut peer = accept(&listener);
    peer.write_all(&1000i32.to_ne_bytes()).unwrap();
    let out = client.wait_exit();
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(
        out.stderr_text(),
        "read() error: message length 1000 does not fit in 100 bytes\n"
    );
}

/// A client that leaves in the middle of its answer: the server says so
/// and exits 1 (the C would print whatever was in its buffer).
#[test]
fn a_peer_that_leaves_mid_message_is_an_error() {
    let mut server = Program::start(SERVER, &["0"]);
    let mut peer = connect(server.tcp_port());
    assert_eq!(read_framed(&mut peer), SERVER_MESSAGES[0]);
    peer.write_all(&framed(CLIENT_MESSAGES[0])[..8]).unwrap();
    drop(peer);
    let out = server.wait_exit();
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(out.stderr_text(), "read() error: unexpected end of file\n");
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
fn recvsend_clnt_reports_a_refused_connection() {
    bad_args::assert_connect_refused(CLIENT, "connect() error!");
}

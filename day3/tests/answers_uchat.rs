//! uchat_server and uchat_client (the answer to chapter 6, question 7): a
//! turn-taking chat over UDP. The client speaks first; each side waits in
//! `recvfrom` until the other has typed its line; `q` ends a side.

use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use harness::bad_args;
use harness::{Program, udp_socket};

const SERVER: &str = env!("CARGO_BIN_EXE_uchat_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_uchat_client");

const PROMPT: &str = "Insert message(q to quit): ";

fn recv_datagram(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = [0u8; 100];
    let (n, from) = socket.recv_from(&mut buf).expect("a datagram");
    (buf[..n].to_vec(), from)
}

/// No datagram comes to `socket` within a short wait.
fn assert_nothing_arrives(socket: &UdpSocket) {
    socket
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut buf = [0u8; 100];
    if let Ok((n, _)) = socket.recv_from(&mut buf) {
        panic!("a datagram arrived: {:?}", &buf[..n]);
    }
}

/// The two twins take turns: the client's line is shown by the server,
/// the server's answer by the client, and the client does not ask again
/// until the answer has come. `q` ends the client; the server, which has
/// no connection to lose, is then still waiting for a datagram.
#[test]
fn client_and_server_take_turns() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.udp_port().to_string();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port]);
    client.wait_for_stdout(PROMPT);
    client.write_stdin(b"Hi server\n");
    server
        .wait_for_stdout(&format!("Message from client: Hi server\n{PROMPT}"));

    // The server's turn: the client is blocked in recvfrom, silent.
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(client.stdout_so_far(), PROMPT.as_bytes());

    server.write_stdin(b"Hi client\n");
    client.wait_for_stdout("Message from server: Hi client\n");
    client.write_stdin(b"q\n");
    let out = client.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(
        out.stdout_text(),
        format!("{PROMPT}Message from server: Hi client\n{PROMPT}")
    );
    assert!(!server.has_exited(), "the client's q ended the server");
    assert_eq!(
        server.kill().stdout_text(),
        format!("Message from client: Hi server\n{PROMPT}")
    );
}

/// The server answers the address the datagram came from (recvfrom's
/// envelope); `q` on its turn ends it with exit 0 and sends nothing.
#[test]
fn uchat_server_answers_the_sender_and_quits_on_q() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.udp_port();
    let (peer, _) = udp_socket();
    peer.send_to(b"first\n", ("127.0.0.1", port)).unwrap();
    server.wait_for_stdout(PROMPT);
    server.write_stdin(b"answer\n");
    assert_eq!(recv_datagram(&peer).0, b"answer\n");

    peer.send_to(b"second\n", ("127.0.0.1", port)).unwrap();
    server.wait_for_stdout(&format!("second\n{PROMPT}"));
    server.write_stdin(b"Q\n");
    let out = server.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(
        out.stdout_text(),
        format!(
            "Message from client: first\n{PROMPT}\
             Message from client: second\n{PROMPT}"
        )
    );
    assert_nothing_arrives(&peer);
}

/// The client sends each typed line as one datagram to the address it
/// was given, and prints the answer; `Q`, like `q`, ends it and sends
/// nothing.
#[test]
fn uchat_client_sends_its_line_and_prints_the_answer() {
    let (peer, port) = udp_socket();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"hello\n");
    let (line, from) = recv_datagram(&peer);
    assert_eq!(line, b"hello\n");
    peer.send_to(b"yo\n", from).unwrap();
    client.wait_for_stdout("Message from server: yo\n");
    client.write_stdin(b"Q\n");
    let out = client.wait_exit();
    assert_eq!(out.code(), 0);
    assert_eq!(
        out.stdout_text(),
        format!("{PROMPT}Message from server: yo\n{PROMPT}")
    );
    assert_nothing_arrives(&peer);
}

/// End of input quits like `q` (the C would send its stale line forever).
#[test]
fn end_of_input_quits_like_q() {
    let (peer, port) = udp_socket();
    let client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let out = client.wait_exit(); // stdin closed at once
    assert_eq!(out.code(), 0);
    assert_eq!(out.stdout_text(), PROMPT);
    assert_nothing_arrives(&peer);
}

/// No argument, too many, port `abc` or `70000`, IP `1.2.3.256`: the
/// usage line or a clear error, exit 1, no panic.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    bad_args::assert_server_args_checked(SERVER);
    bad_args::assert_client_args_checked(CLIENT);
}

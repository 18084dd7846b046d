//! op_server and op_client: the calculator protocol
//! `[u8 count][count × i32][u8 op]` → `i32`, in host byte order, byte for
//! byte as the C programs send it; C `int` arithmetic; bad clients and bad
//! input never crash or stall anything.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};

use harness::bad_args;
use harness::{
    Program, accept, connect, listener, read_exact, read_to_end, run,
};

const SERVER: &str = env!("CARGO_BIN_EXE_op_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_op_client");

/// The bytes the C op_client sends: count, operands (host order), operator.
fn request(operands: &[i32], operator: u8) -> Vec<u8> {
    let mut bytes = vec![operands.len() as u8];
    for operand in operands {
        bytes.extend_from_slice(&operand.to_ne_bytes());
    }
    bytes.push(operator);
    bytes
}

/// Sends one request as a raw client and returns the server's answer.
fn ask(port: u16, operands: &[i32], operator: u8) -> i32 {
    let mut stream = connect(port);
    stream.write_all(&request(operands, operator)).unwrap();
    let answer = read_to_end(&mut stream);
    let bytes: [u8; 4] = answer
        .as_slice()
        .try_into()
        .unwrap_or_else(|_| panic!("expected a 4-byte answer, got {answer:?}"));
    i32::from_ne_bytes(bytes)
}

/// The class's example, `3 + 4 + 5`, with the C prompts byte for byte.
#[test]
fn op_client_and_server_compute_3_plus_4_plus_5() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port().to_string();
    let out = run(CLIENT, &["127.0.0.1", &port], b"3\n3\n4\n5\n+\n");
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert_eq!(
        out.stdout_text(),
        "Connected...........\nOperand count: Operand 1: Operand 2: Operand 3: \
         Operator: Operation result: 12 \n"
    );
    server.kill();
}

/// On the wire: exactly count×4+2 bytes, the ints in host byte order, as
/// the C client writes them; the 4-byte answer is printed as an int.
#[test]
fn op_client_sends_count_times_4_plus_2_bytes() {
    let (listener, port) = listener();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let mut peer = accept(&listener);
    client.write_stdin(b"3\n3\n4\n-5\n*\n");
    let expected = request(&[3, 4, -5], b'*');
    assert_eq!(expected.len(), 3 * 4 + 2);
    assert_eq!(read_exact(&mut peer, expected.len()), expected);
    peer.write_all(&(-60i32).to_ne_bytes()).unwrap();
    let out = client.wait_exit();
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert!(
        out.stdout_text().ends_with("Operation result: -60 \n"),
        "{}",
        out.stdout_text()
    );
    // The client has closed: nothing came after the 14 bytes.
    assert_eq!(read_to_end(&mut peer), b"");
}

/// The class's picture: `3 + 4 + 5` is `03 | 03 00 00 00 | 04 00 00 00 |
/// 05 00 00 00 | 2b` on a little-endian machine, answered by `0c 00 00 00`.
#[test]
fn op_server_answers_the_bytes_of_3_plus_4_plus_5() {
    let mut server = Program::start(SERVER, &["0"]);
    let mut stream = connect(server.tcp_port());
    let bytes: Vec<u8> = if cfg!(target_endian = "little") {
        vec![3, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, b'+']
    } else {
        vec![3, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, b'+']
    };
    // In three pieces: TCP may split a request anywhere.
    for piece in [&bytes[..1], &bytes[1..6], &bytes[6..]] {
        stream.write_all(piece).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(read_to_end(&mut stream), 12i32.to_ne_bytes());
    server.kill();
}

/// `+ - *` as in C, wrapping around like a C `int`; an unknown operator
/// returns the first operand (the C switch has no default); 255 operands
/// fit. Five clients, then the server exits 0, silent.
#[test]
fn op_server_calculates_like_c_int() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port();
    assert_eq!(ask(port, &[10, 3, 2], b'-'), 5);
    assert_eq!(ask(port, &[i32::MAX, 1], b'+'), i32::MIN);
    assert_eq!(ask(port, &[65536, 65536, 3], b'*'), 0);
    assert_eq!(ask(port, &[42, 7, 1], b'/'), 42);
    assert_eq!(ask(port, &[1; 255], b'+'), 255);
    let out = server.wait_exit();
    assert_eq!(out.code(), 0);
    assert_eq!(out.stdout_text(), "");
    assert_eq!(out.stderr_text(), "");
}

/// Hostile clients (count 0, a short message then close, a client that
/// vanishes, garbage): each is closed without an answer, and the next
/// client is served. The fifth, a good one, gets its answer.
#[test]
fn op_server_survives_hostile_clients() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port();

    // Count 0, connection left open: closed at once, no answer.
    let mut zero = connect(port);
    zero.write_all(&[0, b'+']).unwrap();
    assert_eq!(read_until_closed(&mut zero), b"");

    // Three operands announced, one sent, then the client closes its side.
    let mut short = connect(port);
    short.write_all(&[3, 1, 0, 0, 0]).unwrap();
    short.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_until_closed(&mut short), b"");

    // Connects and vanishes before sending anything.
    drop(connect(port));

    // Garbage: 'G' announces 71 operands that never come.
    let mut garbage = connect(port);
    garbage.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    garbage.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_until_closed(&mut garbage), b"");

    assert_eq!(ask(port, &[3, 4, 5], b'+'), 12);
    let out = server.wait_exit();
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert_eq!(out.stdout_text(), "");
    assert_eq!(
        out.stderr_text(),
        "client 1: operand count 0, nothing to calculate: closed it\n\
         client 2: closed the connection after 4 of 13 bytes\n\
         client 3: closed the connection after 0 of 1 bytes\n\
         client 4: closed the connection after 17 of 285 bytes\n"
    );
}

/// Reads until the server closes; a reset counts as closed.
fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    match stream.read_to_end(&mut all) {
        Ok(_) => all,
        Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => all,
        Err(err) => panic!("the server did not close the connection: {err}"),
    }
}

/// Input that is not a whole number, a count outside 1–255, an operand
/// outside `int`, or the end of input: a clear error, exit 1, and nothing
/// is sent to the server.
#[test]
fn op_client_rejects_bad_input() {
    let cases: [(&[u8], &str); 9] = [
        (
            b"abc\n",
            "bad operand count \"abc\": expected a number from 1 to 255",
        ),
        (
            b"0\n",
            "bad operand count \"0\": expected a number from 1 to 255",
        ),
        (
            b"256\n",
            "bad operand count \"256\": expected a number from 1 to 255",
        ),
        (
            b"-1\n",
            "bad operand count \"-1\": expected a number from 1 to 255",
        ),
        (
            b"2\n1\nx\n",
            "bad operand 2 \"x\": expected a whole number from -2147483648 to 2147483647",
        ),
        (
            b"1\n2147483648\n",
            "bad operand 1 \"2147483648\": expected a whole number from -2147483648 to 2147483647",
        ),
        (b"", "end of input: expected the operand count"),
        (b"2\n1\n", "end of input: expected the operand 2"),
        (b"2\n1\n2\n \n", "end of input: expected the operator"),
    ];
    let (listener, port) = listener();
    for (input, error) in cases {
        let mut client =
            Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
        client.write_stdin(input);
        let mut peer = accept(&listener);
        let out = client.wait_exit();
        out.assert_clean_failure();
        assert_eq!(out.stderr_text(), format!("{error}\n"), "input {input:?}");
        assert!(
            out.stdout_text()
                .starts_with("Connected...........\nOperand count: ")
        );
        assert_eq!(read_to_end(&mut peer), b"", "input {input:?}");
    }
}

/// A server that closes without answering: a clear error, exit 1.
#[test]
fn op_client_reports_a_server_that_does_not_answer() {
    let (listener, port) = listener();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"1\n5\n+\n");
    let mut peer = accept(&listener);
    assert_eq!(read_exact(&mut peer, 6), request(&[5], b'+'));
    peer.write_all(&[0, 0]).unwrap(); // half a result, then close
    drop(peer);
    let out = client.wait_exit();
    out.assert_clean_failure();
    assert_eq!(
        out.stderr_text(),
        "read() error: the server closed the connection after 2 of 4 bytes\n"
    );
}

/// Wrong argument count: the C usage line on stdout; a bad port or
/// address: a clear error naming it. Always exit 1, never a panic.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    bad_args::assert_server_args_checked(SERVER);
    bad_args::assert_client_args_checked(CLIENT);
    bad_args::assert_connect_refused(CLIENT, "connect() error!");
}

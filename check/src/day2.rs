//! Day 2's exercises: the iterative server, reading a whole reply, the
//! application protocol.

use std::io::{Read, Write};
use std::time::Duration;

use harness::{accept, connect, listener, read_exact};

use crate::{Claim, Exercise, Run, Words, ensure, fail};

pub static EXERCISES: &[Exercise] = &[ECHO_CLIENT2, OP_DIVIDE];

// ---------------------------------------------------------------------------
// echo_client2: read until the whole echo has come

const ECHO_CLIENT2: Exercise = Exercise {
    name: "echo_client2",
    day: 2,
    task: Words {
        ko: "echo_client가 보낸 만큼 다 받을 때까지 읽게 만드세요",
        en: "make echo_client read until it has all it sent",
    },
    solution: "echo_client2",
    partners: &["echo_server"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "echo_server와 주고받은 줄을 그대로 출력합니다",
                en: "prints each line echo_server sends back",
            },
            check: echo_client2_talks_to_echo_server,
        },
        Claim {
            says: Words {
                ko: "두 조각으로 나뉘어 온 응답도 한 번에 다 출력합니다",
                en: "prints a reply that comes in two pieces whole",
            },
            check: echo_client2_waits_for_the_second_piece,
        },
        Claim {
            says: Words {
                ko: "응답 도중에 서버가 끊으면 오류를 알리고 끝납니다",
                en: "reports a server that closes mid-reply, and exits 1",
            },
            check: echo_client2_reports_an_early_close,
        },
    ],
};

const CONNECTED: &str = "Connected...........\n";
const PROMPT: &str = "Input message(Q to quit): ";

/// The echo client's transcript for `replies`.
fn echo_transcript(replies: &[&str]) -> String {
    let mut out = CONNECTED.to_string();
    for reply in replies {
        out += PROMPT;
        out += "Message from server: ";
        out += reply;
    }
    out + PROMPT
}

fn echo_client2_talks_to_echo_server(run: &Run) {
    let mut server = run.partner("echo_server", &["0"]);
    let port = server.tcp_port().to_string();
    let out = run.run(&["127.0.0.1", &port], b"Hello\nsecond line\nQ\n");
    let expected = echo_transcript(&["Hello\n", "second line\n"]);
    ensure(
        out.stdout_text() == expected,
        "echo_server가 돌려준 줄이 그대로 출력되지 않았습니다",
        &format!(
            "the lines echo_server sent back were not printed as sent:\n\
             expected {expected:?}\n     got {:?}",
            out.stdout_text()
        ),
    );
}

fn echo_client2_waits_for_the_second_piece(run: &Run) {
    let (listener, port) = listener();
    let mut client = run.start(&["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"hello world\nQ\n");
    let mut peer = accept(&listener);
    assert_eq!(read_exact(&mut peer, 12), b"hello world\n");
    peer.write_all(b"hello ").expect("write the first piece");
    std::thread::sleep(Duration::from_millis(200));
    let so_far = String::from_utf8_lossy(&client.stdout_so_far()).into_owned();
    ensure(
        !so_far.contains("Message from server"),
        "응답의 첫 조각만 받고 출력했습니다",
        &format!("it printed the first piece as the reply: {so_far:?}"),
    );
    peer.write_all(b"world\n").expect("write the second piece");
    let out = client.wait_exit();
    let expected = echo_transcript(&["hello world\n"]);
    ensure(
        out.stdout_text() == expected,
        "두 조각을 합친 응답이 출력되지 않았습니다",
        &format!(
            "the two pieces were not printed as one reply:\n\
             expected {expected:?}\n     got {:?}",
            out.stdout_text()
        ),
    );
}

fn echo_client2_reports_an_early_close(run: &Run) {
    let (listener, port) = listener();
    let mut client = run.start(&["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"hello world\n");
    let mut peer = accept(&listener);
    assert_eq!(read_exact(&mut peer, 12), b"hello world\n");
    peer.write_all(b"hel").expect("write a piece");
    drop(peer);
    // A loop that ignores read's 0 (end of stream) never ends: the
    // harness gives up after its timeout.
    let out = client.wait_exit();
    ensure(
        out.status.code() == Some(1) && !out.stderr.is_empty(),
        "서버가 끊었는데 오류 없이 끝났습니다",
        &format!(
            "the server closed, but it did not report it and exit 1: \
             {:?}, stderr {:?}",
            out.status,
            out.stderr_text()
        ),
    );
}

// ---------------------------------------------------------------------------
// op_divide: `/` in the calculator, and division by zero refused

const OP_DIVIDE: Exercise = Exercise {
    name: "op_divide",
    day: 2,
    task: Words {
        ko: "op_server에 나눗셈(/)을 더하고, 0으로 나누기는 죽지 않고 \
             거절하세요",
        en: "add / to op_server, and refuse division by zero without dying",
    },
    solution: "solution_op_divide",
    partners: &["op_client"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "op_client가 보낸 8 / 2에 4를 답합니다",
                en: "answers op_client's 8 / 2 with 4",
            },
            check: op_divide_divides,
        },
        Claim {
            says: Words {
                ko: "C의 int처럼 0 쪽으로 자릅니다: 7 / 2 = 3, -7 / 2 = -3, \
                     100 / 5 / 2 = 10",
                en: "truncates toward zero like C's int: 7 / 2 = 3, \
                     -7 / 2 = -3, 100 / 5 / 2 = 10",
            },
            check: op_divide_truncates_like_c,
        },
        Claim {
            says: Words {
                ko: "0으로 나누라는 클라이언트에게는 답하지 않고 끊고, \
                     다음 클라이언트를 계속 받습니다",
                en: "closes a client that divides by zero, without an answer, \
                     and serves the next one",
            },
            check: op_divide_refuses_division_by_zero,
        },
        Claim {
            says: Words {
                ko: "-2147483648 / -1에도 죽지 않습니다 (C에서는 SIGFPE)",
                en: "survives -2147483648 / -1 (SIGFPE in C)",
            },
            check: op_divide_survives_the_overflow,
        },
    ],
};

/// op_client's stdin for `operands` and `op`.
fn op_input(operands: &[i32], op: char) -> Vec<u8> {
    let mut input = format!("{}\n", operands.len());
    for operand in operands {
        input += &format!("{operand}\n");
    }
    format!("{input}{op}\n").into_bytes()
}

/// Asks the server on `port` through the real op_client; the result line.
fn op_client_result(
    run: &Run,
    port: &str,
    operands: &[i32],
    op: char,
) -> String {
    let input = op_input(operands, op);
    let out = run.run_partner("op_client", &["127.0.0.1", port], &input);
    let stdout = out.stdout_text();
    match stdout.find("Operation result: ") {
        Some(at) => stdout[at..].trim_end().to_string(),
        None => fail(
            "op_client가 결과를 받지 못했습니다",
            &format!(
                "op_client got no result for {operands:?} {op}: stdout \
                 {stdout:?}, stderr {:?}",
                out.stderr_text()
            ),
        ),
    }
}

fn assert_result(run: &Run, port: &str, operands: &[i32], op: char, want: i32) {
    let got = op_client_result(run, port, operands, op);
    let expected = format!("Operation result: {want}");
    ensure(
        got == expected,
        "계산 결과가 틀렸습니다",
        &format!("{operands:?} {op}: expected {expected:?}, got {got:?}"),
    );
}

fn op_divide_divides(run: &Run) {
    let mut server = run.start(&["0"]);
    let port = server.tcp_port().to_string();
    assert_result(run, &port, &[8, 2], '/', 4);
}

fn op_divide_truncates_like_c(run: &Run) {
    let mut server = run.start(&["0"]);
    let port = server.tcp_port().to_string();
    assert_result(run, &port, &[7, 2], '/', 3);
    assert_result(run, &port, &[-7, 2], '/', -3);
    assert_result(run, &port, &[100, 5, 2], '/', 10);
}

/// Sends a raw request (count, operands, operator) and reads to the end:
/// the 4 result bytes, or nothing if the server closed without an answer.
fn raw_request(port: u16, operands: &[i32], op: u8) -> Vec<u8> {
    let mut client = connect(port);
    let mut request = vec![operands.len() as u8];
    for operand in operands {
        request.extend_from_slice(&operand.to_ne_bytes());
    }
    request.push(op);
    client.write_all(&request).expect("write the request");
    let mut answer = Vec::new();
    match client.read_to_end(&mut answer) {
        Ok(_) => answer,
        Err(err) => fail(
            "서버가 답하지도 끊지도 않았습니다",
            &format!("the server neither answered nor closed: {err}"),
        ),
    }
}

/// The server must still be alive and serve `3 + 4` to the next client.
fn assert_still_serving(run: &Run, server: &mut crate::Started, port: &str) {
    ensure(
        !server.has_exited(),
        "서버가 죽었습니다",
        &format!(
            "the server died: stderr {:?}",
            String::from_utf8_lossy(&server.stderr_so_far())
        ),
    );
    let got = op_client_result(run, port, &[3, 4], '+');
    ensure(
        got == "Operation result: 7",
        "다음 클라이언트의 3 + 4가 7이 아닙니다",
        &format!("the next client's 3 + 4 got {got:?}"),
    );
}

fn op_divide_refuses_division_by_zero(run: &Run) {
    let mut server = run.start(&["0"]);
    let port = server.tcp_port();
    let answer = raw_request(port, &[8, 0], b'/');
    ensure(
        answer.is_empty(),
        "0으로 나눈 결과를 답했습니다",
        &format!("it answered 8 / 0 with {answer:?}"),
    );
    assert_still_serving(run, &mut server, &port.to_string());
}

fn op_divide_survives_the_overflow(run: &Run) {
    let mut server = run.start(&["0"]);
    let port = server.tcp_port();
    // Either answer (C's wrap-around, -2147483648) or a refusal will do:
    // what is wrong is a dead server.
    let answer = raw_request(port, &[i32::MIN, -1], b'/');
    ensure(
        answer.is_empty() || answer == i32::MIN.to_ne_bytes(),
        "-2147483648 / -1의 답이 틀렸습니다",
        &format!("it answered -2147483648 / -1 with {answer:?}"),
    );
    assert_still_serving(run, &mut server, &port.to_string());
}

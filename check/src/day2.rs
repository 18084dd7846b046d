//! Day 2's exercises: reading a whole reply, the application protocol;
//! and the book's answers of chapters 4 and 5: the iterative hello
//! server, length-prefixed messages, a file asked for by name.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

use harness::{Program, accept, connect, listener, read_exact, read_to_end};

use crate::{Claim, Exercise, Run, Words, ensure, fail};

pub static EXERCISES: &[Exercise] = &[
    ECHO_CLIENT2,
    OP_DIVIDE,
    HELLO_ITRSERV,
    SENDRECV_SERV,
    RECVSEND_CLNT,
    FILE_SERV,
    FILE_CLNT,
];

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

// ---------------------------------------------------------------------------
// hello_itrserv (chapter 4, question 7): hello_server made iterative

const HELLO_ITRSERV: Exercise = Exercise {
    name: "hello_itrserv",
    day: 2,
    task: Words {
        ko: "hello_server를 반복 서버로 만드세요: accept가 실패할 때까지 \
             클라이언트를 차례로 받습니다",
        en: "make hello_server iterative: it serves clients one after \
             another until accept fails",
    },
    solution: "hello_itrserv",
    partners: &["hello_client"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "hello_client가 Hello World!를 받습니다",
                en: "hello_client gets Hello World!",
            },
            check: crate::day1::greets_hello_client,
        },
        Claim {
            says: Words {
                ko: "클라이언트 다섯을 차례로 받고도 계속 기다립니다",
                en: "serves five clients one after another, and still waits \
                     for more",
            },
            check: hello_itrserv_serves_one_after_another,
        },
    ],
};

fn hello_itrserv_serves_one_after_another(run: &Run) {
    let mut server = run.start(&["0"]);
    let port = server.tcp_port();
    for i in 1..=5 {
        let mut client = connect(port);
        let got = read_to_end(&mut client);
        ensure(
            got == b"Hello World!\0",
            "클라이언트가 Hello World!\\0을 받지 못했습니다",
            &format!("client {i} got {got:?}, not Hello World!\\0"),
        );
    }
    ensure(
        !server.has_exited(),
        "다섯 번째 클라이언트 뒤에 서버가 끝났습니다",
        "the server ended after the fifth client",
    );
}

// ---------------------------------------------------------------------------
// sendrecv_serv and recvsend_clnt (chapter 5, question 5): three rounds of
// length-prefixed messages

const SERVER_LINES: [&[u8]; 3] =
    [b"Hello client!\0", b"I'm server.\0", b"Nice to meet you.\0"];
const CLIENT_LINES: [&[u8]; 3] = [
    b"Hello server!\0",
    b"I'm client.\0",
    b"Nice to meet you too!\0",
];

/// What each side prints: the other side's three messages, one a line.
fn printed(lines: [&[u8]; 3]) -> String {
    lines
        .iter()
        .map(|line| {
            let text = String::from_utf8_lossy(&line[..line.len() - 1]);
            format!("{text}\n")
        })
        .collect()
}

/// A message on the wire: its length as a 4-byte int in host order (the
/// NUL counted), then its bytes.
fn length_prefixed(message: &[u8]) -> Vec<u8> {
    let mut wire = (message.len() as i32).to_ne_bytes().to_vec();
    wire.extend_from_slice(message);
    wire
}

/// Sends `bytes` one byte per TCP segment (no Nagle, a pause after each).
fn send_in_pieces(stream: &mut TcpStream, bytes: &[u8]) {
    stream.set_nodelay(true).expect("TCP_NODELAY");
    for byte in bytes {
        if stream.write_all(&[*byte]).is_err() {
            return; // the program is gone: its output says why
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Reads one length-prefixed message and checks it is `expected`.
fn read_message(stream: &mut TcpStream, expected: &[u8]) {
    let mut got = vec![0u8; 4 + expected.len()];
    let read = stream.read_exact(&mut got);
    ensure(
        read.is_ok() && got == length_prefixed(expected),
        "길이(4바이트, NUL 포함)와 메시지가 오지 않았습니다",
        &format!(
            "not the 4-byte length (NUL counted) and the message {:?}: got \
             {got:?} ({read:?})",
            String::from_utf8_lossy(expected)
        ),
    );
}

const SENDRECV_SERV: Exercise = Exercise {
    name: "sendrecv_serv",
    day: 2,
    task: Words {
        ko: "sendrecv_serv가 길이를 먼저 보내고, 받은 길이만큼 다 읽게 \
             하세요",
        en: "make sendrecv_serv send each length first, and read as many \
             bytes as each length says",
    },
    solution: "sendrecv_serv",
    partners: &["recvsend_clnt"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "recvsend_clnt와 세 번 주고받고, 서로 상대의 세 줄을 \
                     출력합니다",
                en: "three rounds with recvsend_clnt: each prints the other's \
                     three lines",
            },
            check: sendrecv_serv_talks_to_recvsend_clnt,
        },
        Claim {
            says: Words {
                ko: "메시지마다 4바이트 길이(NUL 포함)를 먼저 보냅니다",
                en: "sends a 4-byte length (NUL counted) before each message",
            },
            check: sendrecv_serv_sends_lengths_first,
        },
        Claim {
            says: Words {
                ko: "1바이트씩 여러 조각으로 온 메시지도 온전히 출력합니다",
                en: "prints a message that comes one byte per segment whole",
            },
            check: sendrecv_serv_reads_split_messages_whole,
        },
    ],
};

fn assert_both_printed(server_out: &str, client_out: &str) {
    ensure(
        server_out == printed(CLIENT_LINES)
            && client_out == printed(SERVER_LINES),
        "서로 상대의 세 줄을 출력하지 않았습니다",
        &format!(
            "the two did not print each other's three lines: server \
             {server_out:?}, client {client_out:?}"
        ),
    );
}

fn sendrecv_serv_talks_to_recvsend_clnt(run: &Run) {
    let mut server = run.start(&["0"]);
    let port = server.tcp_port().to_string();
    let client = run.run_partner("recvsend_clnt", &["127.0.0.1", &port], b"");
    let server = server.wait_exit();
    assert_both_printed(&server.stdout_text(), &client.stdout_text());
}

fn sendrecv_serv_sends_lengths_first(run: &Run) {
    let mut server = run.start(&["0"]);
    let mut client = connect(server.tcp_port());
    for (theirs, ours) in SERVER_LINES.iter().zip(CLIENT_LINES) {
        read_message(&mut client, theirs);
        client
            .write_all(&length_prefixed(ours))
            .expect("write the answer");
    }
}

fn sendrecv_serv_reads_split_messages_whole(run: &Run) {
    let mut server = run.start(&["0"]);
    let mut client = connect(server.tcp_port());
    for (theirs, ours) in SERVER_LINES.iter().zip(CLIENT_LINES) {
        read_message(&mut client, theirs);
        send_in_pieces(&mut client, &length_prefixed(ours));
    }
    let out = server.wait_exit();
    ensure(
        out.stdout_text() == printed(CLIENT_LINES),
        "조각으로 온 메시지를 온전히 출력하지 않았습니다",
        &format!(
            "the messages that came in pieces were not printed whole: {:?}",
            out.stdout_text()
        ),
    );
}

const RECVSEND_CLNT: Exercise = Exercise {
    name: "recvsend_clnt",
    day: 2,
    task: Words {
        ko: "recvsend_clnt가 받은 길이만큼 다 읽고, 길이를 먼저 보내게 \
             하세요",
        en: "make recvsend_clnt read as many bytes as each length says, and \
             send each length first",
    },
    solution: "recvsend_clnt",
    partners: &["sendrecv_serv"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "sendrecv_serv와 세 번 주고받고, 서로 상대의 세 줄을 \
                     출력합니다",
                en: "three rounds with sendrecv_serv: each prints the other's \
                     three lines",
            },
            check: recvsend_clnt_talks_to_sendrecv_serv,
        },
        Claim {
            says: Words {
                ko: "메시지마다 4바이트 길이(NUL 포함)를 먼저 보냅니다",
                en: "sends a 4-byte length (NUL counted) before each message",
            },
            check: recvsend_clnt_sends_lengths_first,
        },
        Claim {
            says: Words {
                ko: "1바이트씩 여러 조각으로 온 메시지도 온전히 출력합니다",
                en: "prints a message that comes one byte per segment whole",
            },
            check: recvsend_clnt_reads_split_messages_whole,
        },
    ],
};

fn recvsend_clnt_talks_to_sendrecv_serv(run: &Run) {
    let mut server = run.partner("sendrecv_serv", &["0"]);
    let port = server.tcp_port().to_string();
    let client = run.run(&["127.0.0.1", &port], b"");
    let server = server.wait_exit();
    assert_both_printed(&server.stdout_text(), &client.stdout_text());
}

/// A fake sendrecv_serv: each round it sends its message (in pieces if
/// `split`), then reads the client's; returns the client's output.
fn against_fake_server(run: &Run, split: bool) -> String {
    let (listener, port) = listener();
    let client = run.start(&["127.0.0.1", &port.to_string()]);
    let mut peer = accept(&listener);
    for (ours, theirs) in SERVER_LINES.iter().zip(CLIENT_LINES) {
        if split {
            send_in_pieces(&mut peer, &length_prefixed(ours));
        } else {
            peer.write_all(&length_prefixed(ours)).expect("write");
        }
        read_message(&mut peer, theirs);
    }
    drop(peer);
    client.wait_exit().stdout_text()
}

fn recvsend_clnt_sends_lengths_first(run: &Run) {
    against_fake_server(run, false);
}

fn recvsend_clnt_reads_split_messages_whole(run: &Run) {
    let stdout = against_fake_server(run, true);
    ensure(
        stdout == printed(SERVER_LINES),
        "조각으로 온 메시지를 온전히 출력하지 않았습니다",
        &format!(
            "the messages that came in pieces were not printed whole: \
             {stdout:?}"
        ),
    );
}

// ---------------------------------------------------------------------------
// file_serv and file_clnt (chapter 5, question 6): a file asked for by name

/// The folders of one transfer: the server's, holding `data.bin`, and
/// the client's, empty.
fn transfer_folders(run: &Run, content: &[u8]) -> (String, String) {
    let serv = run.subdir("serv");
    let clnt = run.subdir("clnt");
    if let Err(err) = std::fs::write(serv.join("data.bin"), content) {
        fail("data.bin을 만들 수 없습니다", &err.to_string());
    }
    (
        serv.to_string_lossy().into_owned(),
        clnt.to_string_lossy().into_owned(),
    )
}

/// Starts `command` in `dir`.
fn in_dir(mut command: Command, dir: &str) -> Command {
    command.current_dir(dir);
    command
}

/// The saved copy of `data.bin` in the client's folder.
fn saved_copy(clnt: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(clnt).join("data.bin")).unwrap_or_else(
        |_| {
            fail(
                "클라이언트 쪽에 data.bin이 없습니다",
                "there is no data.bin on the client's side",
            )
        },
    )
}

const FILE_SERV: Exercise = Exercise {
    name: "file_serv",
    day: 2,
    task: Words {
        ko: "file_serv가 이름으로 요청받은 파일을 30바이트씩 보내되, \
             자기 폴더 밖의 이름은 거절하게 하세요",
        en: "make file_serv send the file named in the request in 30-byte \
             pieces, and refuse names outside its folder",
    },
    solution: "file_serv",
    partners: &["file_clnt"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "file_clnt가 요청한 파일을 바이트 그대로 받습니다",
                en: "file_clnt gets the file it asked for, byte for byte",
            },
            check: file_serv_sends_the_file,
        },
        Claim {
            says: Words {
                ko: "빈 파일과 60바이트(30의 배수) 파일도 그대로 보냅니다",
                en: "sends an empty file and one of 60 bytes (a multiple of \
                     30) whole",
            },
            check: file_serv_sends_edge_sizes,
        },
        Claim {
            says: Words {
                ko: "../secret와 /etc/passwd는 거절합니다: 폴더 밖의 것은 \
                     한 바이트도 보내지 않습니다",
                en: "refuses ../secret and /etc/passwd: not one byte from \
                     outside its folder",
            },
            check: file_serv_refuses_names_outside,
        },
    ],
};

fn file_serv_transfer(run: &Run, content: &[u8]) {
    let (serv, clnt) = transfer_folders(run, content);
    let mut server = run.spawn(&mut in_dir(run.command(&["0"]), &serv));
    let port = server.tcp_port().to_string();
    let mut client = Program::spawn(&mut in_dir(
        run.partner_command("file_clnt", &["127.0.0.1", &port]),
        &clnt,
    ));
    client.write_stdin(b"data.bin\n");
    let out = client.wait_exit();
    let copy = saved_copy(&clnt);
    ensure(
        copy == content && out.status.success(),
        "받은 파일이 원래 파일과 다릅니다",
        &format!(
            "the file received ({} bytes) is not the original ({} bytes): \
             {:?}",
            copy.len(),
            content.len(),
            out.status
        ),
    );
    let _ = server.wait_exit();
}

fn file_serv_sends_the_file(run: &Run) {
    let content: Vec<u8> = (0..2000u32).map(|i| (i * 37 % 256) as u8).collect();
    file_serv_transfer(run, &content);
}

fn file_serv_sends_edge_sizes(run: &Run) {
    file_serv_transfer(run, b"");
    file_serv_transfer(run, &[b'x'; 60]);
}

fn file_serv_refuses_names_outside(run: &Run) {
    let (serv, _) = transfer_folders(run, b"inside");
    if let Err(err) = std::fs::write(run.dir().join("secret"), b"SECRET") {
        fail("secret을 만들 수 없습니다", &err.to_string());
    }
    for name in [&b"../secret\0"[..], b"/etc/passwd\0"] {
        let mut server = run.spawn(&mut in_dir(run.command(&["0"]), &serv));
        let mut client = connect(server.tcp_port());
        client.write_all(name).expect("write the name");
        let got = read_to_end(&mut client);
        ensure(
            got.is_empty(),
            "폴더 밖의 파일을 보냈습니다",
            &format!(
                "it sent {} bytes for {:?}",
                got.len(),
                String::from_utf8_lossy(&name[..name.len() - 1])
            ),
        );
        let _ = server.kill();
    }
}

const FILE_CLNT: Exercise = Exercise {
    name: "file_clnt",
    day: 2,
    task: Words {
        ko: "file_clnt가 파일 이름을 NUL과 함께 보내고, 연결이 끝날 때까지 \
             받아 저장하게 하세요",
        en: "make file_clnt send the file name with its NUL, and save what \
             comes until the end of the stream",
    },
    solution: "file_clnt",
    partners: &["file_serv"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "file_serv에 이름으로 요청한 파일을 바이트 그대로 \
                     저장합니다",
                en: "saves the file it asked file_serv for, byte for byte",
            },
            check: file_clnt_gets_the_file,
        },
        Claim {
            says: Words {
                ko: "이름과 NUL을 보내고, 여러 조각으로 온 것을 끝까지 \
                     저장합니다",
                en: "sends the name and its NUL, and saves every piece until \
                     the end",
            },
            check: file_clnt_sends_the_name_and_saves_every_piece,
        },
    ],
};

fn file_clnt_gets_the_file(run: &Run) {
    let content: Vec<u8> = (0..2000u32).map(|i| (i * 37 % 256) as u8).collect();
    let (serv, clnt) = transfer_folders(run, &content);
    let mut server = Program::spawn(&mut in_dir(
        run.partner_command("file_serv", &["0"]),
        &serv,
    ));
    let port = server.tcp_port().to_string();
    let mut client =
        run.spawn(&mut in_dir(run.command(&["127.0.0.1", &port]), &clnt));
    client.write_stdin(b"data.bin\n");
    let out = client.wait_exit();
    let copy = saved_copy(&clnt);
    ensure(
        copy == content && out.status.success(),
        "저장한 파일이 원래 파일과 다릅니다",
        &format!(
            "the file saved ({} bytes) is not the original ({} bytes): {:?}",
            copy.len(),
            content.len(),
            out.status
        ),
    );
    let _ = server.wait_exit();
}

fn file_clnt_sends_the_name_and_saves_every_piece(run: &Run) {
    let (_, clnt) = transfer_folders(run, b"");
    let (listener, port) = listener();
    let mut client = run.spawn(&mut in_dir(
        run.command(&["127.0.0.1", &port.to_string()]),
        &clnt,
    ));
    client.write_stdin(b"data.bin\n");
    let mut peer = accept(&listener);
    let mut name = vec![0u8; 9];
    let read = peer.read_exact(&mut name);
    ensure(
        read.is_ok() && name == b"data.bin\0",
        "이름과 NUL(data.bin\\0)을 보내지 않았습니다",
        &format!("it did not send data.bin\\0: got {name:?} ({read:?})"),
    );
    let pieces: [&[u8]; 3] = [&[7; 30], &[0; 30], b"the end"];
    peer.set_nodelay(true).expect("TCP_NODELAY");
    for piece in pieces {
        peer.write_all(piece).expect("write a piece");
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(peer);
    let out = client.wait_exit();
    let copy = saved_copy(&clnt);
    ensure(
        copy == pieces.concat() && out.status.success(),
        "받은 조각을 모두 저장하지 않았습니다",
        &format!(
            "not every piece was saved: {} of 67 bytes, {:?}",
            copy.len(),
            out.status
        ),
    );
}

//! Day 1's exercises: the four steps of a server, reading a stream byte by
//! byte, opening a file.

use std::io::Write;
use std::time::Duration;

use harness::{accept, connect, listener, read_to_end};

use crate::{Claim, Exercise, Run, Words, ensure, fail};

pub static EXERCISES: &[Exercise] = &[HELLO_SERVER, TCP_CLIENT, LOW_OPEN];

// ---------------------------------------------------------------------------
// hello_server: socket → bind → listen → accept

const HELLO_SERVER: Exercise = Exercise {
    name: "hello_server",
    day: 1,
    task: Words {
        ko: "hello_server의 네 단계(소켓 → 바인드 → 리슨 → 엑셉트)를 쓰세요",
        en: "write hello_server's four steps: socket, bind, listen, accept",
    },
    solution: "hello_server",
    partners: &["hello_client"],
    claims: &[
        Claim {
            says: Words {
                ko: "주어진 포트에서 연결을 기다립니다 (listen)",
                en: "waits for connections on the port it is given (listen)",
            },
            check: hello_server_listens,
        },
        Claim {
            says: Words {
                ko: "hello_client가 Hello World!를 받습니다",
                en: "hello_client gets Hello World!",
            },
            check: hello_server_greets_hello_client,
        },
        Claim {
            says: Words {
                ko: "NUL까지 13바이트를 보내고 연결을 닫습니다",
                en: "sends 13 bytes, the NUL included, and closes",
            },
            check: hello_server_sends_13_bytes_and_closes,
        },
    ],
};

fn hello_server_listens(run: &Run) {
    let mut server = run.start(&["0"]);
    // tcp_port waits until /proc shows a socket of the server in LISTEN.
    let port = server.tcp_port();
    ensure(port != 0, "리슨하는 포트가 없습니다", "no listening port");
}

fn hello_server_greets_hello_client(run: &Run) {
    let mut server = run.start(&["0"]);
    let port = server.tcp_port().to_string();
    let out = run.run_partner("hello_client", &["127.0.0.1", &port], b"");
    ensure(
        out.stdout_text() == "Message from server: Hello World! \n",
        "hello_client가 Hello World!를 받지 못했습니다",
        &format!(
            "hello_client did not get Hello World!: stdout {:?}, stderr {:?}",
            out.stdout_text(),
            out.stderr_text()
        ),
    );
}

fn hello_server_sends_13_bytes_and_closes(run: &Run) {
    let mut server = run.start(&["0"]);
    let mut client = connect(server.tcp_port());
    // read_to_end ends only when the server closes (or times out).
    let got = read_to_end(&mut client);
    ensure(
        got == b"Hello World!\0",
        "받은 바이트가 Hello World!\\0 (13바이트)가 아닙니다",
        &format!("the bytes are not Hello World!\\0 (13 bytes): {got:?}"),
    );
    let out = server.wait_exit();
    ensure(
        out.status.success(),
        "서버가 정상 종료(0)하지 않았습니다",
        &format!("the server did not exit 0: {:?}", out.status),
    );
}

// ---------------------------------------------------------------------------
// tcp_client: one byte per read, and count the reads

const TCP_CLIENT: Exercise = Exercise {
    name: "tcp_client",
    day: 1,
    task: Words {
        ko: "tcp_client가 1바이트씩 끝까지 읽고 read 횟수를 세게 하세요",
        en: "make tcp_client read one byte at a time to the end, counting \
             the reads",
    },
    solution: "tcp_client",
    partners: &["tcp_server"],
    claims: &[
        Claim {
            says: Words {
                ko: "tcp_server가 보낸 Hello World!를 출력합니다",
                en: "prints the Hello World! tcp_server sent",
            },
            check: tcp_client_prints_the_message,
        },
        Claim {
            says: Words {
                ko: "한 번의 write를 read 13번으로 읽었다고 셉니다",
                en: "counts 13 reads for tcp_server's one write",
            },
            check: tcp_client_counts_13_reads,
        },
        Claim {
            says: Words {
                ko: "서버가 세 번에 나눠 보내도 13번입니다: 경계가 없습니다",
                en: "13 too when the server writes three pieces: TCP has no \
                     boundaries",
            },
            check: tcp_client_counts_13_for_three_writes,
        },
    ],
};

const TCP_CLIENT_OUTPUT: &str =
    "Message from server: Hello World! \nFunction read call count: 13 \n";

fn tcp_client_against_tcp_server(run: &Run) -> String {
    let mut server = run.partner("tcp_server", &["0"]);
    let port = server.tcp_port().to_string();
    run.run(&["127.0.0.1", &port], b"").stdout_text()
}

fn tcp_client_prints_the_message(run: &Run) {
    let stdout = tcp_client_against_tcp_server(run);
    ensure(
        stdout.starts_with("Message from server: Hello World! \n"),
        "Hello World!가 출력되지 않았습니다",
        &format!("Hello World! was not printed: {stdout:?}"),
    );
}

fn tcp_client_counts_13_reads(run: &Run) {
    let stdout = tcp_client_against_tcp_server(run);
    ensure(
        stdout == TCP_CLIENT_OUTPUT,
        "read 횟수가 13이 아닙니다",
        &format!(
            "the count is not 13 reads:\nexpected {TCP_CLIENT_OUTPUT:?}\n     \
             got {stdout:?}"
        ),
    );
}

fn tcp_client_counts_13_for_three_writes(run: &Run) {
    let (listener, port) = listener();
    let client = run.start(&["127.0.0.1", &port.to_string()]);
    let mut peer = accept(&listener);
    for piece in [&b"Hel"[..], b"lo World!", b"\0"] {
        if peer.write_all(piece).is_err() {
            break; // the client is gone: its output says why
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    drop(peer);
    let stdout = client.wait_exit().stdout_text();
    ensure(
        stdout == TCP_CLIENT_OUTPUT,
        "세 번에 나눠 보낸 13바이트를 13번으로 세지 않았습니다",
        &format!(
            "three writes of 13 bytes in all were not counted as 13 reads: \
             {stdout:?}"
        ),
    );
}

// ---------------------------------------------------------------------------
// low_open: open with O_CREAT | O_WRONLY | O_TRUNC

const LOW_OPEN: Exercise = Exercise {
    name: "low_open",
    day: 1,
    task: Words {
        ko: "low_open의 open을 쓰세요: 없으면 만들고, 쓰기 전용, 있던 \
             내용은 비웁니다",
        en: "write low_open's open: create if missing, write only, empty \
             what was there",
    },
    solution: "low_open",
    partners: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "data.txt를 만들어 Let's go!\\n과 NUL, 11바이트를 씁니다",
                en: "creates data.txt with Let's go!\\n and a NUL, 11 bytes",
            },
            check: low_open_creates_data_txt,
        },
        Claim {
            says: Words {
                ko: "파일 디스크립터 3을 받습니다: 0, 1, 2 다음의 첫 번호",
                en: "gets file descriptor 3: the first number after 0, 1, 2",
            },
            check: low_open_gets_descriptor_3,
        },
        Claim {
            says: Words {
                ko: "O_TRUNC: 더 긴 data.txt가 있어도 11바이트만 남습니다",
                en: "O_TRUNC: a longer data.txt is left with just the 11 bytes",
            },
            check: low_open_truncates,
        },
    ],
};

const LOW_OPEN_BYTES: &[u8] = b"Let's go!\n\0";

fn assert_data_txt(run: &Run) {
    let data = run
        .read_file("data.txt")
        .unwrap_or_else(|| fail("data.txt가 없습니다", "there is no data.txt"));
    ensure(
        data == LOW_OPEN_BYTES,
        "data.txt가 Let's go!\\n\\0 (11바이트)가 아닙니다",
        &format!("data.txt is not Let's go!\\n\\0 (11 bytes): {data:?}"),
    );
}

fn low_open_creates_data_txt(run: &Run) {
    run.run(&[], b"");
    assert_data_txt(run);
}

fn low_open_gets_descriptor_3(run: &Run) {
    let out = run.run(&[], b"");
    ensure(
        out.stdout_text() == "file descriptor: 3 \n",
        "file descriptor: 3 이 출력되지 않았습니다",
        &format!(
            "it did not print file descriptor: 3: {:?}",
            out.stdout_text()
        ),
    );
}

fn low_open_truncates(run: &Run) {
    let old = vec![b'x'; 100];
    if let Err(err) = std::fs::write(run.dir().join("data.txt"), &old) {
        fail("data.txt를 미리 만들 수 없습니다", &err.to_string());
    }
    run.run(&[], b"");
    assert_data_txt(run);
}

//! Day 1's exercises: the four steps of a server, reading a stream byte by
//! byte, opening a file; and the book's answers of chapters 1 and 2:
//! copying a file with system calls and with stdio, four writes and one
//! read.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::process::Stdio;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use harness::strace::{self, Syscall};
use harness::{accept, connect, listener, read_to_end};

use crate::{Claim, Exercise, Run, Words, ensure, fail};

pub static EXERCISES: &[Exercise] = &[
    HELLO_SERVER,
    TCP_CLIENT,
    LOW_OPEN,
    LOW_CPY,
    ANSI_CPY,
    TCP_SERV,
    TCP_CLNT,
];

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
    tools: &[],
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
            check: greets_hello_client,
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

/// Shared by every hello server exercise (hello_server, hello_itrserv):
/// the real hello_client prints the greeting the server sent.
pub(crate) fn greets_hello_client(run: &Run) {
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
    tools: &[],
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
    tools: &[],
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

// ---------------------------------------------------------------------------
// low_cpy and ansi_cpy (chapter 1, question 7): copy src.dat to dst.dat

/// The claims low_cpy and ansi_cpy share: the copy is byte-exact.
const COPIES_1037_BYTES: Claim = Claim {
    says: Words {
        ko: "1037바이트 이진 파일을 바이트 그대로 복사합니다",
        en: "copies a binary file of 1037 bytes byte for byte",
    },
    check: copy_1037_bytes,
};

const COPIES_300_BYTES_AND_AN_EMPTY_FILE: Claim = Claim {
    says: Words {
        ko: "300바이트(버퍼의 배수)와 빈 파일도 그대로 복사합니다",
        en: "copies 300 bytes (a multiple of the buffer) and an empty file \
             whole",
    },
    check: copy_300_bytes_and_an_empty_file,
};

const LOW_CPY: Exercise = Exercise {
    name: "low_cpy",
    day: 1,
    task: Words {
        ko: "low_cpy가 read와 write로 src.dat를 dst.dat에 복사하게 하세요 \
             (버퍼 100바이트)",
        en: "make low_cpy copy src.dat to dst.dat with read and write \
             (a 100-byte buffer)",
    },
    solution: "low_cpy",
    partners: &[],
    tools: &["strace"],
    claims: &[
        COPIES_1037_BYTES,
        COPIES_300_BYTES_AND_AN_EMPTY_FILE,
        Claim {
            says: Words {
                ko: "100바이트마다 read 한 번: 1000바이트에 read 11번 \
                     (마지막은 0), write 10번",
                en: "one read per 100 bytes: 1000 bytes take 11 reads (the \
                     last returns 0) and 10 writes",
            },
            check: low_cpy_reads_100_bytes_a_time,
        },
    ],
};

const ANSI_CPY: Exercise = Exercise {
    name: "ansi_cpy",
    day: 1,
    task: Words {
        ko: "ansi_cpy가 fread와 fwrite로 src.dat를 dst.dat에 복사하게 \
             하세요 (버퍼 30바이트)",
        en: "make ansi_cpy copy src.dat to dst.dat with fread and fwrite \
             (a 30-byte buffer)",
    },
    solution: "ansi_cpy",
    partners: &[],
    tools: &["strace"],
    claims: &[
        COPIES_1037_BYTES,
        COPIES_300_BYTES_AND_AN_EMPTY_FILE,
        Claim {
            says: Words {
                ko: "stdio 버퍼 덕분에 3000바이트에 read와 write가 몇 \
                     번뿐입니다 (30바이트씩이면 100번)",
                en: "thanks to the stdio buffers, 3000 bytes take only a few \
                     reads and writes (100 each, 30 bytes at a time)",
            },
            check: ansi_cpy_buffers_its_reads_and_writes,
        },
    ],
};

/// `len` bytes that are not text: every value from 0 to 255 comes up.
fn binary_bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 151 % 256) as u8).collect()
}

/// Writes `src.dat` with `content`, runs the copy, and checks `dst.dat`.
fn assert_copies(run: &Run, content: &[u8]) {
    if let Err(err) = std::fs::write(run.dir().join("src.dat"), content) {
        fail("src.dat를 만들 수 없습니다", &err.to_string());
    }
    let out = run.run(&[], b"");
    let copy = run.read_file("dst.dat").unwrap_or_else(|| {
        fail(
            "dst.dat가 없습니다",
            &format!("there is no dst.dat: stderr {:?}", out.stderr_text()),
        )
    });
    ensure(
        copy == content && out.status.success(),
        "dst.dat가 src.dat와 다릅니다",
        &format!(
            "dst.dat ({} bytes) is not src.dat ({} bytes), or the copy \
             failed: {:?}",
            copy.len(),
            content.len(),
            out.status
        ),
    );
}

fn copy_1037_bytes(run: &Run) {
    assert_copies(run, &binary_bytes(1037));
}

fn copy_300_bytes_and_an_empty_file(run: &Run) {
    assert_copies(run, &binary_bytes(300));
    assert_copies(run, b"");
}

/// Runs the copy of `len` bytes under strace; the reads of src.dat and
/// the writes to dst.dat, each with its result.
fn traced_copy(run: &Run, len: usize) -> (Vec<Syscall>, Vec<Syscall>) {
    let content = binary_bytes(len);
    if let Err(err) = std::fs::write(run.dir().join("src.dat"), &content) {
        fail("src.dat를 만들 수 없습니다", &err.to_string());
    }
    let trace_file = run.dir().join("trace");
    let calls = ["open", "openat", "read", "write"];
    let out = run.spawn(&mut run.strace_command(&trace_file, &calls, &[]));
    let out = out.wait_exit();
    ensure(
        out.status.success() && run.read_file("dst.dat") == Some(content),
        "복사가 끝나지 않았습니다",
        &format!("the copy did not succeed: {:?}", out.status),
    );
    let trace = std::fs::read_to_string(&trace_file).unwrap_or_default();
    let calls = strace::parse(&trace);
    // Where each file is opened, and its fd: only the calls after that
    // count (the dynamic loader reads its libraries with the same fd
    // numbers before main).
    let open_of = |name: &str| {
        calls
            .iter()
            .position(|c| c.name.starts_with("open") && c.args.contains(name))
            .and_then(|at| Some((at, calls[at].result_value()?)))
    };
    let (Some(src), Some(dst)) =
        (open_of("\"src.dat\""), open_of("\"dst.dat\""))
    else {
        fail(
            "src.dat와 dst.dat를 여는 open이 없습니다",
            &format!("no open of src.dat and dst.dat in the trace:\n{trace}"),
        )
    };
    let on = |name: &str, (at, fd): (usize, i64)| -> Vec<Syscall> {
        calls[at..]
            .iter()
            .filter(|c| c.name == name && c.fd_arg().map(i64::from) == Some(fd))
            .cloned()
            .collect()
    };
    (on("read", src), on("write", dst))
}

fn low_cpy_reads_100_bytes_a_time(run: &Run) {
    let (reads, writes) = traced_copy(run, 1000);
    let read_sizes: Vec<i64> =
        reads.iter().filter_map(Syscall::result_value).collect();
    let mut expected = vec![100; 10];
    expected.push(0);
    ensure(
        read_sizes == expected && writes.len() == 10,
        "100바이트씩 읽고 쓰지 않았습니다",
        &format!(
            "not 100 bytes per read(2): the reads of src.dat returned \
             {read_sizes:?}, and {} write(2)s went to dst.dat",
            writes.len()
        ),
    );
}

fn ansi_cpy_buffers_its_reads_and_writes(run: &Run) {
    let (reads, writes) = traced_copy(run, 3000);
    ensure(
        (1..=3).contains(&reads.len()) && (1..=2).contains(&writes.len()),
        "stdio 버퍼를 거치지 않고 읽고 썼습니다",
        &format!(
            "3000 bytes took {} read(2)s and {} write(2)s: the 30-byte \
             pieces did not go through the 4096-byte buffers",
            reads.len(),
            writes.len()
        ),
    );
}

// ---------------------------------------------------------------------------
// tcp_serv and tcp_clnt (chapter 2, question 6): four writes, one read

const TCP_SERV: Exercise = Exercise {
    name: "tcp_serv",
    day: 1,
    task: Words {
        ko: "tcp_serv가 Hello World!\\0을 네 번(4, 4, 4, 1바이트)에 나눠 \
             쓰게 하세요",
        en: "make tcp_serv write Hello World!\\0 in four writes of 4, 4, 4 \
             and 1 bytes",
    },
    solution: "tcp_serv",
    partners: &[],
    tools: &["strace"],
    claims: &[
        Claim {
            says: Words {
                ko: "클라이언트가 Hello World!\\0 13바이트를 받고 연결이 \
                     끝납니다",
                en: "a client gets the 13 bytes Hello World!\\0, then the \
                     end of the stream",
            },
            check: tcp_serv_sends_13_bytes,
        },
        Claim {
            says: Words {
                ko: "write 네 번으로 보냅니다: 4, 4, 4, 1바이트 (strace)",
                en: "sends them in four writes of 4, 4, 4 and 1 bytes \
                     (strace)",
            },
            check: tcp_serv_writes_four_pieces,
        },
    ],
};

fn tcp_serv_sends_13_bytes(run: &Run) {
    let mut server = run.start(&["0"]);
    let mut client = connect(server.tcp_port());
    let got = read_to_end(&mut client);
    ensure(
        got == b"Hello World!\0",
        "받은 바이트가 Hello World!\\0이 아닙니다",
        &format!("the bytes are not Hello World!\\0: {got:?}"),
    );
}

fn tcp_serv_writes_four_pieces(run: &Run) {
    let trace_file = run.dir().join("trace");
    let calls = ["accept", "accept4", "write"];
    let mut server =
        run.spawn(&mut run.strace_command(&trace_file, &calls, &["0"]));
    let mut client = connect(server.tcp_port());
    let got = read_to_end(&mut client);
    server.wait_exit();
    let trace = std::fs::read_to_string(&trace_file).unwrap_or_default();
    let calls = strace::parse(&trace);
    let clnt_sock = calls
        .iter()
        .find(|c| c.name == "accept")
        .and_then(Syscall::result_value);
    let sizes: Vec<i64> = calls
        .iter()
        .filter(|c| c.name == "write" && c.fd_arg().map(i64::from) == clnt_sock)
        .filter_map(Syscall::result_value)
        .collect();
    ensure(
        got == b"Hello World!\0" && sizes == [4, 4, 4, 1],
        "write 네 번(4, 4, 4, 1바이트)으로 보내지 않았습니다",
        &format!(
            "not four writes of 4, 4, 4 and 1 bytes: the writes to the \
             client returned {sizes:?}, the client got {got:?}"
        ),
    );
}

const TCP_CLNT: Exercise = Exercise {
    name: "tcp_clnt",
    day: 1,
    task: Words {
        ko: "tcp_clnt가 네 번에 나눠 온 13바이트를 read 한 번으로 받게 \
             하세요",
        en: "make tcp_clnt take the 13 bytes of four writes with one read",
    },
    solution: "tcp_clnt",
    partners: &["tcp_serv"],
    tools: &["strace"],
    claims: &[
        Claim {
            says: Words {
                ko: "Wait time 100줄 다음에 tcp_serv의 Hello World!를 \
                     출력합니다",
                en: "prints 100 Wait time lines, then tcp_serv's Hello World!",
            },
            check: tcp_clnt_prints_the_message,
        },
        Claim {
            says: Words {
                ko: "소켓에서 read를 한 번만 불러 13바이트를 다 받습니다 \
                     (strace)",
                en: "calls read on the socket once, and it returns all 13 \
                     bytes (strace)",
            },
            check: tcp_clnt_reads_once,
        },
    ],
};

fn tcp_clnt_transcript() -> String {
    let waits: String = (0..100).map(|i| format!("Wait time {i} \n")).collect();
    waits + "Message from server: Hello World! \n"
}

/// A pipe for a program's standard output, filled before the program
/// starts: its first line blocks until [`HeldStdout::release`] drains the
/// pipe. So tcp_clnt's busy wait lasts until all four writes are in.
struct HeldStdout {
    read_end: File,
    filler: usize,
}

fn held_stdout() -> (HeldStdout, Stdio) {
    use nix::fcntl::{FcntlArg, OFlag, fcntl};
    // O_CLOEXEC: no other program started meanwhile may inherit an end
    // (a write end left open elsewhere would keep the pipe from ending).
    let (read_end, write_end): (OwnedFd, OwnedFd) =
        nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe");
    fcntl(&write_end, FcntlArg::F_SETFL(OFlag::O_NONBLOCK)).expect("fcntl");
    let mut filler = 0;
    while let Ok(n) = nix::unistd::write(&write_end, &[b'.'; 4096]) {
        filler += n;
    }
    fcntl(&write_end, FcntlArg::F_SETFL(OFlag::empty())).expect("fcntl");
    let held = HeldStdout {
        read_end: File::from(read_end),
        filler,
    };
    (held, Stdio::from(write_end))
}

impl HeldStdout {
    /// Drains the pipe; the thread returns what the program printed.
    fn release(mut self) -> JoinHandle<Vec<u8>> {
        thread::spawn(move || {
            let mut all = Vec::new();
            let _ = self.read_end.read_to_end(&mut all);
            all.split_off(self.filler.min(all.len()))
        })
    }
}

/// Runs the client (`command`) against tcp_serv with its stdout held until
/// tcp_serv has written and closed; what the client printed.
fn tcp_clnt_against_tcp_serv(
    run: &Run,
    command: impl FnOnce(&str) -> std::process::Command,
) -> String {
    let mut server = run.partner("tcp_serv", &["0"]);
    let port = server.tcp_port().to_string();
    let (held, stdout) = held_stdout();
    let mut command = command(&port);
    let client = run.spawn_with_stdout(&mut command, Some(stdout));
    drop(command); // our copy of the pipe's write end
    server.wait_exit(); // all four writes are sent, and the FIN
    thread::sleep(Duration::from_millis(50)); // and on loopback, arrived
    let printed = held.release();
    let out = client.wait_exit();
    let printed = printed.join().unwrap_or_default();
    ensure(
        out.status.success(),
        "tcp_clnt가 정상 종료하지 않았습니다",
        &format!(
            "tcp_clnt did not exit 0: {:?}, stderr {:?}",
            out.status,
            out.stderr_text()
        ),
    );
    String::from_utf8_lossy(&printed).into_owned()
}

fn tcp_clnt_prints_the_message(run: &Run) {
    let printed = tcp_clnt_against_tcp_serv(run, |port| {
        run.command(&["127.0.0.1", port])
    });
    let expected = tcp_clnt_transcript();
    ensure(
        printed == expected,
        "Wait time 100줄과 Hello World!가 그대로 출력되지 않았습니다",
        &format!(
            "not the 100 Wait time lines and Hello World!: the end of what \
             it printed is {:?}",
            &printed[printed.len().saturating_sub(80)..]
        ),
    );
}

fn tcp_clnt_reads_once(run: &Run) {
    let trace_file = run.dir().join("trace");
    let calls = ["socket", "read"];
    tcp_clnt_against_tcp_serv(run, |port| {
        run.strace_command(&trace_file, &calls, &["127.0.0.1", port])
    });
    let trace = std::fs::read_to_string(&trace_file).unwrap_or_default();
    let calls = strace::parse(&trace);
    // The reads of the socket: after the socket call (before it, the
    // dynamic loader reads its libraries with the same fd number).
    let at = calls
        .iter()
        .position(|c| c.name == "socket" && c.args.starts_with("AF_INET"))
        .unwrap_or(calls.len());
    let sock = calls.get(at).and_then(Syscall::result_value);
    let reads: Vec<i64> = calls[at..]
        .iter()
        .filter(|c| c.name == "read" && c.fd_arg().map(i64::from) == sock)
        .filter_map(Syscall::result_value)
        .collect();
    ensure(
        reads == [13],
        "소켓에서 read 한 번으로 13바이트를 받지 않았습니다",
        &format!("the reads of the socket returned {reads:?}, not [13]"),
    );
}

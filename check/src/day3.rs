//! Day 3's exercises: a timeout for UDP, SO_REUSEADDR, reaping every
//! child; and the book's answers of chapters 6 and 10: a turn-taking UDP
//! chat, descriptors after fork, a question on Ctrl+C.

use std::io::Write;
use std::net::{SocketAddr, UdpSocket};
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

use harness::procfs::{self, Proto, TCP_TIME_WAIT};
use harness::{TIMEOUT, connect, read_exact, read_to_end, udp_socket};

use crate::{Claim, Exercise, Run, Started, Words, ensure, fail};

pub static EXERCISES: &[Exercise] = &[
    UECHO_TIMEOUT,
    REUSEADDR_ON,
    REAP_ALL,
    UCHAT_SERVER,
    UCHAT_CLIENT,
    FORK_FDNUM,
    CTRL_HANDLER,
];

// ---------------------------------------------------------------------------
// uecho_timeout: SO_RCVTIMEO, and go on after a lost datagram

const UECHO_TIMEOUT: Exercise = Exercise {
    name: "uecho_timeout",
    day: 3,
    task: Words {
        ko: "uecho_client가 잃어버린 데이터그램을 2초만 기다리게 하세요 \
             (SO_RCVTIMEO)",
        en: "make uecho_client wait only 2 s for a lost datagram \
             (SO_RCVTIMEO)",
    },
    solution: "solution_uecho_timeout",
    partners: &["uecho_server"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "uecho_server와는 uecho_client처럼 주고받습니다",
                en: "talks to uecho_server as uecho_client does",
            },
            check: uecho_timeout_talks_to_uecho_server,
        },
        Claim {
            says: Words {
                ko: "답이 오지 않으면 2초쯤 뒤에 포기하고 다음 메시지를 \
                     보냅니다",
                en: "with no echo, gives up after about 2 s and sends the \
                     next message",
            },
            check: uecho_timeout_gives_up_and_goes_on,
        },
    ],
};

const UECHO_PROMPT: &str = "Insert message(q to quit): ";

fn uecho_timeout_talks_to_uecho_server(run: &Run) {
    let mut server = run.partner("uecho_server", &["0"]);
    let port = server.udp_port().to_string();
    let out = run.run(&["127.0.0.1", &port], b"Hi UDP\nagain\nq\n");
    let expected = format!(
        "{UECHO_PROMPT}Message from server: Hi UDP\n\
         {UECHO_PROMPT}Message from server: again\n{UECHO_PROMPT}"
    );
    ensure(
        out.stdout_text() == expected,
        "uecho_server의 답이 그대로 출력되지 않았습니다",
        &format!(
            "uecho_server's echoes were not printed as they came:\n\
             expected {expected:?}\n     got {:?}, stderr {:?}",
            out.stdout_text(),
            out.stderr_text()
        ),
    );
}

fn uecho_timeout_gives_up_and_goes_on(run: &Run) {
    // A "server" that loses the first message: it reads it and never
    // answers; the second one it echoes.
    let (server, port) = udp_socket();
    let mut client = run.start(&["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"lost\nagain\nq\n");
    let mut buf = [0u8; 64];
    let (n, _) = receive_while_running(&server, &mut client, &mut buf)
        .unwrap_or_else(|| {
            fail(
                "첫 메시지가 오지 않았습니다",
                "the first message never came",
            )
        });
    assert_eq!(&buf[..n], b"lost\n");
    let lost_at = Instant::now();
    let (n, from) = receive_while_running(&server, &mut client, &mut buf)
        .unwrap_or_else(|| {
            fail(
                "답을 기다리다 멈춰서 다음 메시지를 보내지 않았습니다",
                &format!(
                    "it waited on, and never sent the next message within \
                     {TIMEOUT:?}"
                ),
            )
        });
    let waited = lost_at.elapsed();
    ensure(
        &buf[..n] == b"again\n",
        "두 번째 메시지가 again이 아닙니다",
        &format!("the second message is not again: {:?}", &buf[..n]),
    );
    ensure(
        (Duration::from_millis(1500)..Duration::from_secs(5)).contains(&waited),
        "2초쯤 기다리지 않았습니다",
        &format!("it waited {waited:?} for the lost echo, not about 2 s"),
    );
    server
        .send_to(b"again\n", from)
        .expect("echo the second message");
    let out = client.wait_exit();
    ensure(
        out.status.success()
            && out.stdout_text().contains("Message from server: again\n"),
        "포기한 뒤의 메시지는 답을 받아 출력해야 합니다",
        &format!(
            "the message after the lost one was not echoed and printed: \
             {:?}, stdout {:?}",
            out.status,
            out.stdout_text()
        ),
    );
}

/// A datagram on `socket`, waiting up to [`TIMEOUT`] while `client`
/// runs; `None` if none came. A client that ended fails the claim at once.
fn receive_while_running(
    socket: &UdpSocket,
    client: &mut Started,
    buf: &mut [u8],
) -> Option<(usize, SocketAddr)> {
    socket
        .set_read_timeout(Some(Duration::from_millis(50)))
        .expect("read timeout");
    let deadline = Instant::now() + TIMEOUT;
    while Instant::now() < deadline {
        if let Ok(received) = socket.recv_from(buf) {
            return Some(received);
        }
        if client.has_exited() {
            fail(
                "클라이언트가 끝나 버렸습니다",
                &format!(
                    "the client ended: stderr {:?}",
                    String::from_utf8_lossy(&client.stderr_so_far())
                ),
            );
        }
    }
    None
}

// ---------------------------------------------------------------------------
// reuseaddr_on: SO_REUSEADDR before bind

const REUSEADDR_ON: Exercise = Exercise {
    name: "reuseaddr_on",
    day: 3,
    task: Words {
        ko: "reuseadr_eserver의 SO_REUSEADDR를 켜서 TIME_WAIT 중에도 \
             다시 시작되게 하세요",
        en: "switch SO_REUSEADDR on in reuseadr_eserver, so it restarts \
             during TIME_WAIT",
    },
    solution: "solution_reuseaddr_on",
    partners: &[],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "클라이언트가 보낸 것을 돌려주고 화면에도 출력합니다",
                en: "echoes what the client sends, and prints it",
            },
            check: reuseaddr_on_echoes,
        },
        Claim {
            says: Words {
                ko: "서버가 먼저 닫은 뒤(TIME_WAIT) 같은 포트로 바로 다시 \
                     시작합니다",
                en: "after the server closed first (TIME_WAIT), it starts \
                     again on the same port at once",
            },
            check: reuseaddr_on_restarts_during_time_wait,
        },
    ],
};

fn reuseaddr_on_echoes(run: &Run) {
    let mut server = run.start(&["0"]);
    let mut client = connect(server.tcp_port());
    client.write_all(b"hello").expect("write hello");
    ensure(
        read_exact(&mut client, 5) == b"hello",
        "echo가 돌아오지 않았습니다",
        "the echo did not come back",
    );
    drop(client);
    let out = server.wait_exit();
    ensure(
        out.stdout == b"hello" && out.status.success(),
        "받은 것을 출력하고 정상 종료해야 합니다",
        &format!(
            "it should print what it got and exit 0: {:?}, stdout {:?}",
            out.status,
            out.stdout_text()
        ),
    );
}

/// Waits until `server` listens on `port` or exits; fails if it exits.
fn wait_listening(server: &mut Started, port: u16) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if procfs::bound_port(server.pid(), Proto::Tcp) == Some(port) {
            return;
        }
        if server.has_exited() {
            std::thread::sleep(Duration::from_millis(50));
            fail(
                "같은 포트로 다시 시작하지 못했습니다 (bind 실패)",
                &format!(
                    "it could not start again on the same port (bind \
                     failed): {:?}",
                    String::from_utf8_lossy(&server.stderr_so_far())
                ),
            );
        }
        ensure(
            Instant::now() < deadline,
            "다시 시작한 서버가 리슨하지 않습니다",
            "the restarted server does not listen",
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn reuseaddr_on_restarts_during_time_wait(run: &Run) {
    // The first run: a client, then Ctrl+C, so the server closes first.
    let mut first = run.start(&["0"]);
    let port = first.tcp_port();
    let mut client = connect(port);
    client.write_all(b"hello").expect("write hello");
    assert_eq!(read_exact(&mut client, 5), b"hello");
    first.signal(libc::SIGINT);
    let out = first.wait_exit();
    assert_eq!(out.status.signal(), Some(libc::SIGINT), "{out:?}");
    assert_eq!(read_to_end(&mut client), b"");
    drop(client);
    harness::wait_until("the server's old connection is in TIME_WAIT", || {
        procfs::sockets(Proto::Tcp)
            .iter()
            .any(|s| s.local_port == port && s.state == TCP_TIME_WAIT)
    });

    // The restart, on the port the old connection still holds.
    let mut second = run.start(&[&port.to_string()]);
    wait_listening(&mut second, port);
}

// ---------------------------------------------------------------------------
// reap_all: a SIGCHLD handler that reaps every child

const REAP_ALL: Exercise = Exercise {
    name: "reap_all",
    day: 3,
    task: Words {
        ko: "SIGCHLD 핸들러가 시그널이 합쳐져도 자식을 모두 거두게 하세요",
        en: "make the SIGCHLD handler reap every child, even when signals \
             merge",
    },
    solution: "remove_zombie",
    partners: &[],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "두 자식을 모두 거두고 12와 24를 출력합니다",
                en: "reaps both children and prints 12 and 24",
            },
            check: reap_all_reaps_both_children,
        },
        Claim {
            says: Words {
                ko: "두 SIGCHLD가 하나로 합쳐져도 부모가 일하는 동안 좀비가 \
                     남지 않습니다",
                en: "leaves no zombie while the parent works, even when the \
                     two SIGCHLDs merge into one",
            },
            check: reap_all_leaves_no_zombie,
        },
    ],
};

/// The pids after `Child proc id: ` in remove_zombie's output.
fn child_pids(stdout: &str) -> Vec<u32> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("Child proc id: "))
        .filter_map(|pid| pid.trim().parse().ok())
        .collect()
}

fn reap_all_reaps_both_children(run: &Run) {
    let out = run.start(&[]).wait_exit();
    let stdout = out.stdout_text();
    let pids = child_pids(&stdout);
    ensure(
        pids.len() == 2,
        "자식 두 개의 pid가 출력되지 않았습니다",
        &format!("the two children's pids were not printed: {stdout:?}"),
    );
    for (pid, code) in pids.iter().zip([12, 24]) {
        let removed = format!("Removed proc id: {pid} \nChild send: {code} \n");
        ensure(
            stdout.contains(&removed),
            "거두지 못한 자식이 있습니다",
            &format!("child {pid} (exit {code}) was not reaped: {stdout:?}"),
        );
    }
}

fn reap_all_leaves_no_zombie(run: &Run) {
    // Slower than the other checks' scale, so the parent's loop (5 × 5 s,
    // here 5 × 0.25 s) goes on well after the children (10 s, here 0.5 s).
    let mut command = run.command(&[]);
    command.env("TCPIP_SLEEP_SCALE", "0.05");
    let mut parent = run.spawn(&mut command);
    let pids = loop {
        let pids =
            child_pids(&String::from_utf8_lossy(&parent.stdout_so_far()));
        if pids.len() == 2 {
            break pids;
        }
        ensure(
            !parent.has_exited(),
            "자식 두 개를 만들지 않았습니다",
            "it did not fork two children",
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    // Make the signals merge, every time: the parent is stopped while both
    // children end, so their two SIGCHLDs become one pending signal, and
    // the handler runs once when the parent goes on.
    parent.signal(libc::SIGSTOP);
    harness::wait_until("both children have ended", || {
        pids.iter()
            .all(|&pid| procfs::stat(pid).is_none_or(|stat| stat.state == 'Z'))
    });
    parent.signal(libc::SIGCONT);
    std::thread::sleep(Duration::from_millis(150));
    ensure(
        !parent.has_exited(),
        "부모가 일을 마치기 전에 끝났습니다",
        "the parent ended before its work was done",
    );
    let zombies: Vec<u32> = pids
        .iter()
        .copied()
        .filter(|&pid| procfs::stat(pid).is_some_and(|s| s.state == 'Z'))
        .collect();
    ensure(
        zombies.is_empty(),
        "시그널이 합쳐지자 좀비가 남았습니다",
        &format!(
            "when the two SIGCHLDs merged into one, zombies were left while \
             the parent works: {zombies:?} (is waitpid called until no \
             child is left?)"
        ),
    );
    parent.wait_exit();
}

// ---------------------------------------------------------------------------
// uchat_server and uchat_client (chapter 6, question 7): a turn-taking
// UDP chat

const UCHAT_PROMPT: &str = "Insert message(q to quit): ";

/// The real pair: the client says `from client`, the server answers
/// `from server`, then the client quits. What each printed (the server,
/// left waiting for the next datagram, is killed to read all of it).
fn uchat_pair(run: &Run, server_is_tested: bool) -> (String, String) {
    let server_input = b"from server\nq\n";
    let client_input = b"from client\nq\n";
    if server_is_tested {
        let mut server = run.start(&["0"]);
        server.write_stdin(server_input);
        let port = server.udp_port().to_string();
        let client = run.run_partner(
            "uchat_client",
            &["127.0.0.1", &port],
            client_input,
        );
        (server.kill().stdout_text(), client.stdout_text())
    } else {
        let mut server = run.partner("uchat_server", &["0"]);
        server.write_stdin(server_input);
        let port = server.udp_port().to_string();
        let client = run.run(&["127.0.0.1", &port], client_input);
        (server.kill().stdout_text(), client.stdout_text())
    }
}

fn assert_uchat_turns(run: &Run, server_is_tested: bool) {
    let (server_out, client_out) = uchat_pair(run, server_is_tested);
    let server_expected =
        format!("Message from client: from client\n{UCHAT_PROMPT}");
    let client_expected = format!(
        "{UCHAT_PROMPT}Message from server: from server\n{UCHAT_PROMPT}"
    );
    ensure(
        server_out == server_expected && client_out == client_expected,
        "번갈아 한 줄씩 주고받지 않았습니다",
        &format!(
            "the two did not take turns, a line each:\nserver printed \
             {server_out:?}\nclient printed {client_out:?}"
        ),
    );
}

const UCHAT_SERVER: Exercise = Exercise {
    name: "uchat_server",
    day: 3,
    task: Words {
        ko: "uchat_server가 클라이언트의 데이터그램을 받고, 보낸 주소로 \
             답하게 하세요",
        en: "make uchat_server receive the client's datagram and answer \
             the address it came from",
    },
    solution: "uchat_server",
    partners: &["uchat_client"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "uchat_client와 번갈아 한 줄씩 주고받습니다",
                en: "takes turns with uchat_client, a line each",
            },
            check: uchat_server_takes_turns,
        },
        Claim {
            says: Words {
                ko: "데이터그램을 보낸 주소로 답합니다: 두 클라이언트가 \
                     각자 제 답을 받습니다",
                en: "answers the address each datagram came from: two clients \
                     each get their own answer",
            },
            check: uchat_server_answers_the_sender,
        },
    ],
};

fn uchat_server_takes_turns(run: &Run) {
    assert_uchat_turns(run, true);
}

fn uchat_server_answers_the_sender(run: &Run) {
    let mut server = run.start(&["0"]);
    server.write_stdin(b"to a\nto b\n");
    let port = server.udp_port();
    let mut buf = [0u8; 64];
    for (name, answer) in [("a", &b"to a\n"[..]), ("b", b"to b\n")] {
        let (client, _) = udp_socket();
        client
            .send_to(format!("{name}\n").as_bytes(), ("127.0.0.1", port))
            .expect("send");
        let (n, _) = receive_while_running(&client, &mut server, &mut buf)
            .unwrap_or_else(|| {
                fail(
                    "클라이언트가 답을 받지 못했습니다",
                    &format!("client {name} got no answer"),
                )
            });
        ensure(
            &buf[..n] == answer,
            "다른 클라이언트의 답을 받았습니다",
            &format!("client {name} got {:?}", &buf[..n]),
        );
    }
}

const UCHAT_CLIENT: Exercise = Exercise {
    name: "uchat_client",
    day: 3,
    task: Words {
        ko: "uchat_client가 한 줄을 서버에 보내고, 서버의 답을 기다려 \
             출력하게 하세요",
        en: "make uchat_client send a line to the server, then wait for the \
             server's answer and print it",
    },
    solution: "uchat_client",
    partners: &["uchat_server"],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "uchat_server와 번갈아 한 줄씩 주고받습니다",
                en: "takes turns with uchat_server, a line each",
            },
            check: uchat_client_takes_turns,
        },
        Claim {
            says: Words {
                ko: "답이 오기 전에는 다음 줄을 보내지 않습니다",
                en: "sends no next line before the answer has come",
            },
            check: uchat_client_waits_for_its_turn,
        },
    ],
};

fn uchat_client_takes_turns(run: &Run) {
    assert_uchat_turns(run, false);
}

fn uchat_client_waits_for_its_turn(run: &Run) {
    let (server, port) = udp_socket();
    let mut client = run.start(&["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"one\ntwo\nq\n");
    let mut buf = [0u8; 64];
    let (n, from) = receive_while_running(&server, &mut client, &mut buf)
        .unwrap_or_else(|| {
            fail("첫 줄이 오지 않았습니다", "the first line never came")
        });
    assert_eq!(&buf[..n], b"one\n");
    // Its turn is over: nothing more may come until we answer.
    server
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("read timeout");
    let early = server.recv_from(&mut buf).ok();
    ensure(
        early.is_none(),
        "답을 받기 전에 다음 줄을 보냈습니다",
        "it sent the next line before the answer came",
    );
    server.send_to(b"r1\n", from).expect("answer");
    let (n, from) = receive_while_running(&server, &mut client, &mut buf)
        .unwrap_or_else(|| {
            fail("둘째 줄이 오지 않았습니다", "the second line never came")
        });
    assert_eq!(&buf[..n], b"two\n");
    server.send_to(b"r2\n", from).expect("answer");
    let out = client.wait_exit();
    let expected = format!(
        "{UCHAT_PROMPT}Message from server: r1\n{UCHAT_PROMPT}Message from \
         server: r2\n{UCHAT_PROMPT}"
    );
    ensure(
        out.stdout_text() == expected,
        "서버의 답을 그대로 출력하지 않았습니다",
        &format!(
            "the answers were not printed as they came: {:?}",
            out.stdout_text()
        ),
    );
}

// ---------------------------------------------------------------------------
// fork_fdnum (chapter 10, question 3): the same descriptor after fork

const FORK_FDNUM: Exercise = Exercise {
    name: "fork_fdnum",
    day: 3,
    task: Words {
        ko: "fork_fdnum이 fork해서, 부모와 자식이 각자 소켓의 번호를 \
             출력하게 하세요",
        en: "make fork_fdnum fork, so parent and child each print the \
             socket's number",
    },
    solution: "fork_fdnum",
    partners: &[],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "부모와 자식이 한 줄씩 출력합니다",
                en: "the parent and the child print a line each",
            },
            check: fork_fdnum_prints_two_lines,
        },
        Claim {
            says: Words {
                ko: "두 줄의 소켓 번호가 같습니다: 자식은 부모의 디스크립터를 \
                     같은 번호로 받습니다",
                en: "both lines show the same number: the child has the \
                     parent's descriptor under its number",
            },
            check: fork_fdnum_numbers_are_equal,
        },
    ],
};

/// The numbers after `Parent sock fd: [` and `Child sock fd: [`.
fn fd_numbers(run: &Run) -> (Option<u32>, Option<u32>, String) {
    let out = run.start(&[]).wait_exit();
    let stdout = out.stdout_text();
    let number = |prefix: &str| {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .and_then(|rest| rest.strip_suffix("] "))
            .and_then(|n| n.parse().ok())
    };
    let parent = number("Parent sock fd: [");
    let child = number("Child sock fd: [");
    (parent, child, stdout)
}

fn fork_fdnum_prints_two_lines(run: &Run) {
    let (parent, child, stdout) = fd_numbers(run);
    ensure(
        parent.is_some() && child.is_some() && stdout.lines().count() == 2,
        "부모와 자식의 줄이 하나씩 있지 않습니다",
        &format!("not one line of the parent and one of the child: {stdout:?}"),
    );
}

fn fork_fdnum_numbers_are_equal(run: &Run) {
    let (parent, child, stdout) = fd_numbers(run);
    ensure(
        parent.is_some() && parent == child,
        "부모와 자식의 소켓 번호가 같지 않습니다",
        &format!("the parent's and the child's numbers differ: {stdout:?}"),
    );
}

// ---------------------------------------------------------------------------
// ctrl_handler (chapter 10, question 5): Ctrl+C asks before it ends

const CTRL_HANDLER: Exercise = Exercise {
    name: "ctrl_handler",
    day: 3,
    task: Words {
        ko: "Ctrl+C를 누르면 끝낼지 묻게 하세요: 핸들러는 기록만 하고, \
             묻는 일은 핸들러 밖에서 합니다",
        en: "make Ctrl+C ask whether to end: the handler only records it, \
             the question is asked outside the handler",
    },
    solution: "ctrl_handler",
    partners: &[],
    tools: &[],
    claims: &[
        Claim {
            says: Words {
                ko: "Have a nice day~를 계속 출력합니다",
                en: "keeps printing Have a nice day~",
            },
            check: ctrl_handler_keeps_printing,
        },
        Claim {
            says: Words {
                ko: "Ctrl+C에 Do you want exit(Y to exit)?라고 묻고, n이면 \
                     계속합니다",
                en: "Ctrl+C asks Do you want exit(Y to exit)?, and n goes on",
            },
            check: ctrl_handler_asks_and_goes_on,
        },
        Claim {
            says: Words {
                ko: "Y라고 답하면 끝납니다 (종료 코드 1)",
                en: "answering Y ends it (exit status 1)",
            },
            check: ctrl_handler_ends_on_y,
        },
    ],
};

const QUESTION: &str = "Do you want exit(Y to exit)? ";
const NICE_DAY: &str = "Have a nice day~\n";

fn nice_days(text: &str) -> usize {
    text.matches(NICE_DAY).count()
}

fn ctrl_handler_keeps_printing(run: &Run) {
    let mut program = run.start(&[]);
    harness::wait_until("three Have a nice day~ lines", || {
        nice_days(&String::from_utf8_lossy(&program.stdout_so_far())) >= 3
            || program.has_exited()
    });
    let stdout = String::from_utf8_lossy(&program.stdout_so_far()).into_owned();
    ensure(
        nice_days(&stdout) >= 3,
        "Have a nice day~를 계속 출력하지 않았습니다",
        &format!("it did not keep printing Have a nice day~: {stdout:?}"),
    );
}

/// Starts the program, waits for its first line, sends SIGINT (Ctrl+C)
/// and waits for the question.
fn asked<'a>(run: &'a Run<'a>) -> Started<'a> {
    let mut program = run.start(&[]);
    program.wait_for_stdout(NICE_DAY);
    program.signal(libc::SIGINT);
    harness::wait_until("the question, or the end", || {
        String::from_utf8_lossy(&program.stdout_so_far()).contains(QUESTION)
            || program.has_exited()
    });
    let stdout = String::from_utf8_lossy(&program.stdout_so_far()).into_owned();
    ensure(
        stdout.contains(QUESTION),
        "Ctrl+C에 끝낼지 묻지 않았습니다",
        &format!("Ctrl+C did not ask whether to end: {stdout:?}"),
    );
    program
}

fn ctrl_handler_asks_and_goes_on(run: &Run) {
    let mut program = asked(run);
    program.write_stdin(b"n\n");
    let before = String::from_utf8_lossy(&program.stdout_so_far()).len();
    harness::wait_until("more lines after the answer", || {
        let stdout =
            String::from_utf8_lossy(&program.stdout_so_far()).into_owned();
        nice_days(&stdout[before.min(stdout.len())..]) >= 2
            || program.has_exited()
    });
    ensure(
        !program.has_exited(),
        "n이라고 답했는데 끝났습니다",
        "it ended although the answer was n",
    );
}

fn ctrl_handler_ends_on_y(run: &Run) {
    let mut program = asked(run);
    program.write_stdin(b"Y\n");
    let out = program.wait_exit();
    ensure(
        out.status.code() == Some(1),
        "Y라고 답했는데 종료 코드 1로 끝나지 않았습니다",
        &format!(
            "the answer Y did not end it with status 1: {:?}",
            out.status
        ),
    );
}

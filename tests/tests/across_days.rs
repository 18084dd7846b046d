//! The course's arc, across days: the clients of day 2 talk to the
//! servers of day 3 and the reverse (an echo is an echo, whoever serves
//! it), and the one thing that changes from day 2's iterative server to
//! day 3's multi-process server is that a second client no longer waits.

use std::thread;
use std::time::Duration;

use harness::{Program, bin};

/// Starts an echo client (`echo_client2`) on `port` and has it send one
/// line; returns it once the echo came back, still connected.
fn connected_client(port: u16, line: &str) -> Program {
    let mut client =
        Program::start(&bin("echo_client2"), &["127.0.0.1", &port.to_string()]);
    client.write_stdin(line.as_bytes());
    client
}

/// Has `client` printed the echo of `line` within a short while?
fn echoed_soon(client: &Program, line: &str) -> bool {
    let wanted = format!("Message from server: {line}");
    for _ in 0..60 {
        if String::from_utf8_lossy(&client.stdout_so_far()).contains(&wanted) {
            return true;
        }
        thread::sleep(Duration::from_millis(10));
    }
    false
}

/// Day 2's echo_server serves one client at a time: the second client is
/// connected but gets its echo only after the first leaves. Day 3's
/// echo_mpserv forks a process per client: the second is served at once.
/// Same clients, same bytes, only the server changed.
#[test]
fn a_second_client_waits_on_the_iterative_server_but_not_on_the_multiprocess_one()
 {
    for (server_name, second_waits) in
        [("echo_server", true), ("echo_mpserv", false)]
    {
        let mut server = Program::start(&bin(server_name), &["0"]);
        let port = server.tcp_port();

        let mut first = connected_client(port, "first\n");
        first.wait_for_stdout("Message from server: first\n");

        let mut second = connected_client(port, "second\n");
        assert_eq!(
            echoed_soon(&second, "second\n"),
            !second_waits,
            "{server_name}: was the second client served while the first stayed?"
        );

        // The first client quits: now every server has served the second.
        first.write_stdin(b"Q\n");
        assert_eq!(first.wait_exit().code(), 0);
        second.wait_for_stdout("Message from server: second\n");
        second.write_stdin(b"Q\n");
        assert_eq!(second.wait_exit().code(), 0);
        drop(server);
    }
}

/// Day 3's echo_mpclient (a reader process and a writer process) gets
/// every byte back from day 2's iterative echo_server, and day 2's
/// echo_client2 gets the same transcript from day 3's echo_mpserv as from
/// day 2's own server.
#[test]
fn clients_and_servers_of_days_2_and_3_talk_to_each_other() {
    let lines = "hello\nsocket programming\n";

    let mut server = Program::start(&bin("echo_server"), &["0"]);
    let port = server.tcp_port().to_string();
    let mut client =
        Program::start(&bin("echo_mpclient"), &["127.0.0.1", &port]);
    client.write_stdin(lines.as_bytes());
    client.write_stdin(b"q\n");
    let out = client.wait_exit();
    assert_eq!(out.code(), 0);
    let echoed = out.stdout_text().replace("Message from server: ", "");
    assert_eq!(echoed, lines, "every byte comes back, in order");
    drop(server);

    let mut transcripts = Vec::new();
    for server_name in ["echo_server", "echo_mpserv"] {
        let mut server = Program::start(&bin(server_name), &["0"]);
        let port = server.tcp_port().to_string();
        let mut client =
            Program::start(&bin("echo_client2"), &["127.0.0.1", &port]);
        client.write_stdin(lines.as_bytes());
        client.write_stdin(b"Q\n");
        let out = client.wait_exit();
        assert_eq!(out.code(), 0, "against {server_name}");
        transcripts.push(out.stdout_text());
        drop(server);
    }
    let prompt = "Input message(Q to quit): ";
    let expected = format!(
        "Connected...........\n{prompt}Message from server: hello\n\
         {prompt}Message from server: socket programming\n{prompt}"
    );
    assert_eq!(transcripts, [expected.clone(), expected]);
}

/// `cargo run --bin sockaddr_layout | head -1`: once the reader is gone,
/// a C program is ended quietly by SIGPIPE. The twins are too (they give
/// SIGPIPE its default back; Rust starts with it ignored, and `println!`
/// would panic). Here stdout is a pipe whose read end is already closed.
#[test]
fn a_closed_stdout_ends_a_printing_program_quietly_as_in_c() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, Stdio};

    let dir = harness::TempDir::new("closed_stdout");
    std::fs::write(dir.file("data.txt"), b"Let's go!\n\0").unwrap(); // for low_read
    for (name, args) in harness::bins::PRINTING_ALONE {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader); // nobody will ever read: the first write hits EPIPE
        let program = Program::spawn_with_stdout(
            Command::new(bin(name))
                .args(*args)
                .current_dir(dir.path())
                .env("TCPIP_SLEEP_SCALE", harness::FAST),
            Some(Stdio::from(writer)),
        );
        let out = program.wait_exit();
        let stderr = out.stderr_text();
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        assert_eq!(
            out.status.signal(),
            Some(libc::SIGPIPE),
            "{name}: {:?}, stderr {stderr:?}",
            out.status
        );
    }
}

//! A failing standard output is an error, never a panic (issue 9, item 1).
//!
//! `cargo run --bin fork > /dev/full`: every write to `/dev/full` fails
//! with ENOSPC. A C program ignores `printf`'s result; Rust's `println!`
//! panics ("failed printing to stdout", exit 101). Every twin that prints
//! must instead say `write to stdout error: <reason>` on stderr and exit 1.
//! This suite runs **every** bin that prints, each with what it needs to
//! reach its first line (a partner, a datagram, a client), with stdout on
//! `/dev/full`.

use std::fs::File;
use std::io::Write;
use std::process::{Command, Stdio};

use harness::{Output, Program, TempDir, bin};

/// What every such run must show.
const STDOUT_ERROR: &str =
    "write to stdout error: No space left on device (os error 28)\n";

/// Starts `name` with `args` in `dir`, stdout on `/dev/full`, the knob
/// at FAST.
fn start_on_dev_full(dir: &TempDir, name: &str, args: &[&str]) -> Program {
    let full = File::options()
        .write(true)
        .open("/dev/full")
        .expect("open /dev/full");
    Program::spawn_with_stdout(
        Command::new(bin(name))
            .args(args)
            .current_dir(dir.path())
            .env("TCPIP_SLEEP_SCALE", harness::FAST),
        Some(Stdio::from(full)),
    )
}

/// The claim, for one program's output.
fn assert_reports_stdout_error(name: &str, out: &Output) {
    let stderr = out.stderr_text();
    assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
    assert_eq!(out.status.code(), Some(1), "{name}: stderr {stderr:?}");
    assert!(
        stderr.starts_with(STDOUT_ERROR),
        "{name}: stderr should start with {STDOUT_ERROR:?}, got {stderr:?}"
    );
}

/// Clients that print before any reply, beside the programs that print
/// alone (`harness::bins::PRINTING_ALONE`).
const CLIENTS_BEFORE_ANY_REPLY: &[(&str, &[&str])] = &[
    // Clients whose first line ("Connected...", a prompt) comes before
    // any reply: a listener that never answers is enough.
    ("echo_client", &["127.0.0.1", "PORT"]),
    ("echo_client2", &["127.0.0.1", "PORT"]),
    ("op_client", &["127.0.0.1", "PORT"]),
    ("uecho_client", &["127.0.0.1", "PORT"]),
    ("uecho_con_client", &["127.0.0.1", "PORT"]),
    // The answer programs that print before any reply.
    ("tcp_clnt", &["127.0.0.1", "PORT"]),
    ("file_clnt", &["127.0.0.1", "PORT"]),
    ("uchat_client", &["127.0.0.1", "PORT"]),
];

#[test]
fn a_program_that_prints_alone_reports_a_full_stdout_and_exits_1() {
    let dir = TempDir::new("dev_full_alone");
    std::fs::write(dir.file("data.txt"), b"Let's go!\n\0").unwrap();
    let (_tcp, tcp_port) = harness::listener();
    let (_udp, udp_port) = harness::udp_socket();
    for (name, args) in harness::bins::PRINTING_ALONE
        .iter()
        .chain(CLIENTS_BEFORE_ANY_REPLY)
    {
        let port = if name.starts_with('u') {
            udp_port
        } else {
            tcp_port
        };
        let port = port.to_string();
        let args: Vec<&str> = args
            .iter()
            .map(|&arg| if arg == "PORT" { port.as_str() } else { arg })
            .collect();
        let out = start_on_dev_full(&dir, name, &args).wait_exit();
        assert_reports_stdout_error(name, &out);
    }
}

/// A client whose first line is the server's reply: the real partner
/// serves it.
#[test]
fn a_client_that_prints_a_reply_reports_a_full_stdout_and_exits_1() {
    let dir = TempDir::new("dev_full_clients");
    for (server, client) in [
        ("hello_server", "hello_client"),
        ("tcp_server", "tcp_client"),
        ("echo_server", "echo_mpclient"),
        ("file_server", "file_client"),
        ("sendrecv_serv", "recvsend_clnt"),
    ] {
        let mut server_program = Program::start(&bin(server), &["0"]);
        let port = server_program.tcp_port().to_string();
        let mut program =
            start_on_dev_full(&dir, client, &["127.0.0.1", &port]);
        if client == "echo_mpclient" {
            program.write_stdin(b"hello\n");
        }
        let out = program.wait_exit();
        assert_reports_stdout_error(client, &out);
        drop(server_program);
    }
}

/// A server whose first line comes with a client (or a datagram).
#[test]
fn a_server_that_prints_reports_a_full_stdout_and_exits_1() {
    let dir = TempDir::new("dev_full_servers");
    for name in ["echo_server", "echo_mpserv", "reuseadr_eserver"] {
        let mut server = start_on_dev_full(&dir, name, &["0"]);
        let mut client = harness::connect(server.tcp_port());
        client.write_all(b"hello\n").expect("send a line");
        harness::wait_until(&format!("{name} exits"), || server.has_exited());
        let out = server.wait_exit();
        assert_reports_stdout_error(name, &out);
    }

    // file_server prints the client's "Thank you" after the transfer.
    let mut server = start_on_dev_full(&dir, "file_server", &["0"]);
    let port = server.tcp_port().to_string();
    let client =
        harness::run_in(dir.path(), &bin("file_client"), &["127.0.0.1", &port]);
    assert_eq!(client.code(), 0, "{}", client.stderr_text());
    let out = server.wait_exit();
    assert_reports_stdout_error("file_server", &out);

    // uchat_server prints the client's datagram.
    let mut chat = start_on_dev_full(&dir, "uchat_server", &["0"]);
    let port = chat.udp_port();
    let (sender, _) = harness::udp_socket();
    sender
        .send_to(b"hello\n", ("127.0.0.1", port))
        .expect("send a datagram");
    let out = chat.wait_exit();
    assert_reports_stdout_error("uchat_server", &out);

    // bound_host1 prints each datagram it receives.
    let mut receiver = start_on_dev_full(&dir, "bound_host1", &["0"]);
    let port = receiver.udp_port();
    let (sender, _) = harness::udp_socket();
    sender
        .send_to(b"Hi!\0", ("127.0.0.1", port))
        .expect("send a datagram");
    let out = receiver.wait_exit();
    assert_reports_stdout_error("bound_host1", &out);
}

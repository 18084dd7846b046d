//! udp_relay: a lossy network between real UDP programs on 127.0.0.1.
//! Each test starts the relay with port 0, learns its port from the first
//! line it prints, and plays client or server with its own sockets (or
//! with the day 3 twins, found with `harness::bin`).

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::thread;
use std::time::Duration;

use harness::{Program, procfs, udp_socket, wait_until};

const RELAY: &str = env!("CARGO_BIN_EXE_udp_relay");

/// How long a test waits to be sure that nothing more arrives.
const QUIET: Duration = Duration::from_millis(300);

/// Starts the relay in front of the UDP server on `server_port`, and
/// returns it with the port it listens on (from its first line).
fn start_relay(server_port: u16, options: &[&str]) -> (Program, u16) {
    let port = server_port.to_string();
    let mut args = vec!["0", "127.0.0.1", &port, "--for", "20"];
    args.extend_from_slice(options);
    let mut relay = Program::start(RELAY, &args);
    let first = relay.wait_for_stdout("→ server");
    let listen_port = first
        .strip_prefix("udp_relay: port ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port on the first line: {first:?}"));
    (relay, listen_port)
}

fn relay_addr(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// Receives one datagram, or `None` if nothing comes within [`QUIET`].
fn recv_within_quiet(socket: &UdpSocket) -> Option<(Vec<u8>, SocketAddr)> {
    socket.set_read_timeout(Some(QUIET)).expect("read timeout");
    let mut buf = vec![0u8; 65_536];
    let got = socket.recv_from(&mut buf).ok();
    socket
        .set_read_timeout(Some(harness::TIMEOUT))
        .expect("read timeout");
    got.map(|(n, from)| (buf[..n].to_vec(), from))
}

/// Datagram `i` of a test's traffic: `i` bytes, each of value `i % 251`,
/// so a datagram that arrives tells its size and its content in one look.
fn datagram(i: usize) -> Vec<u8> {
    vec![(i % 251) as u8; i]
}

/// The fate lines (`#7 client 1→server 14 B dropped`) of a relay run.
fn fate_lines(relay: &Program) -> Vec<String> {
    String::from_utf8_lossy(&relay.stdout_so_far())
        .lines()
        .filter(|line| line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Sends 40 datagrams of different sizes through a relay that drops,
/// duplicates and reorders; returns its fate lines and what the server
/// received.
fn lossy_run(seed: &str) -> (Vec<String>, Vec<Vec<u8>>) {
    let (server, server_port) = udp_socket();
    let options = [
        "--drop",
        "0.3",
        "--dup",
        "0.3",
        "--reorder",
        "0.3",
        "--seed",
        seed,
    ];
    let (relay, port) = start_relay(server_port, &options);
    let (client, _) = udp_socket();
    let sizes: Vec<usize> = (1..=40).map(|i| i * 37).collect();
    for &size in &sizes {
        client
            .send_to(&datagram(size), relay_addr(port))
            .expect("send");
    }
    wait_until("the relay decided all 40 fates", || {
        fate_lines(&relay)
            .iter()
            .any(|line| line.starts_with("#40 "))
    });
    let mut received = Vec::new();
    while let Some((bytes, _)) = recv_within_quiet(&server) {
        received.push(bytes);
    }
    // A datagram held back last goes out "late": its line comes at a
    // time that depends on the clock, not on the seed.
    let fates = fate_lines(&relay)
        .into_iter()
        .filter(|line| !line.contains("sent late"))
        .collect();
    drop(relay);
    (fates, received)
}

/// The same seed gives the same fates to the same traffic; another seed
/// gives others.
#[test]
fn the_same_seed_gives_the_same_fates() {
    let (first, _) = lossy_run("12");
    let (again, _) = lossy_run("12");
    let (other, _) = lossy_run("13");
    assert_eq!(first.len(), again.len());
    assert_eq!(first, again, "seed 12 twice gave different fates");
    assert_ne!(first, other, "seeds 12 and 13 gave the same fates");
    for fate in ["dropped", "sent twice", "held back", "sent"] {
        assert!(
            first.iter().any(|line| line.contains(fate)),
            "no datagram was {fate:?} in: {first:#?}"
        );
    }
}

/// Lost, doubled or late, every datagram that arrives is one whole
/// datagram that was sent: UDP keeps boundaries.
#[test]
fn every_datagram_that_arrives_keeps_its_boundary() {
    let (fates, received) = lossy_run("5");
    assert!(!received.is_empty(), "nothing arrived: {fates:#?}");
    for bytes in &received {
        assert_eq!(bytes.len() % 37, 0, "a size never sent: {}", bytes.len());
        assert_eq!(*bytes, datagram(bytes.len()), "not one whole datagram");
    }
    let lost = fates.iter().filter(|l| l.ends_with("dropped")).count();
    let doubled = fates.iter().filter(|l| l.contains("twice")).count();
    assert_eq!(received.len(), 40 - lost + doubled, "{fates:#?}");
}

/// --drop 1.0: a uecho_client through the relay sends its line and then
/// waits in recvfrom for a reply that never comes (the C flaw the course
/// keeps: no timeout, no resend).
#[test]
fn drop_all_leaves_uecho_client_blocked() {
    let mut server = Program::start(&harness::bin("uecho_server"), &["0"]);
    let server_port = server.udp_port();
    let (relay, port) = start_relay(server_port, &["--drop", "1.0"]);
    let port = port.to_string();
    let mut client =
        Program::start(&harness::bin("uecho_client"), &["127.0.0.1", &port]);
    client.write_stdin(b"hello\n");
    wait_until("the relay dropped the line", || {
        fate_lines(&relay).iter().any(|l| l.ends_with("dropped"))
    });
    thread::sleep(QUIET);
    let in_recvfrom = procfs::blocked_in_syscall(client.pid())
        .is_none_or(|call| call == libc::SYS_recvfrom);
    assert!(!client.has_exited(), "the client gave up by itself");
    assert!(in_recvfrom, "the client is not waiting in recvfrom");
    let out = client.kill();
    assert!(
        !out.stdout_text().contains("Message from server"),
        "a reply came through a relay that drops everything"
    );
}

/// --dup 1.0: one datagram sent, two received, in each direction.
#[test]
fn dup_all_gives_two_of_each() {
    let (server, server_port) = udp_socket();
    let (relay, port) = start_relay(server_port, &["--dup", "1.0"]);
    let (client, _) = udp_socket();
    client.send_to(b"ping", relay_addr(port)).expect("send");
    let mut buf = [0u8; 64];
    let (n, upstream) = server.recv_from(&mut buf).expect("first copy");
    assert_eq!(&buf[..n], b"ping");
    let (n, again) = server.recv_from(&mut buf).expect("second copy");
    assert_eq!((&buf[..n], again), (&b"ping"[..], upstream));
    assert_eq!(recv_within_quiet(&server), None, "a third copy");

    server.send_to(b"pong", upstream).expect("reply");
    for copy in ["first", "second"] {
        let (n, from) = client.recv_from(&mut buf).expect(copy);
        assert_eq!((&buf[..n], from), (&b"pong"[..], relay_addr(port)));
    }
    assert_eq!(recv_within_quiet(&client), None, "a third reply");
    drop(relay);
}

/// --reorder 1.0: each datagram is held until the next overtakes it, so
/// 1 2 3 4 arrive as 2 1 4 3.
#[test]
fn reorder_delivers_out_of_order() {
    let (server, server_port) = udp_socket();
    let (relay, port) = start_relay(server_port, &["--reorder", "1.0"]);
    let (client, _) = udp_socket();
    for message in [b"1", b"2", b"3", b"4"] {
        client.send_to(message, relay_addr(port)).expect("send");
    }
    let mut order = Vec::new();
    let mut buf = [0u8; 8];
    for _ in 0..4 {
        let (n, _) = server.recv_from(&mut buf).expect("a datagram");
        order.extend_from_slice(&buf[..n]);
    }
    assert_eq!(order, b"2143");
    // Each line is printed before its datagram is sent, but the harness
    // reads the pipe in its own thread: wait for it to catch up.
    wait_until("the relay's fate lines are read", || {
        fate_lines(&relay).len() >= 3
    });
    let fates = fate_lines(&relay);
    assert!(fates[0].ends_with("held back"), "{fates:#?}");
    assert!(fates[1].ends_with("sent (overtakes #1)"), "{fates:#?}");
    assert!(fates[2].ends_with("sent after #2"), "{fates:#?}");
}

/// --delay: every datagram leaves at least that long after it came.
#[test]
fn delay_holds_each_datagram() {
    let (server, server_port) = udp_socket();
    let (_relay, port) = start_relay(server_port, &["--delay", "150"]);
    let (client, _) = udp_socket();
    let sent = std::time::Instant::now();
    client.send_to(b"slow", relay_addr(port)).expect("send");
    let mut buf = [0u8; 8];
    let (n, _) = server.recv_from(&mut buf).expect("the datagram");
    assert_eq!(&buf[..n], b"slow");
    assert!(sent.elapsed() >= Duration::from_millis(150));
}

/// Bad input: a clear message and exit 1; --help shows an example.
#[test]
fn bad_arguments_are_refused_and_help_shows_an_example() {
    let out = harness::run(RELAY, &["0", "127.0.0.1", "9", "--drop", "2"], b"");
    out.assert_clean_failure();
    assert!(out.stderr_text().contains("not a probability"));
    let out = harness::run(RELAY, &["0", "localhost", "9"], b"");
    out.assert_clean_failure();
    let help = harness::run(RELAY, &["--help"], b"");
    assert_eq!(help.code(), 0);
    assert!(help.stdout_text().contains("--seed 7"), "no example");
}

/// Without --seed the relay picks one and prints it, so a scene worth
/// showing again can be replayed with it.
#[test]
fn a_seed_not_given_is_printed() {
    let (_server, server_port) = udp_socket();
    let (mut relay, _) = start_relay(server_port, &[]);
    let text = relay.wait_for_stdout(" ms\n");
    let seed = text
        .lines()
        .nth(1)
        .and_then(|line| line.strip_prefix("seed "))
        .and_then(|rest| rest.split(' ').next())
        .map(|seed| seed.parse::<u64>());
    assert!(matches!(seed, Some(Ok(_))), "no seed on line 2: {text:?}");
}

//! uecho_server, uecho_client, bound_host1, bound_host2 and
//! uecho_con_client: UDP as letters in a mailbox. One socket serves every
//! client, the first sendto gives the client its address, datagrams keep
//! their boundaries (and their exact bytes), a lost reply blocks the
//! unconnected client, and a connected socket uses write/read.

use std::net::{SocketAddr, UdpSocket};
use std::os::unix::process::ExitStatusExt;
use std::thread;
use std::time::Duration;

use harness::bad_args;
use harness::{Program, procfs, run, strace, udp_socket, wait_until};

const SERVER: &str = env!("CARGO_BIN_EXE_uecho_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_uecho_client");
const CON_CLIENT: &str = env!("CARGO_BIN_EXE_uecho_con_client");
const HOST1: &str = env!("CARGO_BIN_EXE_bound_host1");
const HOST2: &str = env!("CARGO_BIN_EXE_bound_host2");

const PROMPT: &str = "Insert message(q to quit): ";

/// Receives one datagram (under the socket's timeout): its bytes and sender.
fn recv_datagram(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = [0u8; 2048];
    let (n, from) = socket
        .recv_from(&mut buf)
        .unwrap_or_else(|err| panic!("no datagram came: {err}"));
    (buf[..n].to_vec(), from)
}

/// The `/proc/net/udp` lines of the sockets `pid` holds, as (local port,
/// bytes waiting in the receive queue).
fn udp_sockets_of(pid: u32) -> Vec<(u16, u64)> {
    let inodes = procfs::socket_inodes(pid);
    let text = std::fs::read_to_string("/proc/net/udp").unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let inode: u64 = cols.get(9)?.parse().ok()?;
            if !inodes.contains(&inode) {
                return None;
            }
            let port =
                u16::from_str_radix(cols.get(1)?.rsplit(':').next()?, 16)
                    .ok()?;
            let rx = u64::from_str_radix(cols.get(4)?.split(':').nth(1)?, 16)
                .ok()?;
            Some((port, rx))
        })
        .collect()
}

/// Two clients on two ports, their datagrams interleaved: each gets its
/// own back, and the server holds a single socket for all of them.
#[test]
fn one_socket_serves_every_client() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.udp_port();
    let (alice, _) = udp_socket();
    let (bob, _) = udp_socket();
    for round in 0..3 {
        let to_alice = format!("alice {round}\n");
        let to_bob = format!("bob {round}\n");
        alice
            .send_to(to_alice.as_bytes(), ("127.0.0.1", port))
            .unwrap();
        bob.send_to(to_bob.as_bytes(), ("127.0.0.1", port)).unwrap();
        let (got, from) = recv_datagram(&alice);
        assert_eq!(got, to_alice.as_bytes());
        assert_eq!(from.port(), port);
        assert_eq!(recv_datagram(&bob).0, to_bob.as_bytes());
    }
    assert_eq!(procfs::socket_inodes(server.pid()).len(), 1);
    assert_eq!(server.stdout_so_far(), b"");
    // It serves until killed, like the C loop `while(1)`.
    assert!(!server.has_exited());
}

/// Each datagram comes back whole and alone; one longer than BUF_SIZE
/// (30) comes back cut to 30 bytes, the rest is lost.
#[test]
fn uecho_server_keeps_boundaries_and_cuts_at_30_bytes() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.udp_port();
    let (peer, _) = udp_socket();
    for piece in [&b"ab"[..], b"cdefg", b"\xff\x00\xfe"] {
        peer.send_to(piece, ("127.0.0.1", port)).unwrap();
    }
    assert_eq!(recv_datagram(&peer).0, b"ab");
    assert_eq!(recv_datagram(&peer).0, b"cdefg");
    assert_eq!(recv_datagram(&peer).0, b"\xff\x00\xfe");
    let forty: Vec<u8> = (b'a'..=b'z').chain(b'A'..=b'N').collect();
    peer.send_to(&forty, ("127.0.0.1", port)).unwrap();
    assert_eq!(recv_datagram(&peer).0, &forty[..30]);
}

/// The Rust client and server talk as the C pair does: whole transcript.
#[test]
fn uecho_client_and_server_talk() {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.udp_port().to_string();
    for client in [CLIENT, CON_CLIENT] {
        let out =
            run(client, &["127.0.0.1", &port], b"Hi UDP\nsecond line\nq\n");
        assert_eq!(
            out.stdout_text(),
            format!(
                "{PROMPT}Message from server: Hi UDP\n\
                 {PROMPT}Message from server: second line\n{PROMPT}"
            )
        );
        assert_eq!(out.code(), 0);
        // End of input quits like q.
        let out = run(client, &["127.0.0.1", &port], b"last\n");
        assert_eq!(
            out.stdout_text(),
            format!("{PROMPT}Message from server: last\n{PROMPT}")
        );
        assert_eq!(out.code(), 0);
    }
}

/// Like `fgets` into 30 bytes: a 40-byte line leaves as a 29-byte and an
/// 11-byte datagram, and each reply is printed after its own prompt.
#[test]
fn a_long_line_goes_out_as_29_byte_datagrams() {
    for client in [CLIENT, CON_CLIENT] {
        let (peer, port) = udp_socket();
        let mut program =
            Program::start(client, &["127.0.0.1", &port.to_string()]);
        let line = b"0123456789abcdefghijklmnopqrstuvwxyzABC\n";
        program.write_stdin(line);
        let mut got = Vec::new();
        for _ in 0..2 {
            let (datagram, from) = recv_datagram(&peer);
            peer.send_to(&datagram, from).unwrap();
            got.push(datagram);
        }
        assert_eq!(got, [&line[..29], &line[29..]]);
        program.write_stdin(b"Q\n");
        let out = program.wait_exit();
        assert_eq!(
            out.stdout_text(),
            format!(
                "{PROMPT}Message from server: 0123456789abcdefghijklmnopqrs\
                 {PROMPT}Message from server: tuvwxyzABC\n{PROMPT}"
            )
        );
    }
}

/// The replies' buffer: uecho_client's `recvfrom` takes up to BUF_SIZE
/// (30) bytes, uecho_con_client's `read` only `sizeof(message)-1` (29).
/// A 30-byte reply loses its last byte in the connected client, and that
/// byte is gone for good: the next read starts with the next datagram.
#[test]
fn a_30_byte_reply_is_read_whole_by_uecho_client_and_as_29_by_uecho_con_client()
{
    let reply: &[u8] = b"0123456789abcdefghijklmnopqrs\n";
    assert_eq!(reply.len(), 30);
    for (client, shown) in [(CLIENT, reply), (CON_CLIENT, &reply[..29])] {
        let (peer, port) = udp_socket();
        let mut program =
            Program::start(client, &["127.0.0.1", &port.to_string()]);
        program.write_stdin(b"first\n");
        let (datagram, from) = recv_datagram(&peer);
        assert_eq!(datagram, b"first\n");
        peer.send_to(reply, from).unwrap();
        program.write_stdin(b"second\n");
        let (datagram, from) = recv_datagram(&peer);
        assert_eq!(datagram, b"second\n");
        peer.send_to(b"ok\n", from).unwrap();
        program.write_stdin(b"q\n");
        let out = program.wait_exit();
        let mut expected =
            format!("{PROMPT}Message from server: ").into_bytes();
        expected.extend_from_slice(shown);
        expected.extend_from_slice(
            format!("{PROMPT}Message from server: ok\n{PROMPT}").as_bytes(),
        );
        assert_eq!(
            out.stdout_text(),
            String::from_utf8(expected).unwrap(),
            "{client}"
        );
        assert_eq!(out.code(), 0);
    }
}

/// No bind in the client: until the first sendto its socket has no
/// address at all (the kernel does not even list it in /proc/net/udp);
/// sendto gives it the port the datagram then comes from.
#[test]
fn sendto_assigns_the_client_address() {
    let (peer, port) = udp_socket();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    client.wait_for_stdout(PROMPT);
    assert_eq!(procfs::socket_inodes(client.pid()).len(), 1, "one socket");
    assert_eq!(udp_sockets_of(client.pid()), [], "no address before sendto");
    client.write_stdin(b"first\n");
    let (datagram, from) = recv_datagram(&peer);
    assert_eq!(datagram, b"first\n");
    assert_ne!(from.port(), 0);
    let ports: Vec<u16> =
        udp_sockets_of(client.pid()).iter().map(|s| s.0).collect();
    assert_eq!(ports, [from.port()], "after sendto");
    // The second letter leaves from the same address.
    peer.send_to(b"first\n", from).unwrap();
    client.write_stdin(b"second\n");
    assert_eq!(recv_datagram(&peer).1, from);
}

/// The lost datagram: a server that never answers leaves the C client,
/// and its twin, blocked in recvfrom for good. No ACK, no resend; not
/// even the end of its input wakes it. The guard has to kill it.
#[test]
fn uecho_client_blocks_forever_when_no_reply_comes() {
    let (peer, port) = udp_socket();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"hello?\n");
    assert_eq!(recv_datagram(&peer).0, b"hello?\n"); // it left; no answer
    // /proc/<pid>/syscall names the call it sleeps in; where the kernel
    // hides that file (no ptrace rights), the sleeping state must do.
    let syscall_visible =
        std::fs::read_to_string(format!("/proc/{}/syscall", client.pid()))
            .is_ok();
    let in_recvfrom = |pid: u32| {
        if syscall_visible {
            procfs::blocked_in_syscall(pid) == Some(libc::SYS_recvfrom)
        } else {
            procfs::stat(pid).is_some_and(|s| s.state == 'S')
        }
    };
    wait_until("the client is blocked in recvfrom", || {
        in_recvfrom(client.pid())
    });
    client.close_stdin();
    thread::sleep(Duration::from_millis(500));
    assert!(!client.has_exited(), "the client gave up by itself");
    assert!(in_recvfrom(client.pid()), "no longer in recvfrom");
    let out = client.kill();
    assert_eq!(out.status.signal(), Some(libc::SIGKILL));
    assert_eq!(out.stdout_text(), PROMPT);
}

/// What the calls of one client run were on the UDP socket, from a
/// `strace -f` trace: the socket's fd, and the names in order.
fn udp_socket_calls(client: &str, tag: &str) -> Vec<String> {
    let dir = std::env::temp_dir()
        .join(format!("udp_strace_{}_{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trace_file = dir.join("trace");
    let calls = [
        "socket", "connect", "sendto", "recvfrom", "sendmsg", "recvmsg",
        "write", "read",
    ];
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.udp_port().to_string();
    let mut program = Program::spawn(&mut strace::command(
        &trace_file,
        &calls,
        client,
        &["127.0.0.1", &port],
    ));
    program.write_stdin(b"one\ntwo\nq\n");
    let out = program.wait_exit();
    assert_eq!(
        out.stdout_text(),
        format!(
            "{PROMPT}Message from server: one\n{PROMPT}Message from server: two\n{PROMPT}"
        )
    );
    let trace = std::fs::read_to_string(&trace_file).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let calls = strace::parse(&trace);
    let start = calls
        .iter()
        .position(|c| c.name == "socket" && c.args.contains("SOCK_DGRAM"))
        .unwrap_or_else(|| {
            panic!("no socket(..., SOCK_DGRAM, ...) in:\n{trace}")
        });
    let sock = calls[start].result_value().unwrap() as i32;
    calls[start + 1..]
        .iter()
        .filter(|c| c.fd_arg() == Some(sock))
        .map(|c| c.name.clone())
        .collect()
}

/// The unconnected client writes the address on every letter: sendto and
/// recvfrom for each line, and never connect.
#[test]
fn uecho_client_uses_sendto_and_recvfrom() {
    if !harness::require_tool("strace") {
        return;
    }
    let names = udp_socket_calls(CLIENT, "unconnected");
    assert_eq!(names, ["sendto", "recvfrom", "sendto", "recvfrom"]);
}

/// The connected client: connect once, then plain write and read, with no
/// sendto or recvfrom at all.
#[test]
fn uecho_con_client_connects_once_then_writes_and_reads() {
    if !harness::require_tool("strace") {
        return;
    }
    let names = udp_socket_calls(CON_CLIENT, "connected");
    assert_eq!(names, ["connect", "write", "read", "write", "read"]);
}

/// Only a connected UDP socket hears the ICMP "port unreachable": where
/// nobody listens, uecho_con_client's read fails with Connection refused
/// (C would write at message[-1]).
#[test]
fn connected_udp_socket_learns_that_nobody_listens() {
    // Hold port P on 127.0.0.1 so no other test takes it; 127.0.0.2:P then
    // has no socket at all, and the kernel answers with ICMP.
    let (_held, port) = udp_socket();
    let out = run(CON_CLIENT, &["127.0.0.2", &port.to_string()], b"anyone?\n");
    out.assert_clean_failure();
    assert!(
        out.stderr_text()
            .starts_with("read() error: Connection refused"),
        "{}",
        out.stderr_text()
    );
    assert_eq!(out.stdout_text(), PROMPT);
}

/// The three datagrams are all queued before the first recvfrom (the
/// receiver is stopped while they arrive), and still come out as three
/// receives: UDP keeps the boundaries the sender made.
#[test]
fn three_sends_are_three_receives_even_when_all_are_queued() {
    let mut host1 = Program::start_fast(HOST1, &["0"]);
    let port = host1.udp_port();
    host1.signal(libc::SIGSTOP);
    wait_until("bound_host1 is stopped", || {
        procfs::stat(host1.pid()).is_some_and(|s| s.state == 'T')
    });
    let (sender, _) = udp_socket();
    for msg in [
        &b"Hi!\0"[..],
        b"I'm another UDP host!\0",
        b"Nice to meet you\0",
    ] {
        sender.send_to(msg, ("127.0.0.1", port)).unwrap();
    }
    // Loopback delivers through the kernel's softirq, which may run a
    // moment later on a busy machine: wait for the queue, not a fixed time.
    assert_eq!(udp_sockets_of(host1.pid()).len(), 1);
    wait_until("the datagrams wait in bound_host1's queue", || {
        udp_sockets_of(host1.pid()).iter().any(|&(_, rx)| rx > 0)
    });
    assert_eq!(
        host1.stdout_so_far(),
        b"",
        "received before all were queued"
    );
    host1.signal(libc::SIGCONT);
    let out = host1.wait_exit();
    assert_eq!(
        out.stdout_text(),
        "Message 1: Hi! \nMessage 2: I'm another UDP host! \nMessage 3: Nice to meet you \n"
    );
    assert_eq!(out.code(), 0);
}

/// bound_host2 sends exactly the C's `sizeof` bytes, NULs included:
/// 4, 22 and 17 bytes, three datagrams from one socket.
#[test]
fn bound_host2_sends_4_22_and_17_bytes() {
    let (peer, port) = udp_socket();
    let out = run(HOST2, &["127.0.0.1", &port.to_string()], b"");
    assert_eq!(out.code(), 0);
    assert_eq!(out.stdout_text(), "");
    let (first, from) = recv_datagram(&peer);
    let (second, from2) = recv_datagram(&peer);
    let (third, from3) = recv_datagram(&peer);
    assert_eq!(first, b"Hi!\0");
    assert_eq!(second, b"I'm another UDP host!\0");
    assert_eq!(third, b"Nice to meet you\0");
    assert_eq!(
        [first.len(), second.len(), third.len()],
        [4, 22, 17],
        "sizes"
    );
    assert_eq!((from, from2), (from2, from3));
}

/// The book's pair: bound_host2 sends while bound_host1 sleeps; the
/// transcript is the C program's, trailing spaces included.
#[test]
fn bound_host1_prints_the_three_messages_of_bound_host2() {
    let mut host1 = Program::start_fast(HOST1, &["0"]);
    let port = host1.udp_port().to_string();
    assert_eq!(run(HOST2, &["127.0.0.1", &port], b"").code(), 0);
    let out = host1.wait_exit();
    assert_eq!(
        out.stdout_text(),
        "Message 1: Hi! \nMessage 2: I'm another UDP host! \nMessage 3: Nice to meet you \n"
    );
    assert_eq!(out.code(), 0);
}

/// Wrong count: the C usage line on stdout; a bad port or IP: a clear
/// error naming the text. Always exit 1, never a panic.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    for server in [SERVER, HOST1] {
        bad_args::assert_server_args_checked(server);
    }
    for client in [CLIENT, CON_CLIENT, HOST2] {
        bad_args::assert_client_args_checked(client);
    }
}

/// A port already taken: the C message `bind() error`, then the reason.
#[test]
fn a_taken_port_is_a_bind_error() {
    let (_held, port) = udp_socket();
    for server in [SERVER, HOST1] {
        let out = run(server, &[&port.to_string()], b"");
        out.assert_clean_failure();
        assert!(
            out.stderr_text()
                .starts_with("bind() error: Address already in use"),
            "{}",
            out.stderr_text()
        );
    }
}

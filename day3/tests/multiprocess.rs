//! echo_mpserv and echo_mpclient: one process per client, served at the
//! same time; no zombie left, even when the SIGCHLD signals merge; the
//! child closes the listening socket; reading and writing split across two
//! processes, with a half-close that still lets every reply come back.

use std::collections::BTreeSet;
use std::io::{ErrorKind, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use harness::bad_args;
use harness::procfs::{self, Proto};
use harness::{
    Program, accept, connect, listener, read_exact, read_to_end, wait_until,
};

const SERVER: &str = env!("CARGO_BIN_EXE_echo_mpserv");
const CLIENT: &str = env!("CARGO_BIN_EXE_echo_mpclient");

const CONNECTED: &str = "new client connected...\n";
const DISCONNECTED: &str = "client disconnected...\n";
const PREFIX: &[u8] = b"Message from server: ";

/// Starts echo_mpserv on a port the kernel picks.
fn start_server() -> (Program, u16) {
    let mut server = Program::start(SERVER, &["0"]);
    let port = server.tcp_port();
    (server, port)
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

/// Waits until the server has printed `needle` `n` times.
fn wait_for_count(server: &Program, needle: &str, n: usize) {
    wait_until(&format!("{n} × {needle:?}"), || {
        count(&String::from_utf8_lossy(&server.stdout_so_far()), needle) >= n
    });
}

/// Connects `n` clients, one after the other, each accepted before the
/// next (so the backlog of 5 never overflows), and keeps them all open.
fn connect_clients(server: &Program, port: u16, n: usize) -> Vec<TcpStream> {
    let mut clients = Vec::new();
    for i in 1..=n {
        clients.push(connect(port));
        wait_for_count(server, CONNECTED, i);
    }
    // The line is printed just before fork: wait for the last child too.
    wait_until(&format!("{n} children"), || {
        procfs::children_of(server.pid()).len() == n
    });
    clients
}

/// The pids in the server's `removed proc id: N ` lines.
fn removed_pids(stdout: &str) -> BTreeSet<u32> {
    stdout
        .lines()
        .filter_map(|line| {
            line.strip_prefix("removed proc id: ")?.strip_suffix(' ')
        })
        .map(|pid| pid.parse().expect("a pid"))
        .collect()
}

/// The children of `pid` in state Z, found by their parent pid in
/// `/proc/<child>/stat` (this kernel has no `/proc/<pid>/task/*/children`).
fn zombie_children(pid: u32) -> Vec<u32> {
    procfs::children_of(pid)
        .into_iter()
        .filter(|child| child.state == 'Z')
        .map(|child| child.pid)
        .collect()
}

/// Gives the programs up to [`harness::TIMEOUT`] (a loaded machine) to
/// reach `condition`; no failure here: the assertion that follows says
/// what is wrong.
fn settle(condition: impl Fn() -> bool) {
    let deadline = Instant::now() + harness::TIMEOUT;
    while !condition() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
}

/// Nothing of process group `pgid` (a program we started, its children,
/// their orphans) is left on the machine.
fn assert_no_process_left(pgid: u32) {
    let left = || {
        procfs::all_processes()
            .into_iter()
            .filter(|p| p.pgrp == pgid)
            .collect::<Vec<_>>()
    };
    settle(|| left().is_empty());
    assert_eq!(left(), [], "processes of group {pgid} left behind");
}

/// Each client says a line of its own and must get exactly it back.
fn echo_once(stream: &mut TcpStream, message: &[u8]) {
    stream.write_all(message).expect("write to the server");
    assert_eq!(read_exact(stream, message.len()), message);
}

/// 40 clients are connected at once, each in its own process, and every
/// one is served while the first, slow one still holds its connection:
/// the opposite of day 2's iterative echo_server.
#[test]
fn forty_clients_are_served_at_the_same_time() {
    let (server, port) = start_server();
    let mut clients = connect_clients(&server, port, 40);
    let children = procfs::children_of(server.pid());
    assert_eq!(children.len(), 40, "one child per client: {children:?}");
    assert!(children.iter().all(|c| c.state != 'Z'), "{children:?}");
    // Client 0 is slow: it says nothing yet. The others are served from
    // the last to the second, while client 0 still waits.
    for (i, stream) in clients.iter_mut().enumerate().skip(1).rev() {
        echo_once(stream, format!("client {i} here\n").as_bytes());
    }
    echo_once(&mut clients[0], b"client 0, at last\n");
    drop(clients);
    let pgid = server.pid();
    server.kill();
    assert_no_process_left(pgid);
}

/// All 40 clients leave together: every child is reaped (its pid printed
/// in `removed proc id: N `), and after a settle no child is a zombie.
#[test]
fn no_zombie_remains_after_all_clients_leave_together() {
    let (server, port) = start_server();
    let clients = connect_clients(&server, port, 40);
    let children: BTreeSet<u32> = procfs::children_of(server.pid())
        .iter()
        .map(|c| c.pid)
        .collect();
    assert_eq!(children.len(), 40);
    drop(clients); // all 40 leave at once: their SIGCHLDs may merge
    wait_until("every child has ended", || {
        children
            .iter()
            .all(|&pid| procfs::stat(pid).is_none_or(|s| s.state == 'Z'))
    });
    settle(|| zombie_children(server.pid()).is_empty());
    assert_eq!(zombie_children(server.pid()), [], "zombies left");
    // The handler writes each line just after its waitpid, and the harness
    // reads the pipe in its own thread: wait for the lines, not a snapshot.
    let stdout =
        || String::from_utf8_lossy(&server.stdout_so_far()).into_owned();
    let removed = || removed_pids(&stdout());
    settle(|| removed() == children && count(&stdout(), DISCONNECTED) == 40);
    assert_eq!(removed(), children, "stdout:\n{}", stdout());
    assert_eq!(count(&stdout(), DISCONNECTED), 40);
    let pgid = server.pid();
    server.kill();
    assert_no_process_left(pgid);
}

/// The sanity step of the check above, and the reason the handler loops:
/// with the parent stopped, 10 children exit and the check sees 10
/// zombies; their 10 SIGCHLDs merge into one pending signal, and that one
/// signal reaps them all (the C handler, one waitpid per signal, would
/// leave 9).
#[test]
fn one_sigchld_for_many_children_still_reaps_them_all() {
    let (server, port) = start_server();
    let clients = connect_clients(&server, port, 10);
    server.signal(libc::SIGSTOP);
    wait_until("the parent is stopped", || {
        procfs::stat(server.pid()).is_some_and(|s| s.state == 'T')
    });
    drop(clients);
    wait_until("10 zombies seen", || {
        zombie_children(server.pid()).len() == 10
    });
    let zombies: BTreeSet<u32> =
        zombie_children(server.pid()).into_iter().collect();

    server.signal(libc::SIGCONT); // one merged SIGCHLD is delivered now
    settle(|| zombie_children(server.pid()).is_empty());
    assert_eq!(zombie_children(server.pid()), [], "zombies left");
    let stdout =
        || String::from_utf8_lossy(&server.stdout_so_far()).into_owned();
    let removed = || removed_pids(&stdout());
    settle(|| removed() == zombies);
    assert_eq!(removed(), zombies, "stdout:\n{}", stdout());
    let pgid = server.pid();
    server.kill();
    assert_no_process_left(pgid);
}

/// The parent holds only the listening socket, each child only its
/// client's socket (the process-tree picture of the book).
#[test]
fn the_parent_holds_the_listener_and_each_child_its_client_socket() {
    let (server, port) = start_server();
    let _clients = connect_clients(&server, port, 3);
    let tcp = procfs::sockets(Proto::Tcp);
    let entry = |inode: u64| tcp.iter().find(|s| s.inode == inode).copied();

    let parent_sockets = procfs::socket_inodes(server.pid());
    assert_eq!(parent_sockets.len(), 1, "the parent closed every clnt_sock");
    let listener =
        entry(parent_sockets[0]).expect("the listener in /proc/net/tcp");
    assert_eq!(
        (listener.state, listener.local_port),
        (procfs::TCP_LISTEN, port)
    );

    let children = procfs::children_of(server.pid());
    assert_eq!(children.len(), 3);
    for child in children {
        let sockets = procfs::socket_inodes(child.pid);
        assert_eq!(sockets.len(), 1, "child {} closed serv_sock", child.pid);
        let socket =
            entry(sockets[0]).expect("the client socket in /proc/net/tcp");
        assert_eq!(
            (socket.state, socket.local_port),
            (procfs::TCP_ESTABLISHED, port)
        );
    }
    let pgid = server.pid();
    server.kill();
    assert_no_process_left(pgid);
}

/// SIGKILL to the parent alone: new connections are refused (no process
/// holds the listening socket any more: the child closed its copy), while
/// the child still echoes for the client it serves.
#[test]
fn killing_the_parent_refuses_new_clients_while_a_child_still_serves() {
    let (mut server, port) = start_server();
    let mut client = connect(port);
    echo_once(&mut client, b"before\n");
    server.signal(libc::SIGKILL);
    wait_until("the parent is dead", || server.has_exited());

    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    match TcpStream::connect_timeout(&addr, harness::TIMEOUT) {
        Err(err) => {
            assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}")
        }
        Ok(_) => {
            panic!("connected after the parent died: the listener lives on")
        }
    }
    echo_once(&mut client, b"still served by the child\n");
    drop(client);
    wait_for_count(&server, DISCONNECTED, 1); // printed by the orphaned child
    let pgid = server.pid();
    let out = server.kill();
    assert_eq!(out.stdout_text(), format!("{CONNECTED}{DISCONNECTED}"));
    assert_no_process_left(pgid);
}

/// Three clients, one after the other, through a pipe: each line exactly
/// once, in this order (stdout is flushed before every fork).
#[test]
fn the_server_transcript_has_every_line_once() {
    let (server, port) = start_server();
    let mut expected = String::new();
    for i in 1..=3 {
        let mut client = connect(port);
        wait_for_count(&server, CONNECTED, i);
        // The line is printed just before fork: wait for the child.
        wait_until("the child is forked", || {
            procfs::children_of(server.pid()).len() == 1
        });
        let child = procfs::children_of(server.pid());
        echo_once(&mut client, b"hi\n");
        drop(client);
        wait_for_count(&server, "removed proc id: ", i);
        expected += &format!(
            "{CONNECTED}{DISCONNECTED}removed proc id: {} \n",
            child[0].pid
        );
    }
    let pgid = server.pid();
    let out = server.kill();
    assert_eq!(out.stdout_text(), expected);
    assert_eq!(out.stderr_text(), "");
    assert_no_process_left(pgid);
}

/// Every byte value comes back unchanged, through a 30-byte buffer.
#[test]
fn echo_is_byte_exact() {
    let (server, port) = start_server();
    let mut client = connect(port);
    let data: Vec<u8> = (0..=255u8).cycle().take(256 * 40).collect();
    let mut writer = client.try_clone().expect("clone the stream");
    let sent = data.clone();
    let sender = thread::spawn(move || writer.write_all(&sent));
    assert_eq!(read_exact(&mut client, data.len()), data);
    sender.join().expect("sender thread").expect("write");
    let pgid = server.pid();
    server.kill();
    assert_no_process_left(pgid);
}

/// accept() really is interrupted by SIGCHLD (no SA_RESTART, as in C)
/// and the server goes back to accept(): seen in a system-call trace.
#[test]
fn accept_interrupted_by_sigchld_is_retried() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = std::env::temp_dir()
        .join(format!("echo_mpserv_strace_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let trace_file = dir.join("trace");
    let calls = ["accept", "accept4", "rt_sigaction"];
    let mut server = Program::spawn(&mut harness::strace::command(
        &trace_file,
        &calls,
        SERVER,
        &["0"],
    ));
    let port = server.tcp_port();
    let mut first = connect(port);
    echo_once(&mut first, b"one\n");
    // The child ends only when the parent already waits in accept() again,
    // so its SIGCHLD finds accept() to interrupt (under load the parent
    // could otherwise still be on its way back from fork).
    let parent = harness::procfs::children_of(server.pid())[0].pid; // strace's child
    harness::wait_until("the parent waits in accept()", || {
        matches!(
            harness::procfs::blocked_in_syscall(parent),
            Some(libc::SYS_accept | libc::SYS_accept4)
        )
    });
    drop(first);
    wait_for_count(&server, "removed proc id: ", 1);
    let mut second = connect(port);
    echo_once(&mut second, b"two\n");
    let pgid = server.pid();
    server.kill();
    assert_no_process_left(pgid);

    let trace = std::fs::read_to_string(&trace_file).expect("trace");
    let calls = harness::strace::parse(&trace);
    let handler = calls
        .iter()
        .find(|c| c.name == "rt_sigaction" && c.args.starts_with("SIGCHLD"))
        .unwrap_or_else(|| panic!("no sigaction(SIGCHLD):\n{trace}"));
    assert!(!handler.args.contains("SA_RESTART"), "{handler:?}");
    let accepts: Vec<_> = calls.iter().filter(|c| c.name == "accept").collect();
    let interrupted = accepts
        .iter()
        .position(|c| {
            c.result.contains("EINTR") || c.result.contains("ERESTARTSYS")
        })
        .unwrap_or_else(|| panic!("no interrupted accept:\n{trace}"));
    assert!(
        accepts[interrupted + 1..]
            .iter()
            .any(|c| c.result_value().is_some_and(|fd| fd >= 0)),
        "no accept succeeded after the interrupted one:\n{trace}"
    );
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
}

/// Splits echo_mpclient's output into the pieces it printed after
/// `Message from server: `.
fn pieces(stdout: &[u8]) -> Vec<&[u8]> {
    let mut pieces = Vec::new();
    let mut rest = stdout.strip_prefix(PREFIX).expect("starts with the prefix");
    loop {
        match rest.windows(PREFIX.len()).position(|w| w == PREFIX) {
            Some(at) => {
                pieces.push(&rest[..at]);
                rest = &rest[at + PREFIX.len()..];
            }
            None => {
                pieces.push(rest);
                return pieces;
            }
        }
    }
}

/// `q`, `Q` or the end of input: the writer closes only the sending half
/// (the server reads EOF while the client still runs), and the reader
/// still prints the reply that comes after it.
#[test]
fn q_closes_the_sending_half_and_the_reply_still_comes_back() {
    for (input, close_stdin) in [
        (&b"hello\nq\nnot sent\n"[..], false),
        (&b"hello\nQ\nnot sent\n"[..], false),
        (&b"hello\n"[..], true),
    ] {
        let (listener, port) = listener();
        let mut client =
            Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
        client.write_stdin(input);
        if close_stdin {
            client.close_stdin();
        }
        let mut stream = accept(&listener);
        assert_eq!(read_to_end(&mut stream), b"hello\n", "input {input:?}");
        assert!(!client.has_exited(), "the reader must still be waiting");
        stream.write_all(b"hello\n").expect("reply");
        drop(stream);
        let pgid = client.pid();
        let out = client.wait_exit();
        assert_eq!(out.stdout_text(), "Message from server: hello\n");
        assert_eq!(out.code(), 0);
        assert_no_process_left(pgid);
    }
}

/// BUF_SIZE 30: a 100-byte reply is printed as pieces of 30, 30, 30 and
/// 10 bytes, each after the prefix, with no newline added.
#[test]
fn each_piece_read_is_printed_after_the_prefix() {
    let (listener, port) = listener();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    client.close_stdin();
    let mut stream = accept(&listener);
    let reply: Vec<u8> = (b'a'..=b'z').cycle().take(100).collect();
    stream.write_all(&reply).expect("reply");
    drop(stream);
    let pgid = client.pid();
    let out = client.wait_exit();
    let mut expected = Vec::new();
    for piece in reply.chunks(30) {
        expected.extend_from_slice(PREFIX);
        expected.extend_from_slice(piece);
    }
    assert_eq!(out.stdout_text(), String::from_utf8_lossy(&expected));
    assert_no_process_left(pgid);
}

/// The server closes first while stdin stays open: the reader ends, stops
/// the writer and reaps it, so no orphan is left reading stdin.
#[test]
fn when_the_server_closes_first_no_writer_is_left_behind() {
    let (listener, port) = listener();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    drop(accept(&listener));
    wait_until("the client exits", || client.has_exited());
    let pgid = client.pid();
    let group: Vec<u32> = procfs::all_processes()
        .into_iter()
        .filter(|p| p.pgrp == pgid && p.pid != pgid)
        .map(|p| p.pid)
        .collect();
    assert_eq!(group, [], "the writer outlived the reader");
    let out = client.wait_exit();
    assert_eq!(out.code(), 0);
    assert_eq!(out.stdout_text(), "");
    assert_no_process_left(pgid);
}

/// 1000 lines fed at once (long ones and non-UTF-8 bytes among them) all
/// come back through echo_mpserv: the output, without the prefixes, is
/// the input byte for byte, in pieces of at most 30 bytes.
#[test]
fn every_byte_of_1000_lines_comes_back() {
    let (server, port) = start_server();
    let mut input = Vec::new();
    for i in 0..1000 {
        input.extend_from_slice(format!("line {i} ").as_bytes());
        input.extend(std::iter::repeat_n(b'x' ^ (i % 7) as u8, i % 45));
        input.extend_from_slice(b"\xff\xfe\n");
    }
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    let client_pgid = client.pid();
    client.write_stdin(&input);
    let out = client.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    let pieces = pieces(&out.stdout);
    assert!(pieces.iter().all(|p| (1..=30).contains(&p.len())));
    assert!(pieces.concat() == input, "the echo differs from the input");
    assert_no_process_left(client_pgid);
    let pgid = server.pid();
    server.kill();
    assert_no_process_left(pgid);
}

/// echo_mpclient against echo_mpserv, line by line, then `q`.
#[test]
fn the_client_and_the_server_talk() {
    let (server, port) = start_server();
    let mut client = Program::start(CLIENT, &["127.0.0.1", &port.to_string()]);
    client.write_stdin(b"Hello\n");
    client.wait_for_stdout("Message from server: Hello\n");
    client.write_stdin(b"q\n");
    let client_pgid = client.pid();
    let out = client.wait_exit();
    assert_eq!(out.stdout_text(), "Message from server: Hello\n");
    assert_eq!(out.code(), 0);
    assert_no_process_left(client_pgid);
    wait_for_count(&server, "removed proc id: ", 1);
    let pgid = server.pid();
    server.kill();
    assert_no_process_left(pgid);
}

#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    bad_args::assert_server_args_checked(SERVER);
    bad_args::assert_client_args_checked(CLIENT);
}

/// Nobody listening: the C message, then the OS reason; no fork happened.
#[test]
fn the_client_reports_a_refused_connection() {
    bad_args::assert_connect_refused(CLIENT, "connect() error!");
}

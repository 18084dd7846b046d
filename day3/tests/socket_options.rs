//! sock_type, get_buf and set_buf: `getsockopt` reads what the kernel
//! decided (the type fixed at `socket`, the default buffer sizes), and
//! `setsockopt(SO_RCVBUF/SO_SNDBUF, 3072)` gets twice that on Linux.

use harness::{run, strace};
use socket2::{Domain, Socket, Type};

const SOCK_TYPE: &str = env!("CARGO_BIN_EXE_sock_type");
const GET_BUF: &str = env!("CARGO_BIN_EXE_get_buf");
const SET_BUF: &str = env!("CARGO_BIN_EXE_set_buf");

/// What set_buf asks for: C's `1024*3`.
const ASKED: usize = 3072;

/// A number from `/proc/sys/...`.
fn sysctl(path: &str) -> usize {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("{path}: {err}"));
    text.trim()
        .parse()
        .unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// `getsockopt(SO_TYPE)` answers SOCK_STREAM (1) for the TCP socket and
/// SOCK_DGRAM (2) for the UDP socket.
#[test]
fn sock_type_reads_stream_1_and_dgram_2() {
    let out = run(SOCK_TYPE, &[], b"");
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert_eq!(
        out.stdout_text(),
        "SOCK_STREAM: 1 \nSOCK_DGRAM: 2 \nSocket type one: 1 \nSocket type two: 2 \n"
    );
    assert_eq!((libc::SOCK_STREAM, libc::SOCK_DGRAM), (1, 2));
}

/// The numbers are not printed from constants: the trace shows one
/// `getsockopt(SO_TYPE)` per socket, answering 1 and then 2.
#[test]
fn sock_type_asks_each_socket_with_getsockopt_so_type() {
    if !harness::require_tool("strace") {
        return;
    }
    let trace = trace_of(SOCK_TYPE, "sock_type", &["socket", "getsockopt"]);
    let calls = strace::parse(&trace);
    let sockets: Vec<i64> = calls
        .iter()
        .filter(|c| c.name == "socket" && c.args.starts_with("AF_INET"))
        .filter_map(|c| c.result_value())
        .collect();
    assert_eq!(sockets.len(), 2, "trace:\n{trace}");
    let so_type: Vec<(Option<i32>, &str)> = calls
        .iter()
        .filter(|c| c.name == "getsockopt")
        .map(|c| (c.fd_arg(), after_fd(&c.args)))
        .collect();
    assert_eq!(
        so_type,
        [
            (Some(sockets[0] as i32), "SOL_SOCKET, SO_TYPE, [1], [4]"),
            (Some(sockets[1] as i32), "SOL_SOCKET, SO_TYPE, [2], [4]"),
        ],
        "trace:\n{trace}"
    );
}

/// The notes: the type is fixed when the socket is made. SO_TYPE can be
/// read, never set (`ENOPROTOOPT`).
#[test]
fn socket_type_cannot_be_changed_after_socket() {
    let sock = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let udp: libc::c_int = libc::SOCK_DGRAM;
    // SAFETY: setsockopt(2) reads an int of the size we pass, from a
    // variable that lives for the whole call, on a socket we own.
    let rc = unsafe {
        libc::setsockopt(
            std::os::fd::AsRawFd::as_raw_fd(&sock),
            libc::SOL_SOCKET,
            libc::SO_TYPE,
            (&raw const udp).cast(),
            std::mem::size_of_val(&udp) as libc::socklen_t,
        )
    };
    assert_eq!(rc, -1);
    assert_eq!(
        std::io::Error::last_os_error().raw_os_error(),
        Some(libc::ENOPROTOOPT)
    );
    assert_eq!(sock.r#type().unwrap(), Type::STREAM);
}

/// get_buf prints the sizes a fresh TCP socket gets from the kernel: the
/// same numbers a `getsockopt` of this test reads on its own new socket.
#[test]
fn get_buf_prints_the_default_sizes_of_a_new_tcp_socket() {
    let out = run(GET_BUF, &[], b"");
    assert_eq!(out.code(), 0, "{}", out.stderr_text());

    // C: getsockopt(sock, SOL_SOCKET, SO_RCVBUF/SO_SNDBUF, ...) on our own socket.
    let sock = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let rcv_buf = sock.recv_buffer_size().unwrap();
    let snd_buf = sock.send_buffer_size().unwrap();
    assert_eq!(
        out.stdout_text(),
        // (sic) "Outupt", as in the C original
        format!(
            "Input buffer size: {rcv_buf} \nOutupt buffer size: {snd_buf} \n"
        )
    );
}

/// Linux stores `2 × min(value, rmem_max)` for SO_RCVBUF and
/// `2 × min(value, wmem_max)` for SO_SNDBUF (`net/core/sock.c`; socket(7):
/// "The kernel doubles this value"), never less than a minimum of about
/// 2.3 KB and 4.6 KB. 3072 is above both minimums, so set_buf gets
/// 2 × 3072 = 6144 wherever the maxima allow 3072.
#[test]
fn set_buf_gets_twice_the_3072_it_asked_for() {
    let out = run(SET_BUF, &[], b"");
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    let rcv_buf = 2 * ASKED.min(sysctl("/proc/sys/net/core/rmem_max"));
    let snd_buf = 2 * ASKED.min(sysctl("/proc/sys/net/core/wmem_max"));
    assert_eq!(
        out.stdout_text(),
        format!(
            "Input buffer size: {rcv_buf} \nOutput buffer size: {snd_buf} \n"
        )
    );
    assert!(rcv_buf <= 2 * ASKED && snd_buf <= 2 * ASKED);
}

/// The trace shows the C program's four calls in its order: it asks for
/// 3072 with setsockopt (input buffer, then output buffer) and getsockopt
/// answers with the doubled size (output buffer, then input buffer).
#[test]
fn set_buf_asks_for_3072_and_reads_back_the_doubled_size() {
    if !harness::require_tool("strace") {
        return;
    }
    let trace = trace_of(SET_BUF, "set_buf", &["setsockopt", "getsockopt"]);

    let calls: Vec<String> = strace::parse(&trace)
        .into_iter()
        .filter(|c| {
            c.args.contains("SO_RCVBUF") || c.args.contains("SO_SNDBUF")
        })
        .map(|c| format!("{}({}) = {}", c.name, after_fd(&c.args), c.result))
        .collect();
    let rcv_buf = 2 * ASKED.min(sysctl("/proc/sys/net/core/rmem_max"));
    let snd_buf = 2 * ASKED.min(sysctl("/proc/sys/net/core/wmem_max"));
    assert_eq!(
        calls,
        [
            "setsockopt(SOL_SOCKET, SO_RCVBUF, [3072], 4) = 0".to_string(),
            "setsockopt(SOL_SOCKET, SO_SNDBUF, [3072], 4) = 0".to_string(),
            format!("getsockopt(SOL_SOCKET, SO_SNDBUF, [{snd_buf}], [4]) = 0"),
            format!("getsockopt(SOL_SOCKET, SO_RCVBUF, [{rcv_buf}], [4]) = 0"),
        ],
        "trace:\n{trace}"
    );
}

/// Runs `program` to its end under `strace -f`, tracing `calls`, and
/// returns the trace (in a fresh temporary folder, removed after).
fn trace_of(program: &str, name: &str, calls: &[&str]) -> String {
    let dir = std::env::temp_dir()
        .join(format!("{name}_strace_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trace_file = dir.join("trace");
    let out = harness::Program::spawn(&mut strace::command(
        &trace_file,
        calls,
        program,
        &[],
    ))
    .wait_exit();
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    let trace = std::fs::read_to_string(&trace_file).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    trace
}

/// The arguments of a traced call without the fd (which the OS chooses).
fn after_fd(args: &str) -> &str {
    args.split_once(", ").map_or(args, |(_fd, rest)| rest)
}

/// The three programs take no arguments and, like the C programs, ignore
/// any they are given.
#[test]
fn programs_without_arguments_ignore_extra_ones() {
    for program in [SOCK_TYPE, GET_BUF, SET_BUF] {
        let plain = run(program, &[], b"");
        let extra = run(program, &["9190", "--help", "x"], b"");
        assert_eq!(plain.code(), 0, "{program}: {}", plain.stderr_text());
        assert_eq!(extra.code(), 0, "{program}: {}", extra.stderr_text());
        assert_eq!(extra.stdout_text(), plain.stdout_text(), "{program}");
        assert_eq!(extra.stderr_text(), "", "{program}");
    }
}

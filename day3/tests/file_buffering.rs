//! File copying at the C's system-call cost (issue 9, item 9).
//!
//! The C's `fread`/`fwrite` go through stdio's buffer: the file side
//! takes one `read(2)` or `write(2)` per few KiB, and only the socket side
//! moves 30 bytes per call. Counted here with strace for a 300 kB file:
//! without the buffer the twins made 10,000 file calls each.

use harness::{Program, TempDir, strace};

const SERVER: &str = env!("CARGO_BIN_EXE_file_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_file_client");

/// The size of the file sent: 10,000 pieces of 30 bytes.
const FILE_SIZE: usize = 300_000;

/// At most this many file calls: one per 4 KiB (stdio's smallest
/// buffer), and a few more for the start and the end of the file.
const MOST_FILE_CALLS: usize = FILE_SIZE / 4096 + 4;

/// The fd that `openat` of `name` returned, and the calls on it.
fn calls_on_file<'a>(
    calls: &'a [strace::Syscall],
    name: &str,
) -> Vec<&'a strace::Syscall> {
    let open = calls
        .iter()
        .find(|c| c.name == "openat" && c.args.contains(name))
        .unwrap_or_else(|| panic!("no openat of {name}"));
    let fd = open.result_value().expect("an fd") as i32;
    let after = calls.iter().position(|c| c == open).unwrap();
    calls[after + 1..]
        .iter()
        .take_while(|c| !(c.name == "close" && c.fd_arg() == Some(fd)))
        .filter(|c| c.fd_arg() == Some(fd))
        .collect()
}

#[test]
fn the_file_side_is_buffered_and_the_socket_side_moves_30_bytes() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("file_buffering");
    let content: Vec<u8> =
        (0..FILE_SIZE).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(dir.file("sent.bin"), &content).unwrap();
    let (server_trace, client_trace) = (dir.file("server"), dir.file("client"));
    let traced = ["openat", "read", "write", "close", "accept", "accept4"];

    let sent = dir.file("sent.bin");
    let mut server = Program::spawn(&mut strace::command(
        &server_trace,
        &traced,
        SERVER,
        &["0", sent.to_str().unwrap()],
    ));
    let port = server.tcp_port().to_string();
    let client = Program::spawn(
        strace::command(&client_trace, &traced, CLIENT, &["127.0.0.1", &port])
            .current_dir(dir.path()),
    )
    .wait_exit();
    assert_eq!(client.code(), 0, "{}", client.stderr_text());
    assert_eq!(server.wait_exit().code(), 0);
    assert!(std::fs::read(dir.file("receive.dat")).unwrap() == content);

    // file_server: few reads of the file, 10,000 writes of 30 bytes.
    let calls = strace::parse(&std::fs::read_to_string(&server_trace).unwrap());
    let file_reads = calls_on_file(&calls, "sent.bin");
    assert!(
        file_reads.len() <= MOST_FILE_CALLS,
        "file_server read the file in {} calls",
        file_reads.len()
    );
    let accept = calls.iter().find(|c| c.name == "accept").expect("accept");
    let clnt_sd = accept.result_value().unwrap() as i32;
    let socket_writes: Vec<_> = calls
        .iter()
        .filter(|c| c.name == "write" && c.fd_arg() == Some(clnt_sd))
        .collect();
    assert_eq!(socket_writes.len(), FILE_SIZE / 30, "one write per piece");
    assert!(socket_writes.iter().all(|c| c.args.ends_with(", 30")));

    // file_client: few writes of receive.dat, socket reads of 30 bytes.
    let calls = strace::parse(&std::fs::read_to_string(&client_trace).unwrap());
    let file_writes = calls_on_file(&calls, "receive.dat");
    assert!(
        file_writes.len() <= MOST_FILE_CALLS,
        "file_client wrote receive.dat in {} calls",
        file_writes.len()
    );
    let socket_reads = calls
        .iter()
        .filter(|c| c.name == "read" && c.args.ends_with(", 30"))
        .count();
    assert!(
        socket_reads >= FILE_SIZE / 30,
        "reads of 30 bytes: {socket_reads}"
    );
}

//! file_server and file_client: the half-close. The server sends a file
//! in 30-byte pieces, shuts down only its output (`SHUT_WR`) and still
//! reads the client's 10 bytes `Thank you\0`; any file arrives byte-exact.

use std::io::Write;
use std::net::Shutdown;
use std::path::Path;
use std::process::Command;

use harness::bad_args;
use harness::{
    Program, TempDir, accept, connect, listener, read_to_end, run, strace,
};

const SERVER: &str = env!("CARGO_BIN_EXE_file_server");
const CLIENT: &str = env!("CARGO_BIN_EXE_file_client");

/// The file the server sends when none is named: its own source.
const SERVER_SOURCE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin/file_server.rs");

/// `len` bytes from a xorshift generator: every byte value, no pattern.
fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(&seed.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Runs file_server on `file` (or its default when `None`) and
/// file_client in a fresh folder; returns what landed in receive.dat,
/// after checking both transcripts.
fn transfer(file: Option<&Path>, tag: &str) -> Vec<u8> {
    let dir = TempDir::new(tag);
    let mut args = vec!["0".to_string()];
    args.extend(file.map(|f| f.display().to_string()));
    // The server starts in the scratch folder too: the default file must
    // not depend on the current folder.
    let mut server = Program::spawn(
        Command::new(SERVER).args(&args).current_dir(dir.path()),
    );
    let port = server.tcp_port().to_string();
    let client = harness::run_in(dir.path(), CLIENT, &["127.0.0.1", &port]);
    assert_eq!(client.stdout_text(), "Received file data\n");
    assert_eq!(client.code(), 0);
    let server = server.wait_exit();
    assert_eq!(server.stdout_text(), "Message from client: Thank you \n");
    assert_eq!(server.code(), 0, "{}", server.stderr_text());
    std::fs::read(dir.path().join("receive.dat")).unwrap()
}

/// Writes `content` to a file in a fresh folder and transfers it.
fn transfer_bytes(content: &[u8], tag: &str) -> Vec<u8> {
    let dir = TempDir::new(tag);
    let file = dir.path().join("to_send.bin");
    std::fs::write(&file, content).unwrap();
    transfer(Some(&file), tag)
}

/// After `shutdown(SHUT_WR)` the client sees EOF, yet the server is still
/// there and still reads: the input stream survived the half-close.
#[test]
fn file_server_still_reads_after_it_stopped_writing() {
    let dir = TempDir::new("still_reads");
    let file = dir.path().join("hundred.txt");
    let content = random_bytes(100, 7);
    std::fs::write(&file, &content).unwrap();
    let mut server = Program::start(SERVER, &["0", file.to_str().unwrap()]);
    let mut stream = connect(server.tcp_port());
    assert_eq!(read_to_end(&mut stream), content, "EOF after the file");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(!server.has_exited(), "the server left after SHUT_WR");
    assert_eq!(server.stdout_so_far(), b"");
    stream.write_all(b"Thank you\0").unwrap();
    let out = server.wait_exit();
    assert_eq!(out.stdout_text(), "Message from client: Thank you \n");
    assert_eq!(out.code(), 0);
}

/// The system calls on the client's socket: writes of 30 bytes and a last
/// short one, then shutdown(SHUT_WR), then the one read of the reply.
#[test]
fn file_server_writes_30_byte_pieces_then_shuts_down_then_reads() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("strace");
    let file = dir.path().join("hundred.txt");
    std::fs::write(&file, random_bytes(100, 11)).unwrap();
    let trace_file = dir.path().join("trace");
    let calls = ["accept", "accept4", "write", "sendto", "shutdown", "read"];
    let mut server = Program::spawn(&mut strace::command(
        &trace_file,
        &calls,
        SERVER,
        &["0", file.to_str().unwrap()],
    ));
    let mut stream = connect(server.tcp_port());
    assert_eq!(read_to_end(&mut stream).len(), 100);
    stream.write_all(b"Thank you\0").unwrap();
    assert_eq!(server.wait_exit().code(), 0);

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = strace::parse(&trace);
    let accept = calls
        .iter()
        .find(|c| c.name == "accept")
        .unwrap_or_else(|| panic!("no accept in:\n{trace}"));
    let clnt_sd = accept.result_value().unwrap() as i32;
    let on_client: Vec<String> = calls
        .iter()
        .filter(|c| c.fd_arg() == Some(clnt_sd))
        .map(|c| {
            let size = c.args.rsplit(',').next().unwrap().trim();
            match c.name.as_str() {
                "write" => format!("write {size}"),
                "read" => format!("read {}", c.result),
                other => format!(
                    "{other} {}",
                    c.args.split(", ").nth(1).unwrap_or("")
                ),
            }
        })
        .collect();
    assert_eq!(
        on_client,
        [
            "write 30",
            "write 30",
            "write 30",
            "write 10",
            "shutdown SHUT_WR",
            "read 10"
        ],
        "trace:\n{trace}"
    );
}

/// file_client writes the file to receive.dat, prints its line, and
/// sends exactly `Thank you\0`, 10 bytes, on the half-closed connection.
#[test]
fn file_client_sends_exactly_thank_you_and_its_nul() {
    let dir = TempDir::new("client");
    let (listener, port) = listener();
    let client = Program::spawn(
        Command::new(CLIENT)
            .args(["127.0.0.1", &port.to_string()])
            .current_dir(dir.path()),
    );
    let mut stream = accept(&listener);
    let content = random_bytes(45, 3);
    stream.write_all(&content).unwrap();
    stream.shutdown(Shutdown::Write).unwrap(); // play the half-closing server
    let reply = read_to_end(&mut stream);
    assert_eq!(reply, b"Thank you\0");
    assert_eq!(reply.len(), 10);
    let out = client.wait_exit();
    assert_eq!(out.stdout_text(), "Received file data\n");
    assert_eq!(out.code(), 0);
    assert_eq!(
        std::fs::read(dir.path().join("receive.dat")).unwrap(),
        content
    );
}

/// An empty file: one write of 0 bytes, then EOF; receive.dat is empty.
#[test]
fn an_empty_file_arrives_empty() {
    assert_eq!(transfer_bytes(b"", "empty"), b"");
}

/// Exactly one full piece: then a last piece of 0 bytes, and EOF.
#[test]
fn a_file_of_exactly_30_bytes_arrives_byte_exact() {
    let content = b"exactly thirty bytes, no more\n";
    assert_eq!(content.len(), 30);
    assert_eq!(transfer_bytes(content, "thirty"), content);
}

/// Several MB of random binary (every byte value, NULs too), not a
/// multiple of 30, arrive byte for byte.
#[test]
fn megabytes_of_random_binary_arrive_byte_exact() {
    let content = random_bytes(3 * 1024 * 1024 + 7, 0x9E37_79B9_7F4A_7C15);
    let got = transfer_bytes(&content, "megabytes");
    assert_eq!(got.len(), content.len());
    assert!(got == content, "receive.dat differs from the file sent");
}

/// Without [file], the server sends its own source, started from a folder
/// that has nothing to do with the workspace.
#[test]
fn file_server_sends_its_own_source_from_any_folder() {
    let expected = std::fs::read(SERVER_SOURCE).unwrap();
    assert!(!expected.is_empty());
    assert_eq!(transfer(None, "default"), expected);
}

/// A missing file is reported before any socket exists: even with its
/// port taken the error is fopen's, and the trace shows no socket call.
#[test]
fn a_missing_file_is_an_error_before_the_socket() {
    let dir = TempDir::new("missing");
    let missing = dir.path().join("no_such_file");
    let missing = missing.to_str().unwrap();
    let (_taken, port) = listener();
    let out = run(SERVER, &[&port.to_string(), missing], b"");
    out.assert_clean_failure();
    assert!(
        out.stderr_text()
            .starts_with(&format!("fopen() error: {missing}: No such file")),
        "{}",
        out.stderr_text()
    );
    // A folder opens, but is not a file to send.
    let folder = dir.path().to_str().unwrap();
    let out = run(SERVER, &["0", folder], b"");
    out.assert_clean_failure();
    assert_eq!(
        out.stderr_text(),
        format!("fopen() error: {folder}: not a regular file\n")
    );
    if !harness::require_tool("strace") {
        return;
    }
    let trace_file = dir.path().join("trace");
    let out = Program::spawn(&mut strace::command(
        &trace_file,
        &["socket", "openat"],
        SERVER,
        &["0", missing],
    ))
    .wait_exit();
    assert_eq!(out.code(), 1);
    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = strace::parse(&trace);
    assert!(
        calls
            .iter()
            .any(|c| c.name == "openat" && c.args.contains(missing)),
        "{trace}"
    );
    assert!(!calls.iter().any(|c| c.name == "socket"), "{trace}");
}

/// Usage lines `Usage: ` (no space before the colon, as these two C
/// programs print), clear errors for a bad port or IP, exit 1.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    for args in [&[][..], &["9190", "file", "extra"]] {
        bad_args::assert_usage_with("Usage: ", SERVER, args, "<port> [file]");
    }
    for args in [&[][..], &["127.0.0.1"], &["127.0.0.1", "9190", "extra"]] {
        bad_args::assert_usage_with("Usage: ", CLIENT, args, "<IP> <port>");
    }
    bad_args::assert_bad_ports_refused(SERVER, &[], &[]);
    bad_args::assert_bad_ports_refused(CLIENT, &["127.0.0.1"], &[]);
    bad_args::assert_bad_ip_refused(CLIENT, &["9190"]);
}

/// Nobody listening: file_client reports the refused connection.
#[test]
fn file_client_reports_a_refused_connection() {
    bad_args::assert_connect_refused(CLIENT, "connect() error");
}

/// A refused connection destroys nothing: the twin creates receive.dat
/// only after `connect` succeeded (the C `fopen`s it first and truncates
/// it even when nobody listens).
#[test]
fn an_existing_receive_dat_survives_a_refused_connection() {
    let dir = TempDir::new("receive_dat_kept");
    let before = random_bytes(1000, 0x9e37_79b9);
    std::fs::write(dir.file("receive.dat"), &before).unwrap();
    let (_held, port) = harness::refusing_port();
    let out = Program::spawn(
        Command::new(CLIENT)
            .args(["127.0.0.1", &port.to_string()])
            .current_dir(dir.path()),
    )
    .wait_exit();
    out.assert_clean_failure();
    assert_eq!(
        out.stderr_text(),
        "connect() error: Connection refused (os error 111)\n"
    );
    let after = std::fs::read(dir.file("receive.dat")).unwrap();
    assert!(
        after == before,
        "receive.dat changed: {} bytes",
        after.len()
    );
}

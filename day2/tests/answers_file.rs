//! file_serv and file_clnt (the answer to chapter 5, question 6): the
//! client asks for a file by name (the name and its NUL), the server sends
//! it in 30-byte pieces and closes, the client saves it under that name.
//! The server sends only files of its own folder: a name that could lead
//! out of it is refused, and nothing outside is read.

use std::io::Write;
use std::process::Command;

use harness::bad_args;
use harness::{
    Output, Program, TempDir, accept, connect, listener, read_to_end, strace,
};

const SERVER: &str = env!("CARGO_BIN_EXE_file_serv");
const CLIENT: &str = env!("CARGO_BIN_EXE_file_clnt");

const PROMPT: &str = "Input file name: ";

/// 100 bytes with NULs and bytes that are not UTF-8: 30 + 30 + 30 + 10.
fn sample() -> Vec<u8> {
    (0..100u32).map(|i| (i * 37 % 256) as u8).collect()
}

/// A folder the server runs in, beside a secret file it must never send:
/// `<root>/served/` (with `hello.dat` and `sub/inner.dat`) and
/// `<root>/secret.txt`.
struct Folders {
    root: TempDir,
}

const SECRET: &[u8] = b"SECRET: outside the served folder\n";

impl Folders {
    fn new() -> Folders {
        let root = TempDir::new("file_serv");
        std::fs::create_dir_all(root.file("served/sub")).unwrap();
        std::fs::write(root.file("served/hello.dat"), sample()).unwrap();
        std::fs::write(root.file("served/sub/inner.dat"), b"inner").unwrap();
        std::fs::write(root.file("secret.txt"), SECRET).unwrap();
        Folders { root }
    }

    fn served(&self) -> std::path::PathBuf {
        self.root.file("served")
    }

    /// Starts file_serv in the served folder; under strace, tracing
    /// `calls` into `file`, when `trace` is given.
    fn server(&self, trace: Option<(&std::path::Path, &[&str])>) -> Program {
        let mut command = match trace {
            Some((file, calls)) => strace::command(file, calls, SERVER, &["0"]),
            None => {
                let mut command = Command::new(SERVER);
                command.arg("0");
                command
            }
        };
        Program::spawn(command.current_dir(self.served()))
    }
}

/// Asks a running file_serv for `name` as the C client does (the name and
/// its NUL) and returns every byte it sends before it closes.
fn ask(port: u16, name: &[u8]) -> Vec<u8> {
    let mut stream = connect(port);
    stream.write_all(name).unwrap();
    stream.write_all(b"\0").unwrap();
    read_to_end(&mut stream)
}

/// The whole exchange of the two twins: the client prompts, sends the
/// name, and saves the file byte for byte under that name.
#[test]
fn file_clnt_saves_the_file_it_asked_for() {
    let folders = Folders::new();
    let mut server = folders.server(None);
    let port = server.tcp_port().to_string();
    let scratch = TempDir::new("file_clnt");
    let mut client = Program::spawn(
        Command::new(CLIENT)
            .args(["127.0.0.1", &port])
            .current_dir(scratch.path()),
    );
    client.write_stdin(b"hello.dat\n");
    let out = client.wait_exit();
    assert_eq!(out.stdout_text(), PROMPT);
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(scratch.read("hello.dat"), sample());
    let server = server.wait_exit();
    assert_eq!(server.code(), 0, "stderr: {}", server.stderr_text());
    assert_eq!(server.stdout_text(), "");
}

/// The request on the wire is the C client's: the first word of the input
/// (blanks skipped, as `scanf("%s")` does) and its NUL, nothing else. A
/// reply that comes in pieces is saved whole.
#[test]
fn file_clnt_sends_the_name_and_its_nul() {
    let (listener, port) = listener();
    let scratch = TempDir::new("file_clnt_wire");
    let mut client = Program::spawn(
        Command::new(CLIENT)
            .args(["127.0.0.1", &port.to_string()])
            .current_dir(scratch.path()),
    );
    client.write_stdin(b"  \n  notes.txt other words\n");
    let mut peer = accept(&listener);
    peer.set_nodelay(true).unwrap();
    let mut request = [0u8; 10];
    std::io::Read::read_exact(&mut peer, &mut request).unwrap();
    assert_eq!(&request, b"notes.txt\0");
    for piece in sample().chunks(7) {
        peer.write_all(piece).unwrap();
    }
    drop(peer);
    let out = client.wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(scratch.read("notes.txt"), sample());
}

/// `../secret.txt`, `/etc/passwd`, a name with `/`, `.` and `..`: each is
/// refused with a line that names it, exit 1, and the client gets nothing
/// (the C would `fopen` them all).
#[test]
fn file_serv_refuses_names_that_leave_its_folder() {
    let folders = Folders::new();
    let names: [&[u8]; 6] = [
        b"../secret.txt",
        b"/etc/passwd",
        b"./../secret.txt",
        b"sub/inner.dat",
        b"..",
        b".",
    ];
    for name in names {
        let mut server = folders.server(None);
        let got = ask(server.tcp_port(), name);
        let name = String::from_utf8_lossy(name);
        assert_eq!(got, b"", "file_serv sent something for {name:?}");
        let out = server.wait_exit();
        out.assert_clean_failure();
        assert_eq!(
            out.stderr_text(),
            format!(
                "fopen() error: \"{name}\": refused: only a file of the \
                 server's folder is sent (no '/', not \".\" or \"..\")\n"
            )
        );
    }
}

/// A symbolic link in the folder that points outside it: `O_NOFOLLOW`
/// refuses to open it, and the secret is not sent.
#[test]
fn file_serv_does_not_follow_a_link_out_of_its_folder() {
    let folders = Folders::new();
    std::os::unix::fs::symlink("../secret.txt", folders.served().join("link"))
        .unwrap();
    let mut server = folders.server(None);
    assert_eq!(ask(server.tcp_port(), b"link"), b"");
    let out = server.wait_exit();
    out.assert_clean_failure();
    assert_eq!(
        out.stderr_text(),
        "fopen() error: \"link\": Too many levels of symbolic links \
         (os error 40)\n"
    );
}

/// From a trace of every `openat` the server makes: a refused name never
/// reaches `open`, and nothing outside the folder is opened.
#[test]
fn a_refused_name_is_never_opened() {
    if !harness::require_tool("strace") {
        return;
    }
    let folders = Folders::new();
    let trace = folders.root.file("trace");
    let mut server = folders.server(Some((&trace, &["openat"])));
    assert_eq!(ask(server.tcp_port(), b"../secret.txt"), b"");
    let out: Output = server.wait_exit();
    assert_eq!(out.code(), 1, "stderr: {}", out.stderr_text());
    let trace = std::fs::read_to_string(&trace).unwrap();
    let opened: Vec<_> = strace::parse(&trace)
        .into_iter()
        .filter(|call| call.name == "openat")
        .collect();
    assert!(!opened.is_empty(), "no openat traced at all:\n{trace}");
    for call in &opened {
        assert!(!call.args.contains("secret"), "the server opened {call:?}");
    }
}

/// The file goes out in 30-byte pieces, as the C's `fread`/`write` loop
/// sends it: a trace of the server shows writes of 30, 30, 30 and 10
/// bytes on the client's socket for the 100-byte file.
#[test]
fn the_file_goes_out_in_30_byte_pieces() {
    if !harness::require_tool("strace") {
        return;
    }
    let folders = Folders::new();
    let trace = folders.root.file("trace");
    let mut server =
        folders.server(Some((&trace, &["accept", "accept4", "write"])));
    assert_eq!(ask(server.tcp_port(), b"hello.dat"), sample());
    assert_eq!(server.wait_exit().code(), 0);
    let trace = std::fs::read_to_string(&trace).unwrap();
    let calls = strace::parse(&trace);
    let accepted = calls
        .iter()
        .find(|call| call.name == "accept")
        .unwrap_or_else(|| panic!("no accept traced:\n{trace}"));
    let clnt_sd = accepted.result_value().unwrap() as i32;
    let sizes: Vec<i64> = calls
        .iter()
        .filter(|call| call.name == "write" && call.fd_arg() == Some(clnt_sd))
        .filter_map(|call| call.result_value())
        .collect();
    assert_eq!(sizes, [30, 30, 30, 10], "trace:\n{trace}");
}

/// A file that is not there: `fopen() error` with the OS reason, exit 1,
/// and the client gets nothing.
#[test]
fn a_missing_file_is_an_error_and_nothing_is_sent() {
    let folders = Folders::new();
    let mut server = folders.server(None);
    assert_eq!(ask(server.tcp_port(), b"nothere.dat"), b"");
    let out = server.wait_exit();
    out.assert_clean_failure();
    assert_eq!(
        out.stderr_text(),
        "fopen() error: \"nothere.dat\": No such file or directory \
         (os error 2)\n"
    );
}

/// A folder of the served folder is not a regular file.
#[test]
fn a_folder_is_not_sent() {
    let folders = Folders::new();
    let mut server = folders.server(None);
    assert_eq!(ask(server.tcp_port(), b"sub"), b"");
    let out = server.wait_exit();
    out.assert_clean_failure();
    assert_eq!(
        out.stderr_text(),
        "fopen() error: \"sub\": not a regular file\n"
    );
}

/// A name in two pieces is still one name (the C's single `read` gets
/// only `hel`); 30 bytes without a NUL are refused (the C would run past
/// its buffer).
#[test]
fn the_name_is_read_up_to_its_nul() {
    let folders = Folders::new();
    let mut server = folders.server(None);
    let mut stream = connect(server.tcp_port());
    stream.set_nodelay(true).unwrap();
    stream.write_all(b"hel").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(50));
    stream.write_all(b"lo.dat\0").unwrap();
    assert_eq!(read_to_end(&mut stream), sample());
    assert_eq!(server.wait_exit().code(), 0);

    let mut server = folders.server(None);
    let mut stream = connect(server.tcp_port());
    stream.write_all(&[b'a'; 30]).unwrap();
    assert_eq!(read_to_end(&mut stream), b"");
    let out = server.wait_exit();
    out.assert_clean_failure();
    assert_eq!(
        out.stderr_text(),
        "read() error: no NUL-terminated file name in 30 bytes\n"
    );
}

/// No name on stdin, or one too long for `char file_name[30]`: a clear
/// error before any connection, exit 1.
#[test]
fn file_clnt_refuses_a_missing_or_long_name() {
    let (_listener, port) = listener();
    let port = port.to_string();
    for (input, error) in [
        (&b"  \n"[..], "scanf() error: no file name\n"),
        (
            &[b'x'; 30][..],
            "scanf() error: file name longer than 29 bytes\n",
        ),
    ] {
        let scratch = TempDir::new("file_clnt_name");
        let mut client = Program::spawn(
            Command::new(CLIENT)
                .args(["127.0.0.1", &port])
                .current_dir(scratch.path()),
        );
        client.write_stdin(input);
        let out = client.wait_exit();
        out.assert_clean_failure();
        assert_eq!(out.stdout_text(), PROMPT);
        assert_eq!(out.stderr_text(), error);
    }
}

/// Nobody listening: `connect() error` and the OS reason, exit 1; the
/// file was created first, as in the C, and stays empty.
#[test]
fn file_clnt_reports_a_refused_connection() {
    let (_held, port) = harness::refusing_port();
    let scratch = TempDir::new("file_clnt_refused");
    let mut client = Program::spawn(
        Command::new(CLIENT)
            .args(["127.0.0.1", &port.to_string()])
            .current_dir(scratch.path()),
    );
    client.write_stdin(b"wanted.dat\n");
    let out = client.wait_exit();
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), PROMPT);
    assert_eq!(
        out.stderr_text(),
        "connect() error: Connection refused (os error 111)\n"
    );
    assert_eq!(scratch.read("wanted.dat"), b"");
}

/// Wrong argument counts print `Usage: ` (no space before the colon, as
/// the C); bad ports and IPs are clear errors; exit 1.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    bad_args::assert_usage_with("Usage: ", SERVER, &[], "<port>");
    bad_args::assert_usage_with("Usage: ", SERVER, &["1", "2"], "<port>");
    bad_args::assert_bad_ports_refused(SERVER, &[], &[]);
    bad_args::assert_usage_with("Usage: ", CLIENT, &[], "<IP> <port>");
    bad_args::assert_usage_with(
        "Usage: ",
        CLIENT,
        &["127.0.0.1", "1", "2"],
        "<IP> <port>",
    );
    bad_args::assert_bad_ports_refused(CLIENT, &["127.0.0.1"], &[]);
    bad_args::assert_bad_ip_refused(CLIENT, &["9190"]);
}

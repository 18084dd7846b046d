//! low_open, low_read, low_flags and fd_seri: a file is read and written
//! with the same open/read/write/close as a socket, the open flags do what
//! the notes say, and files and sockets share one fd numbering.
//!
//! Every test runs the programs in a fresh temporary directory, because
//! they work in the current directory like the C programs.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use harness::{Output, TempDir, run_in, strace};

const LOW_OPEN: &str = env!("CARGO_BIN_EXE_low_open");
const LOW_READ: &str = env!("CARGO_BIN_EXE_low_read");
const LOW_FLAGS: &str = env!("CARGO_BIN_EXE_low_flags");
const FD_SERI: &str = env!("CARGO_BIN_EXE_fd_seri");

/// The permissions a file created with mode 0644 gets: 0644 minus the
/// umask the programs inherit from this test process.
fn mode_0644_after_umask() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let umask = status
        .lines()
        .find_map(|line| line.strip_prefix("Umask:"))
        .map(|text| u32::from_str_radix(text.trim(), 8).unwrap())
        .unwrap_or(0o022);
    0o644 & !umask
}

fn permissions(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn assert_success(out: &Output) {
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(out.stderr_text(), "");
}

// ---------------------------------------------------------------- low_open

/// fd 3 (after 0, 1, 2), and `sizeof(buf)` bytes: the 10 characters and
/// the NUL, in a new file with mode 0644.
#[test]
fn low_open_writes_11_bytes_with_the_nul_to_fd_3() {
    let dir = TempDir::new("low_open");
    let out = run_in(dir.path(), LOW_OPEN, &[]);
    assert_success(&out);
    assert_eq!(out.stdout_text(), "file descriptor: 3 \n");
    assert_eq!(dir.read("data.txt"), b"Let's go!\n\0");
    assert_eq!(permissions(&dir.file("data.txt")), mode_0644_after_umask());
}

/// O_TRUNC: an existing, longer data.txt is emptied before the write, so
/// only the 11 new bytes remain (without it the old tail would stay).
#[test]
fn o_trunc_empties_an_existing_file() {
    let dir = TempDir::new("trunc");
    let old = b"This old content is much longer than eleven bytes.\n";
    std::fs::write(dir.file("data.txt"), old).unwrap();
    let out = run_in(dir.path(), LOW_OPEN, &[]);
    assert_success(&out);
    assert_eq!(out.stdout_text(), "file descriptor: 3 \n");
    assert_eq!(dir.read("data.txt"), b"Let's go!\n\0");
}

/// A data.txt low_open cannot open (here a directory): the C message and
/// the OS reason, exit 1, nothing on stdout.
#[test]
fn low_open_reports_an_open_error() {
    let dir = TempDir::new("open_error");
    std::fs::create_dir(dir.file("data.txt")).unwrap();
    let out = run_in(dir.path(), LOW_OPEN, &[]);
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(
        out.stderr_text(),
        "open() error!: Is a directory (os error 21)\n"
    );
}

// ---------------------------------------------------------------- low_read

/// low_read prints what low_open wrote, with `%s`: up to the NUL.
#[test]
fn low_read_reads_what_low_open_wrote() {
    let dir = TempDir::new("open_then_read");
    assert_success(&run_in(dir.path(), LOW_OPEN, &[]));
    let out = run_in(dir.path(), LOW_READ, &[]);
    assert_success(&out);
    assert_eq!(
        out.stdout_text(),
        "file descriptor: 3 \nfile data: Let's go!\n"
    );
}

/// `printf("%s")` stops at the first NUL; a file without a NUL is printed
/// as far as `read` filled the buffer (the C program would read on).
#[test]
fn low_read_prints_up_to_the_nul_like_printf_s() {
    let dir = TempDir::new("read_nul");
    std::fs::write(dir.file("data.txt"), b"abc\0def").unwrap();
    let out = run_in(dir.path(), LOW_READ, &[]);
    assert_success(&out);
    assert_eq!(out.stdout, b"file descriptor: 3 \nfile data: abc");

    std::fs::write(dir.file("data.txt"), b"no NUL \xff here").unwrap();
    let out = run_in(dir.path(), LOW_READ, &[]);
    assert_success(&out);
    assert_eq!(
        out.stdout,
        b"file descriptor: 3 \nfile data: no NUL \xff here"
    );
}

/// One read of `BUF_SIZE` (100) bytes: a longer file is cut there.
#[test]
fn low_read_reads_one_buffer_of_100_bytes() {
    let dir = TempDir::new("read_100");
    let long: Vec<u8> = (0..150).map(|i| b'a' + (i % 26) as u8).collect();
    std::fs::write(dir.file("data.txt"), &long).unwrap();
    let out = run_in(dir.path(), LOW_READ, &[]);
    assert_success(&out);
    let mut expected = b"file descriptor: 3 \nfile data: ".to_vec();
    expected.extend_from_slice(&long[..100]);
    assert_eq!(out.stdout, expected);
}

/// No data.txt: O_RDONLY without O_CREAT fails; the C message, the OS
/// reason, exit 1.
#[test]
fn low_read_reports_a_missing_file() {
    let dir = TempDir::new("read_missing");
    let out = run_in(dir.path(), LOW_READ, &[]);
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(
        out.stderr_text(),
        "open() error!: No such file or directory (os error 2)\n"
    );
}

// --------------------------------------------------------------- low_flags

/// What low_flags prints from step 1 on, for a run that starts in any
/// state (the "before:" line is checked by each test).
const FLAGS_STEPS: &str = r#"1. open(O_CREAT|O_WRONLY|O_TRUNC) = 3
   flags.txt (0 bytes): ""
   write "first line\n" = 11
   flags.txt (11 bytes): "first line\n"
2. open(O_WRONLY|O_APPEND) = 3
   write "second line\n" = 12
   flags.txt (23 bytes): "first line\nsecond line\n"
3. open(O_RDWR) = 3
   write "FIRST" = 5
   read = 18: " line\nsecond line\n"
   flags.txt (23 bytes): "FIRST line\nsecond line\n"
4. open(O_RDONLY) = 3
   read = 23: "FIRST line\nsecond line\n"
   write "third line\n" failed: EBADF: Bad file descriptor (os error 9)
   flags.txt (23 bytes): "FIRST line\nsecond line\n"
"#;

/// The file at the end: step 3 overwrote "first" in place, nothing else.
const FLAGS_END: &[u8] = b"FIRST line\nsecond line\n";

/// The whole transcript in an empty directory: O_CREAT makes the file.
#[test]
fn low_flags_shows_the_file_after_each_step() {
    let dir = TempDir::new("flags");
    let out = run_in(dir.path(), LOW_FLAGS, &[]);
    assert_success(&out);
    assert_eq!(
        out.stdout_text(),
        format!("before: flags.txt does not exist\n{FLAGS_STEPS}")
    );
    assert_eq!(dir.read("flags.txt"), FLAGS_END);
    assert_eq!(permissions(&dir.file("flags.txt")), mode_0644_after_umask());
}

/// O_TRUNC: an existing, longer flags.txt is empty right after step 1's
/// open, and none of its bytes survive.
#[test]
fn low_flags_o_trunc_empties_the_existing_file() {
    let dir = TempDir::new("flags_trunc");
    let old =
        b"OLD DATA that is longer than anything low_flags writes, 64 bytes\n";
    std::fs::write(dir.file("flags.txt"), old).unwrap();
    let out = run_in(dir.path(), LOW_FLAGS, &[]);
    assert_success(&out);
    let stdout = out.stdout_text();
    assert!(
        stdout.starts_with(&format!(
            "before: flags.txt ({} bytes): \"{}\"\n1. open(O_CREAT|O_WRONLY|O_TRUNC) = 3\n   flags.txt (0 bytes): \"\"\n",
            old.len(),
            old.escape_ascii()
        )),
        "{stdout}"
    );
    let file = dir.read("flags.txt");
    assert_eq!(file, FLAGS_END);
    assert!(!String::from_utf8_lossy(&file).contains("OLD"));
}

/// A flags.txt that never ends (a link to /dev/zero) is shown by its first
/// 100 bytes, never read whole: the program finishes at once, with every
/// "flags.txt (...)" line bounded.
#[test]
fn low_flags_shows_at_most_100_bytes_of_the_file() {
    let dir = TempDir::new("flags_zero");
    std::os::unix::fs::symlink("/dev/zero", dir.file("flags.txt")).unwrap();
    let out = run_in(dir.path(), LOW_FLAGS, &[]);
    assert_success(&out);
    let zeros = "\\x00".repeat(100);
    let shown =
        format!("flags.txt (more than 100 bytes, the first 100): \"{zeros}\"");
    let stdout = out.stdout_text();
    assert!(
        stdout.starts_with(&format!("before: {shown}\n")),
        "{stdout:.300}"
    );
    assert!(stdout.lines().all(|line| line.len() < 500), "{stdout:.300}");
}

/// A flags.txt that exists but cannot be read is not reported as missing:
/// the real reason is shown (the tests run as root, who may read any
/// file, so the reason here is a directory), and step 1's open fails
/// with the same reason.
#[test]
fn low_flags_reports_why_flags_txt_cannot_be_read() {
    let dir = TempDir::new("flags_dir");
    std::fs::create_dir(dir.file("flags.txt")).unwrap();
    let out = run_in(dir.path(), LOW_FLAGS, &[]);
    out.assert_clean_failure();
    assert_eq!(
        out.stdout_text(),
        "before: flags.txt cannot be read: Is a directory (os error 21)\n"
    );
    assert_eq!(
        out.stderr_text(),
        "open() error: Is a directory (os error 21)\n"
    );
}

/// O_APPEND: step 2's write lands after "first line\n", which is kept
/// (without O_APPEND it would overwrite from offset 0).
#[test]
fn low_flags_o_append_keeps_the_data_and_adds_at_the_end() {
    let dir = TempDir::new("flags_append");
    let out = run_in(dir.path(), LOW_FLAGS, &[]);
    assert_success(&out);
    let stdout = out.stdout_text();
    assert!(
        stdout.contains(
            "2. open(O_WRONLY|O_APPEND) = 3\n   write \"second line\\n\" = 12\n   flags.txt (23 bytes): \"first line\\nsecond line\\n\"\n"
        ),
        "{stdout}"
    );
    // The bytes on disk: " line\n" of the first line is still there, then
    // the appended line.
    let file = dir.read("flags.txt");
    assert_eq!(&file[5..], b" line\nsecond line\n");
}

/// O_RDWR: one fd writes "FIRST" over offset 0..5 and then reads on from
/// offset 5; the file keeps its 23 bytes (not truncated, not appended).
#[test]
fn low_flags_o_rdwr_reads_and_writes_one_file() {
    let dir = TempDir::new("flags_rdwr");
    let out = run_in(dir.path(), LOW_FLAGS, &[]);
    assert_success(&out);
    let stdout = out.stdout_text();
    assert!(
        stdout.contains(
            "3. open(O_RDWR) = 3\n   write \"FIRST\" = 5\n   read = 18: \" line\\nsecond line\\n\"\n"
        ),
        "{stdout}"
    );
    assert_eq!(dir.read("flags.txt"), FLAGS_END);
}

/// O_RDONLY: read works, write fails with EBADF, the file is unchanged
/// (no "third line"), and the program goes on: the failure is the lesson.
#[test]
fn low_flags_write_on_o_rdonly_fails_with_ebadf() {
    let dir = TempDir::new("flags_rdonly");
    let out = run_in(dir.path(), LOW_FLAGS, &[]);
    assert_success(&out);
    let stdout = out.stdout_text();
    assert!(
        stdout.ends_with(
            "4. open(O_RDONLY) = 3\n   read = 23: \"FIRST line\\nsecond line\\n\"\n   write \"third line\\n\" failed: EBADF: Bad file descriptor (os error 9)\n   flags.txt (23 bytes): \"FIRST line\\nsecond line\\n\"\n"
        ),
        "{stdout}"
    );
    let file = dir.read("flags.txt");
    assert_eq!(file, FLAGS_END);
    assert!(!String::from_utf8_lossy(&file).contains("third"));
}

/// The flags printed are the flags the kernel got: each open of
/// flags.txt in a system-call trace, and the EBADF of the last write.
#[test]
fn low_flags_opens_with_the_flags_it_prints() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("flags_strace");
    let trace_file = dir.file("trace");
    let mut command = strace::command(
        &trace_file,
        &["open", "openat", "write"],
        LOW_FLAGS,
        &[],
    );
    command.current_dir(dir.path());
    let out = harness::Program::spawn(&mut command).wait_exit();
    assert_success(&out);
    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = strace::parse(&trace);
    // The program's own opens; show_file's std::fs::read opens with
    // O_CLOEXEC, the open(2) calls of the lesson without it.
    let opens: Vec<&str> = calls
        .iter()
        .filter(|c| {
            c.name.starts_with("open") && c.args.contains("\"flags.txt\"")
        })
        .filter(|c| !c.args.contains("O_CLOEXEC"))
        .map(|c| c.args.split(", ").nth(2).unwrap_or(""))
        .collect();
    assert_eq!(
        opens,
        [
            "O_WRONLY|O_CREAT|O_TRUNC",
            "O_WRONLY|O_APPEND",
            "O_RDWR",
            "O_RDONLY"
        ],
        "trace:\n{trace}"
    );
    let to_file: Vec<_> = calls
        .iter()
        .filter(|c| c.name == "write" && c.fd_arg() == Some(3))
        .map(|c| (c.args.as_str(), c.result.as_str()))
        .collect();
    assert_eq!(to_file.len(), 4, "trace:\n{trace}");
    assert!(
        to_file[3].0.starts_with("3, \"third line\\n\""),
        "{to_file:?}"
    );
    assert!(to_file[3].1.starts_with("-1 EBADF"), "{to_file:?}");
}

// ----------------------------------------------------------------- fd_seri

/// TCP socket, file, UDP socket: 3, 4, 5, one numbering after stdin (0),
/// stdout (1) and stderr (2); test.dat is created empty with mode 0644.
#[test]
fn sockets_and_files_share_one_fd_numbering() {
    let dir = TempDir::new("fd_seri");
    let out = run_in(dir.path(), FD_SERI, &[]);
    assert_success(&out);
    assert_eq!(
        out.stdout_text(),
        "file descriptor 1: 3\nfile descriptor 2: 4\nfile descriptor 3: 5\n"
    );
    assert_eq!(dir.read("test.dat"), b"");
    assert_eq!(permissions(&dir.file("test.dat")), mode_0644_after_umask());
}

/// The printed numbers are what socket(2), open(2) and socket(2) returned,
/// in that order, and close(2) gives each back.
#[test]
fn fd_seri_numbers_come_from_socket_open_socket() {
    if !harness::require_tool("strace") {
        return;
    }
    let dir = TempDir::new("fd_seri_strace");
    let trace_file = dir.file("trace");
    let calls = ["socket", "open", "openat", "close"];
    let mut command = strace::command(&trace_file, &calls, FD_SERI, &[]);
    command.current_dir(dir.path());
    let out = harness::Program::spawn(&mut command).wait_exit();
    assert_success(&out);
    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = strace::parse(&trace);
    // Start at the first socket: the dynamic loader's and the Rust
    // runtime's own opens (each closed again) come before it.
    let start = calls
        .iter()
        .position(|c| c.name == "socket")
        .unwrap_or_else(|| panic!("no socket() in the trace:\n{trace}"));
    let steps: Vec<(&str, &str, &str)> = calls[start..]
        .iter()
        .map(|c| (c.name.as_str(), c.args.as_str(), c.result.as_str()))
        .collect();
    assert_eq!(steps.len(), 6, "trace:\n{trace}");
    assert!(
        steps[0].1.starts_with("AF_INET, SOCK_STREAM") && steps[0].2 == "3"
    );
    assert!(
        steps[1].0.starts_with("open") && steps[1].1.contains("\"test.dat\"")
    );
    assert_eq!(steps[1].2, "4");
    assert!(steps[2].1.starts_with("AF_INET, SOCK_DGRAM") && steps[2].2 == "5");
    let closed: Vec<&str> = steps[3..].iter().map(|s| s.1).collect();
    assert_eq!(closed, ["3", "4", "5"], "trace:\n{trace}");
}

/// fd_seri checks what the C program does not: an open that fails (here
/// test.dat is a directory) is reported, exit 1, nothing printed.
#[test]
fn fd_seri_reports_an_open_error() {
    let dir = TempDir::new("fd_seri_error");
    std::fs::create_dir(dir.file("test.dat")).unwrap();
    let out = run_in(dir.path(), FD_SERI, &[]);
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(
        out.stderr_text(),
        "open() error: Is a directory (os error 21)\n"
    );
}

// ------------------------------------------------------------ bad arguments

/// The four programs take no arguments and ignore extra ones, as the C
/// programs do: same output, same files.
#[test]
fn extra_arguments_change_nothing() {
    for program in [LOW_OPEN, LOW_FLAGS, FD_SERI] {
        let plain = TempDir::new("args_plain");
        let extra = TempDir::new("args_extra");
        let a = run_in(plain.path(), program, &[]);
        let b = run_in(extra.path(), program, &["9190", "abc", "--help"]);
        assert_success(&a);
        assert_success(&b);
        assert_eq!(a.stdout, b.stdout, "{program}");
        for name in ["data.txt", "flags.txt", "test.dat"] {
            let one = std::fs::read(plain.file(name)).ok();
            let two = std::fs::read(extra.file(name)).ok();
            assert_eq!(one, two, "{program}: {name}");
        }
    }
    let dir = TempDir::new("args_read");
    assert_success(&run_in(dir.path(), LOW_OPEN, &[]));
    let a = run_in(dir.path(), LOW_READ, &[]);
    let b = run_in(dir.path(), LOW_READ, &["data.txt", "x"]);
    assert_success(&b);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(
        b.stdout_text(),
        "file descriptor: 3 \nfile data: Let's go!\n"
    );
}

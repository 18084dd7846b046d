//! low_cpy and ansi_cpy (the answer to chapter 1, question 7): the same
//! byte-exact copy of `src.dat` to `dst.dat`, once with the system calls
//! (100 bytes per `read`) and once through stdio (30 bytes per `fread`);
//! a system-call trace shows what the stdio buffer saves.

use harness::{TempDir, run_in, strace};

const LOW_CPY: &str = env!("CARGO_BIN_EXE_low_cpy");
const ANSI_CPY: &str = env!("CARGO_BIN_EXE_ansi_cpy");

/// `len` bytes with NULs, newlines and bytes that are not UTF-8.
fn contents(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 131 % 256) as u8).collect()
}

/// Copies `len` bytes with `program` in a fresh folder and checks the
/// copy: byte-exact, nothing printed, exit 0.
fn assert_copies(program: &str, len: usize) {
    let dir = TempDir::new("copy");
    std::fs::write(dir.file("src.dat"), contents(len)).unwrap();
    let out = run_in(dir.path(), program, &[]);
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(out.stdout_text(), "");
    assert_eq!(out.stderr_text(), "");
    assert!(dir.read("dst.dat") == contents(len), "{len} bytes differ");
}

/// Empty, shorter than one buffer, exactly one buffer, one more, and
/// many buffers with a short tail: every size arrives byte-exact.
#[test]
fn low_cpy_copies_byte_exact() {
    for len in [0, 1, 99, 100, 101, 30_017] {
        assert_copies(LOW_CPY, len);
    }
}

/// The same sizes around ansi_cpy's 30-byte pieces and 4096-byte buffer.
#[test]
fn ansi_cpy_copies_byte_exact() {
    for len in [0, 1, 29, 30, 31, 4096, 4097, 30_017] {
        assert_copies(ANSI_CPY, len);
    }
}

/// An existing, longer dst.dat is replaced, not overwritten in front
/// (O_TRUNC, and "wb").
#[test]
fn an_old_dst_dat_is_emptied_first() {
    for program in [LOW_CPY, ANSI_CPY] {
        let dir = TempDir::new("copy_trunc");
        std::fs::write(dir.file("src.dat"), b"short").unwrap();
        std::fs::write(dir.file("dst.dat"), contents(500)).unwrap();
        assert_eq!(run_in(dir.path(), program, &[]).code(), 0);
        assert_eq!(dir.read("dst.dat"), b"short");
    }
}

/// No src.dat: `file open error` with the reason, exit 1 (the C puts it
/// on stdout and returns -1). As in the C, dst.dat was opened first.
#[test]
fn a_missing_src_dat_is_a_file_open_error() {
    for program in [LOW_CPY, ANSI_CPY] {
        let dir = TempDir::new("copy_missing");
        let out = run_in(dir.path(), program, &[]);
        out.assert_clean_failure();
        assert_eq!(out.stdout_text(), "");
        assert_eq!(
            out.stderr_text(),
            "file open error: No such file or directory (os error 2)\n"
        );
        assert_eq!(dir.read("dst.dat"), b"", "{program}");
    }
}

/// The system calls one program makes on its two files, from a trace:
/// (sizes asked and returned by each read of src.dat, sizes of each
/// write to dst.dat).
struct FileCalls {
    reads: Vec<(i64, i64)>,
    writes: Vec<i64>,
}

fn trace_copy(program: &str, len: usize) -> FileCalls {
    let dir = TempDir::new("copy_strace");
    std::fs::write(dir.file("src.dat"), contents(len)).unwrap();
    let trace_file = dir.file("trace");
    let out = harness::Program::spawn(
        strace::command(
            &trace_file,
            &["openat", "read", "write"],
            program,
            &[],
        )
        .current_dir(dir.path()),
    )
    .wait_exit();
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert!(dir.read("dst.dat") == contents(len));

    let trace = std::fs::read_to_string(&trace_file).unwrap();
    let calls = strace::parse(&trace);
    // Start at the open of src.dat: the dynamic loader's reads of the
    // shared libraries come before it, on the same fd numbers.
    let opened = |name: &str| {
        calls
            .iter()
            .position(|c| c.name == "openat" && c.args.contains(name))
            .unwrap_or_else(|| panic!("no openat of {name}:\n{trace}"))
    };
    let start = opened("\"src.dat\"");
    let fd = |at: usize| calls[at].result_value().unwrap() as i32;
    let (src, dst) = (fd(start), fd(opened("\"dst.dat\"")));
    let calls = &calls[start..];
    let asked = |args: &str| args.rsplit(", ").next()?.trim().parse().ok();
    FileCalls {
        reads: calls
            .iter()
            .filter(|c| c.name == "read" && c.fd_arg() == Some(src))
            .map(|c| (asked(&c.args).unwrap(), c.result_value().unwrap()))
            .collect(),
        writes: calls
            .iter()
            .filter(|c| c.name == "write" && c.fd_arg() == Some(dst))
            .map(|c| c.result_value().unwrap())
            .collect(),
    }
}

/// 30000 bytes. low_cpy: 300 reads of 100 bytes and a 301st that returns
/// 0, and 300 writes of 100: one system call per `read`/`write` it calls.
/// ansi_cpy calls `fread` 1001 times and `fwrite` 1001 times, yet the
/// kernel sees 9 reads (4096 bytes asked each) and 8 writes: the stdio
/// buffer gathers thirty-byte pieces into blocks.
#[test]
fn stdio_buffering_saves_system_calls() {
    if !harness::require_tool("strace") {
        return;
    }
    let low = trace_copy(LOW_CPY, 30_000);
    assert_eq!(low.reads.len(), 301);
    assert!(low.reads.iter().all(|&(asked, _)| asked == 100));
    assert!(low.reads[..300].iter().all(|&(_, got)| got == 100));
    assert_eq!(low.reads[300].1, 0, "the read that sees the end");
    assert_eq!(low.writes, vec![100; 300]);

    let ansi = trace_copy(ANSI_CPY, 30_000);
    // 7 full buffers of 4096, the 1328 left, then 0: the end of the file.
    let got: Vec<i64> = ansi.reads.iter().map(|&(_, got)| got).collect();
    assert_eq!(got, [4096, 4096, 4096, 4096, 4096, 4096, 4096, 1328, 0]);
    assert!(ansi.reads.iter().all(|&(asked, _)| asked == 4096));
    // The writes carry the whole file in blocks of 136 pieces (4080).
    assert_eq!(ansi.writes.iter().sum::<i64>(), 30_000);
    assert_eq!(ansi.writes.len(), 8, "{:?}", ansi.writes);
    assert!(ansi.writes[..7].iter().all(|&n| n == 4080));
}

/// Extra arguments are ignored, as the C programs ignore theirs.
#[test]
fn extra_arguments_are_ignored() {
    for program in [LOW_CPY, ANSI_CPY] {
        let dir = TempDir::new("copy_args");
        std::fs::write(dir.file("src.dat"), b"x").unwrap();
        let out = run_in(dir.path(), program, &["extra", "args"]);
        assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
        assert_eq!(dir.read("dst.dat"), b"x");
    }
}

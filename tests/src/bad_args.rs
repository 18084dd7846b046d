//! The checks every lesson bin with arguments shares: a wrong argument
//! count prints the C usage line on stdout and exits 1; a bad `<port>` or
//! `<IP>` is a clear error on stderr that names the argument and the text,
//! exit 1; never a panic.

use crate::{Output, Program, run};

fn run_checked(program: &str, args: &[&str]) -> Output {
    let out = run(program, args, b"");
    out.assert_clean_failure();
    out
}

/// `program args` prints `Usage : <program> <usage>` and exits 1.
pub fn assert_usage(program: &str, args: &[&str], usage: &str) {
    assert_usage_with("Usage : ", program, args, usage);
}

/// The same with another prefix: file_server and file_client print
/// `Usage: ` (no space before the colon), as their C originals do.
pub fn assert_usage_with(
    prefix: &str,
    program: &str,
    args: &[&str],
    usage: &str,
) {
    let out = run_checked(program, args);
    assert_eq!(
        out.stdout_text(),
        format!("{prefix}{program} {usage}\n"),
        "usage line for {args:?}"
    );
}

/// `abc` and `70000` in the port's place (between `before` and `after`)
/// are refused with the same clear message, where C's `atoi` would have
/// made them port 0 and port 4464.
pub fn assert_bad_ports_refused(
    program: &str,
    before: &[&str],
    after: &[&str],
) {
    for port in ["abc", "70000"] {
        let args: Vec<&str> =
            before.iter().chain([&port]).chain(after).copied().collect();
        let out = run_checked(program, &args);
        assert_eq!(
            out.stderr_text(),
            format!(
                "bad <port> argument \"{port}\": \
                 expected a number from 0 to 65535\n"
            ),
            "for {args:?}"
        );
    }
}

/// `1.2.3.256` in the IP's place (first, then `after`) is refused, where
/// C's `inet_addr` would have made it 255.255.255.255.
pub fn assert_bad_ip_refused(program: &str, after: &[&str]) {
    let args: Vec<&str> = ["1.2.3.256"].iter().chain(after).copied().collect();
    let out = run_checked(program, &args);
    assert_eq!(
        out.stderr_text(),
        "bad <IP> argument \"1.2.3.256\": expected a dotted-decimal \
         IPv4 address such as 127.0.0.1\n",
        "for {args:?}"
    );
}

/// The whole set for a server taking `<port>`.
pub fn assert_server_args_checked(program: &str) {
    assert_usage(program, &[], "<port>");
    assert_usage(program, &["9190", "extra"], "<port>");
    assert_bad_ports_refused(program, &[], &[]);
}

/// The whole set for a client taking `<IP> <port>`.
pub fn assert_client_args_checked(program: &str) {
    assert_usage(program, &[], "<IP> <port>");
    assert_usage(program, &["127.0.0.1"], "<IP> <port>");
    assert_usage(program, &["127.0.0.1", "9190", "extra"], "<IP> <port>");
    assert_bad_ports_refused(program, &["127.0.0.1"], &[]);
    assert_bad_ip_refused(program, &["9190"]);
}

/// A client pointed at a port where nobody listens: nothing on stdout,
/// `<the C message>: Connection refused (os error 111)` on stderr, exit 1.
/// It runs in a fresh directory (file_client creates `receive.dat` before
/// it connects, as its C original does).
pub fn assert_connect_refused(program: &str, c_message: &str) {
    let dir = crate::TempDir::new("connect_refused");
    let (_held, port) = crate::refusing_port();
    let out = Program::spawn(
        std::process::Command::new(program)
            .args(["127.0.0.1", &port.to_string()])
            .current_dir(dir.path()),
    )
    .wait_exit();
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(
        out.stderr_text(),
        format!("{c_message}: Connection refused (os error 111)\n")
    );
}

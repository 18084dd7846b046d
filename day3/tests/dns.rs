//! gethostbyname and gethostbyaddr: the twins print the lines the C
//! programs print, checked against glibc's own `gethostbyname` and
//! `gethostbyaddr` called from this test, then the Rust way after a blank
//! line, and fail like the C programs. With a private `/etc/hosts` (a
//! mount namespace, as root) they show aliases and the resolver's order.
//!
//! Only names this machine resolves without a network are used
//! (`localhost`, `127.0.0.1` from `/etc/hosts`); the failures use
//! `no-such-host.invalid` (the `.invalid` top-level domain never exists,
//! RFC 6761) and `192.0.2.1` (TEST-NET-1, RFC 5737, never has a name),
//! which fail at once here with no network.

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::net::Ipv4Addr;
use std::sync::Mutex;

use std::io::Write;
use std::process::Command;

use harness::{Output, Program, TempDir, run};

const BY_NAME: &str = env!("CARGO_BIN_EXE_gethostbyname");
const BY_ADDR: &str = env!("CARGO_BIN_EXE_gethostbyaddr");

// The two C calls of the originals. The libc crate declares `hostent`
// but not these obsolete functions.
unsafe extern "C" {
    fn gethostbyname(name: *const c_char) -> *mut libc::hostent;
    fn gethostbyaddr(
        addr: *const c_void,
        len: libc::socklen_t,
        kind: c_int,
    ) -> *mut libc::hostent;
}

/// Both functions return a pointer to one static `hostent`: tests run in
/// threads, so one call at a time.
static RESOLVER: Mutex<()> = Mutex::new(());

/// What the C program prints for `host`, with the same `printf` formats,
/// and how many `Aliases` lines there are among them.
///
/// # Safety
/// `host` is null or the fresh result of gethostbyname/gethostbyaddr,
/// read while [`RESOLVER`] is held.
unsafe fn c_transcript(host: *const libc::hostent) -> Option<(String, usize)> {
    // SAFETY: the caller's contract: null, or a valid hostent whose
    // strings and NULL-terminated lists stay valid while we hold the lock.
    let host = unsafe { host.as_ref()? };
    let mut out = String::new();
    // SAFETY: h_name is a NUL-terminated string (see above).
    let name = unsafe { CStr::from_ptr(host.h_name) };
    out += &format!("Official name: {} \n", name.to_string_lossy());
    let mut aliases = 0;
    // SAFETY: h_aliases is a NULL-terminated array of C strings.
    while let Some(alias) = unsafe { (*host.h_aliases.add(aliases)).as_ref() } {
        // SAFETY: a non-null entry of h_aliases is a C string.
        let alias = unsafe { CStr::from_ptr(alias) };
        out +=
            &format!("Aliases {}: {} \n", aliases + 1, alias.to_string_lossy());
        aliases += 1;
    }
    let kind = if host.h_addrtype == libc::AF_INET {
        "AF_INET"
    } else {
        "AF_INET6"
    };
    out += &format!("Address type: {kind} \n");
    let mut i = 0;
    // SAFETY: h_addr_list is a NULL-terminated array of addresses of
    // h_length (4 for AF_INET) bytes each.
    while let Some(addr) = unsafe { (*host.h_addr_list.add(i)).as_ref() } {
        let addr = addr as *const c_char as *const [u8; 4];
        // SAFETY: an AF_INET address is 4 bytes, in network byte order.
        let octets = unsafe { *addr };
        out += &format!("IP addr {}: {} \n", i + 1, Ipv4Addr::from(octets));
        i += 1;
    }
    Some((out, aliases))
}

/// C: `gethostbyname(name)`, printed as the C program prints it.
fn c_gethostbyname(name: &str) -> (String, usize) {
    let _one_at_a_time = RESOLVER.lock().unwrap_or_else(|e| e.into_inner());
    let name = CString::new(name).unwrap();
    // SAFETY: a NUL-terminated name; the result is read under the lock.
    unsafe { c_transcript(gethostbyname(name.as_ptr())) }
        .expect("gethostbyname failed")
}

/// C: `gethostbyaddr(&addr, 4, AF_INET)`, printed as the C program does.
fn c_gethostbyaddr(addr: Ipv4Addr) -> (String, usize) {
    let _one_at_a_time = RESOLVER.lock().unwrap_or_else(|e| e.into_inner());
    let octets = addr.octets();
    // SAFETY: 4 bytes of an IPv4 address in network order, as in C; the
    // result is read under the lock.
    let host =
        unsafe { gethostbyaddr(octets.as_ptr().cast(), 4, libc::AF_INET) };
    // SAFETY: a fresh result, read under the lock.
    unsafe { c_transcript(host) }.expect("gethostbyaddr failed")
}

/// The twin's stdout split at the blank line: the C program's lines, and
/// the Rust way's.
fn c_part_and_rust_way(stdout: &str) -> (&str, &str) {
    stdout
        .split_once("\n\n")
        .map(|(c_part, rust)| (&stdout[..c_part.len() + 1], rust))
        .unwrap_or_else(|| panic!("no blank line in {stdout:?}"))
}

/// `localhost` gives the lines of LESSONS.md, which are the lines glibc's
/// gethostbyname gives the C program on this machine, aliases included:
/// the official name, AF_INET and IPv4 addresses only (no `::1`).
#[test]
fn gethostbyname_prints_what_c_gethostbyname_gives_for_localhost() {
    let out = run(BY_NAME, &["localhost"], b"");
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    let stdout = out.stdout_text();
    let (c_part, rust_way) = c_part_and_rust_way(&stdout);
    let (c_output, aliases) = c_gethostbyname("localhost");
    assert_eq!(c_part, c_output);
    if aliases == 0 {
        assert_eq!(
            c_part,
            "Official name: localhost \nAddress type: AF_INET \n\
             IP addr 1: 127.0.0.1 \n"
        );
    }
    assert!(
        rust_way.starts_with("The Rust way (dns_lookup::getaddrinfo"),
        "{rust_way}"
    );
    assert!(rust_way.contains("\nIP addr 1: 127.0.0.1\n"), "{rust_way}");
}

/// A dotted address is its own official name, as with gethostbyname.
#[test]
fn gethostbyname_of_a_dotted_address_names_the_address() {
    let out = run(BY_NAME, &["127.0.0.1"], b"");
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    let stdout = out.stdout_text();
    let (c_part, _) = c_part_and_rust_way(&stdout);
    assert_eq!(c_part, c_gethostbyname("127.0.0.1").0);
    assert_eq!(
        c_part,
        "Official name: 127.0.0.1 \nAddress type: AF_INET \n\
         IP addr 1: 127.0.0.1 \n"
    );
}

/// 127.0.0.1 → `localhost`: the lines glibc's gethostbyaddr gives the C
/// program, the address itself in the address list.
#[test]
fn gethostbyaddr_prints_what_c_gethostbyaddr_gives_for_127_0_0_1() {
    let out = run(BY_ADDR, &["127.0.0.1"], b"");
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    let stdout = out.stdout_text();
    let (c_part, rust_way) = c_part_and_rust_way(&stdout);
    let (c_output, aliases) = c_gethostbyaddr(Ipv4Addr::LOCALHOST);
    assert_eq!(c_part, c_output);
    if aliases == 0 {
        assert_eq!(
            c_part,
            "Official name: localhost \nAddress type: AF_INET \n\
             IP addr 1: 127.0.0.1 \n"
        );
    }
    assert_eq!(
        rust_way,
        "The Rust way (dns_lookup::getnameinfo: only a name):\n\
         Name: localhost\n"
    );
}

/// An unknown name: `gethost... error`, the resolver's reason, exit 1,
/// nothing on stdout.
#[test]
fn unknown_name_is_a_gethost_error_with_the_reason() {
    let out = run(BY_NAME, &["no-such-host.invalid"], b"");
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    let stderr = out.stderr_text();
    let reason = stderr
        .strip_prefix("gethost... error: ")
        .unwrap_or_else(|| panic!("{stderr:?}"));
    assert!(reason.trim().len() > 5, "no reason given: {stderr:?}");
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
}

/// An address without a name: the same error from gethostbyaddr.
#[test]
fn address_without_a_name_is_a_gethost_error_with_the_reason() {
    let out = run(BY_ADDR, &["192.0.2.1"], b"");
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    let stderr = out.stderr_text();
    let reason = stderr
        .strip_prefix("gethost... error: ")
        .unwrap_or_else(|| panic!("{stderr:?}"));
    assert!(reason.trim().len() > 5, "no reason given: {stderr:?}");
}

#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    for args in [&[][..], &["localhost", "extra"][..]] {
        let out = run(BY_NAME, args, b"");
        out.assert_clean_failure();
        assert_eq!(out.stdout_text(), format!("Usage : {BY_NAME} <addr>\n"));
    }
    for args in [&[][..], &["127.0.0.1", "extra"][..]] {
        let out = run(BY_ADDR, args, b"");
        out.assert_clean_failure();
        assert_eq!(out.stdout_text(), format!("Usage : {BY_ADDR} <IP>\n"));
    }
    // inet_addr would look these up as 255.255.255.255.
    for bad in ["1.2.3.256", "localhost"] {
        let out = run(BY_ADDR, &[bad], b"");
        out.assert_clean_failure();
        assert_eq!(out.stdout_text(), "");
        assert!(
            out.stderr_text()
                .starts_with(&format!("bad <IP> argument \"{bad}\"")),
            "{}",
            out.stderr_text()
        );
    }
}

// ------------------------------------------------- a private /etc/hosts

/// A hosts file of the test's own, for the lessons /etc/hosts here does
/// not show: aliases, and a name with two addresses (`multi`) listed
/// 127.0.0.5 first.
const PRIVATE_HOSTS: &str = "\
127.0.0.1 localhost loopback
127.0.0.5 multi m5
127.0.0.3 multi m3
";

/// Runs `program args` with [`PRIVATE_HOSTS`] as its `/etc/hosts`: in a
/// new mount namespace (`unshare --mount`, private propagation, so the
/// bind mount is seen by nobody else), which needs root. Elsewhere the
/// check is skipped with a visible message, and fails under `CI=true`.
fn run_with_private_hosts(program: &str, args: &[&str]) -> Option<Output> {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("not root, and CI=true: the private /etc/hosts must run");
        }
        // Straight to stderr, not eprintln!, which the runner hides.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: not root, so the private /etc/hosts check did not run"
        );
        return None;
    }
    if !harness::require_tool("unshare") {
        return None;
    }
    let dir = TempDir::new("private_hosts");
    std::fs::write(dir.file("hosts"), PRIVATE_HOSTS).unwrap();
    let mut command = Command::new("unshare");
    command
        .args(["--mount", "sh", "-c"])
        .arg(r#"mount --bind "$0" /etc/hosts && exec "$@""#)
        .arg(dir.file("hosts"))
        .arg(program)
        .args(args);
    Some(Program::spawn(&mut command).wait_exit())
}

/// The C program's lines for `multi`, from gethostbyname.c's printf
/// formats and glibc's files backend: every line of /etc/hosts with the
/// name counts, its other names become aliases and its addresses follow
/// in the file's order, 127.0.0.5 first. getaddrinfo, the Rust way, sorts
/// them (RFC 6724): 127.0.0.3 first.
#[test]
fn gethostbyname_shows_aliases_and_the_resolvers_order_of_addresses() {
    let Some(out) = run_with_private_hosts(BY_NAME, &["multi"]) else {
        return;
    };
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert_eq!(
        out.stdout_text(),
        "Official name: multi \n\
         Aliases 1: m5 \n\
         Aliases 2: m3 \n\
         Address type: AF_INET \n\
         IP addr 1: 127.0.0.5 \n\
         IP addr 2: 127.0.0.3 \n\
         \n\
         The Rust way (dns_lookup::getaddrinfo: no aliases, RFC 6724 order):\n\
         Canonical name: multi\n\
         IP addr 1: 127.0.0.3\n\
         IP addr 2: 127.0.0.5\n"
    );

    let Some(out) = run_with_private_hosts(BY_NAME, &["localhost"]) else {
        return;
    };
    let stdout = out.stdout_text();
    assert_eq!(
        c_part_and_rust_way(&stdout).0,
        "Official name: localhost \nAliases 1: loopback \n\
         Address type: AF_INET \nIP addr 1: 127.0.0.1 \n"
    );
}

/// The reverse lookup of an address with more names on its line: the
/// first is the official name, the rest are aliases; getnameinfo gives
/// only the first.
#[test]
fn gethostbyaddr_shows_the_aliases_of_an_address() {
    let Some(out) = run_with_private_hosts(BY_ADDR, &["127.0.0.1"]) else {
        return;
    };
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    assert_eq!(
        out.stdout_text(),
        "Official name: localhost \n\
         Aliases 1: loopback \n\
         Address type: AF_INET \n\
         IP addr 1: 127.0.0.1 \n\
         \n\
         The Rust way (dns_lookup::getnameinfo: only a name):\n\
         Name: localhost\n"
    );
}

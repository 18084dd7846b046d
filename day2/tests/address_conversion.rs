//! inet_addr, inet_aton, inet_ntoa and sockaddr_layout: the C programs'
//! lines byte for byte, glibc's answers beside std's, the static buffer of
//! inet_ntoa, and the 16 bytes of a sockaddr_in as the compiler lays them out.

use std::mem::{offset_of, size_of, size_of_val};
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Command;

use harness::{Output, Program, TempDir, run};

const INET_ADDR: &str = env!("CARGO_BIN_EXE_inet_addr");
const INET_ATON: &str = env!("CARGO_BIN_EXE_inet_aton");
const INET_NTOA: &str = env!("CARGO_BIN_EXE_inet_ntoa");
const SOCKADDR_LAYOUT: &str = env!("CARGO_BIN_EXE_sockaddr_layout");

/// Runs a program that takes no arguments and checks it ended cleanly.
fn run_ok(path: &str) -> String {
    let out: Output = run(path, &[], b"");
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    assert_eq!(out.stderr_text(), "");
    out.stdout_text()
}

/// The one line of `stdout` that starts with `prefix`, without the prefix.
fn line_after<'a>(stdout: &'a str, prefix: &str) -> &'a str {
    let mut found = stdout.lines().filter_map(|line| line.strip_prefix(prefix));
    let line = found.next().unwrap_or_else(|| {
        panic!("no line starting with {prefix:?} in:\n{stdout}")
    });
    assert!(found.next().is_none(), "{prefix:?} twice in:\n{stdout}");
    line
}

/// The hex number `0x...` at the start of `text`.
fn hex_at_start(text: &str) -> u32 {
    let digits = text.strip_prefix("0x").expect("0x");
    let end = digits
        .find(|c: char| !c.is_ascii_hexdigit())
        .unwrap_or(digits.len());
    u32::from_str_radix(&digits[..end], 16).expect("hex digits")
}

/// std's parse error text, as the programs print it after `Err(`.
fn parse_error(text: &str) -> String {
    match text.parse::<Ipv4Addr>() {
        Ok(ip) => panic!("{text} parsed as {ip}"),
        Err(err) => err.to_string(),
    }
}

/// The C program's two lines (LESSONS.md, `ch03/inet_addr.c`, `occureded`
/// sic) come first, byte for byte; the Rust way follows after a blank line.
#[test]
fn inet_addr_prints_the_c_lines_then_the_rust_way() {
    let c_lines =
        "Network ordered integer addr: 0x4e7cd47f \nError occureded \n";
    let host_order = u32::from_be_bytes([127, 212, 124, 78]);
    let expected = format!(
        "{c_lines}\n\
         The Rust way (std::net::Ipv4Addr):\n\
         \"127.212.124.78\".parse::<Ipv4Addr>() = Ok(127.212.124.78)\n  \
         host order:    u32::from_be_bytes(ip.octets()) = {host_order:#x}\n  \
         network order: host_order.to_be()              = {:#x}\n\
         \"127.212.124.256\".parse::<Ipv4Addr>() = Err({})\n\
         inet_addr(\"255.255.255.255\") = 0xffffffff; == INADDR_NONE: true\n\
         \"255.255.255.255\".parse::<Ipv4Addr>() = Ok(255.255.255.255)\n",
        host_order.to_be(),
        parse_error("127.212.124.256"),
    );
    let stdout = run_ok(INET_ADDR);
    assert!(stdout.starts_with(c_lines), "{stdout}");
    assert_eq!(stdout, expected);
}

/// glibc's value is the four octets in memory order (network order): on
/// this machine's byte order, the number printed has exactly those bytes.
#[test]
fn inet_addr_stores_the_octets_in_network_order() {
    let stdout = run_ok(INET_ADDR);
    let printed =
        hex_at_start(line_after(&stdout, "Network ordered integer addr: "));
    assert_eq!(printed.to_ne_bytes(), [127, 212, 124, 78]);
    // The Rust way gives the same number: from_be_bytes, then to_be (htonl).
    let rust = hex_at_start(line_after(
        &stdout,
        "  network order: host_order.to_be()              = ",
    ));
    assert_eq!(rust, printed);
    assert_eq!(rust, u32::from_be_bytes([127, 212, 124, 78]).to_be());
}

/// 255.255.255.255 is a valid address, yet inet_addr returns for it the
/// very value that means "error": INADDR_NONE. Ipv4Addr parses it as Ok.
#[test]
fn all_ones_address_equals_inaddr_none() {
    assert_eq!(libc::INADDR_NONE, u32::from(Ipv4Addr::BROADCAST));
    let stdout = run_ok(INET_ADDR);
    let line = line_after(&stdout, "inet_addr(\"255.255.255.255\") = ");
    assert_eq!(hex_at_start(line), libc::INADDR_NONE);
    assert!(line.ends_with("== INADDR_NONE: true"), "{line}");
    assert_eq!(
        line_after(&stdout, "\"255.255.255.255\".parse::<Ipv4Addr>() = "),
        "Ok(255.255.255.255)"
    );
}

/// The C line of inet_aton.c (LESSONS.md) first; then std's answer and
/// the forms on which glibc and std disagree.
#[test]
fn inet_aton_prints_the_c_line_then_the_rust_way() {
    let c_line = "Network ordered integer addr: 0x4f7ce87f \n";
    let err = parse_error("127.1");
    let expected = format!(
        "{c_line}\n\
         The Rust way (std::net::Ipv4Addr):\n\
         \"127.232.124.79\".parse::<Ipv4Addr>() = Ok(127.232.124.79)\n  \
         s_addr = u32::from_ne_bytes(ip.octets()) = {:#x}\n\
         \n\
         Forms glibc accepts and Ipv4Addr rejects, and one both reject:\n  \
         \"127.1\"           inet_aton: 127.0.0.1  parse: {err}\n  \
         \"0x7f.1\"          inet_aton: 127.0.0.1  parse: {err}\n  \
         \"0177.0.0.1\"      inet_aton: 127.0.0.1  parse: {err}\n  \
         \"127.232.124.256\" inet_aton: error      parse: {err}\n",
        u32::from_ne_bytes([127, 232, 124, 79]),
    );
    let stdout = run_ok(INET_ATON);
    assert!(stdout.starts_with(c_line), "{stdout}");
    assert_eq!(stdout, expected);
    // The C line's number is the octets in memory order, as for inet_addr.
    let printed =
        hex_at_start(line_after(&stdout, "Network ordered integer addr: "));
    assert_eq!(printed.to_ne_bytes(), [127, 232, 124, 79]);
}

/// A stand-in for glibc's `inet_aton` that can read no address at all.
const FAILING_INET_ATON: &str = "
// int inet_aton(const char *cp, struct in_addr *inp); 0 means failure.
#[no_mangle]
pub extern \"C\" fn inet_aton(_cp: *const u8, _inp: *mut u32) -> i32 {
    0
}
";

/// The `Conversion error` branch. The address is fixed in the program, as
/// in the C, so the test makes glibc fail instead: it builds a small
/// library whose `inet_aton` returns 0, and `LD_PRELOAD` puts it before
/// glibc. The program must then print only `Conversion error`, on stderr,
/// and exit 1, like the C `error_handling`.
#[test]
fn inet_aton_failure_prints_conversion_error_and_exits_1() {
    let dir = TempDir::new("inet_aton_fails");
    let source = dir.file("failing_inet_aton.rs");
    std::fs::write(&source, FAILING_INET_ATON)
        .expect("write the library source");
    let library = dir.file("libfailing_inet_aton.so");
    // The rustc of the toolchain that runs this test (next to its cargo).
    let rustc = Path::new(env!("CARGO")).with_file_name("rustc");
    let rustc = if rustc.is_file() {
        rustc
    } else {
        "rustc".into()
    };
    let built = Command::new(&rustc)
        .args(["--crate-type", "cdylib", "--edition", "2021", "-o"])
        .arg(&library)
        .arg(&source)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {rustc:?}: {err}"));
    assert!(
        built.status.success(),
        "rustc failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let out =
        Program::spawn(Command::new(INET_ATON).env("LD_PRELOAD", &library))
            .wait_exit();
    out.assert_clean_failure();
    assert_eq!(out.stderr_text(), "Conversion error\n");
    assert_eq!(out.stdout_text(), "", "nothing is printed after the error");
}

/// inet_aton(3) takes `a.b` (b fills 24 bits), hex and octal parts; std's
/// Ipv4Addr takes only four decimal octets. Both refuse an octet of 256.
#[test]
fn glibc_accepts_short_hex_and_octal_forms_that_ipv4addr_rejects() {
    let stdout = run_ok(INET_ATON);
    for form in ["127.1", "0x7f.1", "0177.0.0.1"] {
        assert!(form.parse::<Ipv4Addr>().is_err(), "std accepts {form}");
        let row = line_after(&stdout, &format!("  \"{form}\""));
        let glibc = row.split("inet_aton: ").nth(1).expect("inet_aton column");
        assert!(glibc.starts_with("127.0.0.1 "), "{form}: {row}");
        assert!(row.ends_with(&format!("parse: {}", parse_error(form))));
    }
    let row = line_after(&stdout, "  \"127.232.124.256\"");
    assert!(row.contains("inet_aton: error "), "{row}");
    assert!(row.ends_with("parse: invalid IPv4 address syntax"), "{row}");
}

/// The C program's three lines (LESSONS.md and the run at the end of
/// inet_ntoa.c), then owned strings.
#[test]
fn inet_ntoa_prints_the_c_lines_then_the_rust_way() {
    let c_lines = "Dotted-Decimal notation1: 1.2.3.4 \n\
                   Dotted-Decimal notation2: 1.1.1.1 \n\
                   Dotted-Decimal notation3: 1.2.3.4 \n";
    let expected = format!(
        "{c_lines}\n\
         The Rust way (Ipv4Addr::to_string returns an owned String):\n\
         notation1 = {}\n\
         notation2 = {}\n\
         notation1 after notation2 = 1.2.3.4\n\
         both inet_ntoa calls returned the same buffer: true\n",
        Ipv4Addr::from(0x0102_0304),
        Ipv4Addr::from(0x0101_0101),
    );
    let stdout = run_ok(INET_NTOA);
    assert!(stdout.starts_with(c_lines), "{stdout}");
    assert_eq!(stdout, expected);
}

/// The pointer kept from the first call reads `1.1.1.1` after the second
/// call (notation2): both calls return one static buffer, and the second
/// rewrote it. The copy made in time (notation3) keeps `1.2.3.4`.
#[test]
fn inet_ntoa_second_call_overwrites_the_first_result() {
    let stdout = run_ok(INET_NTOA);
    assert_eq!(
        line_after(&stdout, "Dotted-Decimal notation1: "),
        "1.2.3.4 "
    );
    assert_eq!(
        line_after(&stdout, "Dotted-Decimal notation2: "),
        "1.1.1.1 "
    );
    assert_eq!(
        line_after(&stdout, "Dotted-Decimal notation3: "),
        "1.2.3.4 "
    );
    assert_eq!(
        line_after(&stdout, "both inet_ntoa calls returned the same buffer: "),
        "true"
    );
}

/// An owned String is not touched by making another one: notation1 still
/// reads 1.2.3.4 after notation2 is made.
#[test]
fn owned_strings_are_not_overwritten() {
    let stdout = run_ok(INET_NTOA);
    assert_eq!(line_after(&stdout, "notation1 = "), "1.2.3.4");
    assert_eq!(line_after(&stdout, "notation2 = "), "1.1.1.1");
    assert_eq!(
        line_after(&stdout, "notation1 after notation2 = "),
        "1.2.3.4"
    );
}

/// The sizes and offsets the program prints are the compiler's own for
/// libc::sockaddr_in: 16 bytes in all, the last 8 of them sin_zero.
#[test]
fn sockaddr_in_is_16_bytes_with_8_of_sin_zero() {
    use libc::sockaddr_in;
    let stdout = run_ok(SOCKADDR_LAYOUT);
    assert_eq!(
        stdout.lines().next(),
        Some(
            format!(
                "sizeof(struct sockaddr_in) = {}, sizeof(struct sockaddr) = {}",
                size_of::<sockaddr_in>(),
                size_of::<libc::sockaddr>()
            )
            .as_str()
        )
    );
    let sample = sockaddr_in {
        sin_family: 0,
        sin_port: 0,
        sin_addr: libc::in_addr { s_addr: 0 },
        sin_zero: [0; 8],
    };
    let expected = [
        (
            "sin_family",
            offset_of!(sockaddr_in, sin_family),
            size_of_val(&sample.sin_family),
        ),
        (
            "sin_port",
            offset_of!(sockaddr_in, sin_port),
            size_of_val(&sample.sin_port),
        ),
        (
            "sin_addr",
            offset_of!(sockaddr_in, sin_addr),
            size_of_val(&sample.sin_addr),
        ),
        (
            "sin_zero",
            offset_of!(sockaddr_in, sin_zero),
            size_of_val(&sample.sin_zero),
        ),
    ];
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .filter(|line| line.starts_with("  sin_"))
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), expected.len(), "{stdout}");
    for (row, (name, offset, size)) in rows.iter().zip(expected) {
        let printed_offset: usize = row[row.len() - 2].parse().expect("offset");
        let printed_size: usize = row[row.len() - 1].parse().expect("size");
        assert_eq!(
            (row[0], printed_offset, printed_size),
            (name, offset, size)
        );
    }
    // The lesson's figures: no padding, 16 bytes, sin_zero the last 8.
    assert_eq!(size_of::<sockaddr_in>(), 16);
    assert_eq!(size_of_val(&sample.sin_zero), 8);
    assert_eq!(
        offset_of!(sockaddr_in, sin_zero) + 8,
        size_of::<sockaddr_in>()
    );
}

/// After memset every byte is 0; filled in for 127.0.0.1:9190 the bytes
/// are AF_INET in host order, then port and address in network order,
/// then eight zeros.
#[test]
fn memset_then_fill_gives_family_port_address_and_zeros() {
    let stdout = run_ok(SOCKADDR_LAYOUT);
    let lines: Vec<&str> = stdout.lines().collect();
    let row_after = |heading: &str| -> String {
        let at = lines
            .iter()
            .position(|line| *line == heading)
            .unwrap_or_else(|| panic!("no {heading:?} in:\n{stdout}"));
        lines[at + 1].to_string()
    };
    let hex = |bytes: &[u8]| -> String {
        let digits: Vec<String> =
            bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("  {}", digits.join(" "))
    };
    assert_eq!(row_after("memset(&addr, 0, sizeof(addr)):"), hex(&[0; 16]));

    let mut filled = Vec::new();
    filled
        .extend_from_slice(&(libc::AF_INET as libc::sa_family_t).to_ne_bytes());
    filled.extend_from_slice(&9190_u16.to_be_bytes());
    filled.extend_from_slice(&Ipv4Addr::LOCALHOST.octets());
    let mut with_zeros = filled.clone();
    with_zeros.extend_from_slice(&[0; 8]);
    assert_eq!(
        row_after(
            "then sin_family=AF_INET, sin_port=htons(9190), sin_addr 127.0.0.1:"
        ),
        hex(&with_zeros)
    );

    // Without memset, sin_zero keeps whatever was there before.
    let mut with_old_bytes = filled;
    with_old_bytes.extend_from_slice(&[0xaa; 8]);
    assert_eq!(
        row_after(
            "the same three fields without memset (old bytes shown as aa):"
        ),
        hex(&with_old_bytes)
    );
}

/// INADDR_ANY is 0, so htonl changes nothing: four zero bytes, 0.0.0.0.
#[test]
fn htonl_inaddr_any_stores_four_zero_bytes() {
    assert_eq!(libc::INADDR_ANY, 0);
    assert_eq!(Ipv4Addr::from(libc::INADDR_ANY), Ipv4Addr::UNSPECIFIED);
    let stdout = run_ok(SOCKADDR_LAYOUT);
    assert_eq!(
        line_after(&stdout, "htonl(INADDR_ANY) = "),
        "0x00000000, sin_addr bytes 00 00 00 00 = 0.0.0.0"
    );
}

/// Like the C programs, the four take no arguments and ignore any given:
/// same output, exit 0.
#[test]
fn extra_arguments_are_ignored() {
    for program in [INET_ADDR, INET_ATON, INET_NTOA, SOCKADDR_LAYOUT] {
        let plain = run_ok(program);
        let out = run(program, &["9190", "1.2.3.256", "abc"], b"");
        assert_eq!(out.code(), 0, "{program}: {}", out.stderr_text());
        assert_eq!(out.stdout_text(), plain, "{program}");
        assert_eq!(out.stderr_text(), "", "{program}");
    }
}

//! ip_class: tell the class (A to E) of an IPv4 address from its first
//! byte, and split it into network part and host part.
//!
//! - Course notes: 1일차, "클래스 별 네트워크 주소와 호스트 주소의 경계"
//!   (the first byte alone tells how many bytes the network part has)
//! - C original: none, a new program for the notes' section (no system
//!   call; the lesson is the bits of the first byte)
//! - Man pages: `inet_pton(3)` (dotted-decimal text to 4 bytes)
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin ip_class -- 192.168.0.7
//! cargo run --bin ip_class -- 10.1.2.3
//! cargo run --bin ip_class -- 224.0.0.1
//! ```
//!
//! Expected output of the first:
//!
//! ```text
//! IPv4 address: 192.168.0.7
//! First byte: 192 = 11000000 (binary)
//! Class C: first byte 192-223, leading bits 110
//! Network part: 192.168.0 (3 bytes)
//! Host part: 7 (1 byte)
//! ```
//!
//! Classes A, B and C have 1, 2 and 3 bytes of network part. Class D
//! (224-239, leading bits 1110) is multicast and class E (240-255,
//! leading bits 1111) is reserved: they have no network/host split, and
//! the last line says so instead (`Multicast: no network/host split`,
//! `Reserved: no network/host split`).
//!
//! # Differences from the C original
//!
//! - There is no C original. The argument must be a dotted-decimal IPv4
//!   address (`1.2.3.256` is an error naming the argument), and its
//!   output lines carry no trailing space.

use std::io::Write;

use common::OrDie;

/// `[192, 168, 0]` as `192.168.0`.
fn dotted(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(u8::to_string).collect();
    parts.join(".")
}

/// `1 byte`, `3 bytes`.
fn byte_count(n: usize) -> String {
    match n {
        1 => "1 byte".to_string(),
        _ => format!("{n} bytes"),
    }
}

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IPv4>",
    "ip_class: tells the class (A to E) of an IPv4 address",
    "cargo run --bin ip_class -- 192.168.0.7",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    let args = common::usage_args(1, HELP.usage);
    // Strict dotted decimal: `1.2.3.256` is an error that names the
    // argument as the usage line does.
    let addr = common::args::parse_ipv4(&args[0]).unwrap_or_else(|mut err| {
        err.name = "<IPv4>";
        common::error_handling(&err.to_string())
    });

    // ANCHOR: steps
    // The address as the 4 bytes that travel on the wire (network order).
    let bytes = addr.octets();
    let first = bytes[0];

    // The class is in the leading bits of the first byte: count the 1 bits
    // before the first 0 bit. 0... is A, 10... is B, 110... is C, and so
    // on; the byte ranges of the notes follow from those bits.
    let (class, leading_bits, first_bytes, network_bytes) =
        match first.leading_ones() {
            0 => ('A', "0", "0-127", Some(1)),
            1 => ('B', "10", "128-191", Some(2)),
            2 => ('C', "110", "192-223", Some(3)),
            3 => ('D', "1110", "224-239", None),
            _ => ('E', "1111", "240-255", None),
        };
    let mut lines = vec![
        format!("IPv4 address: {addr}"),
        format!("First byte: {first} = {first:08b} (binary)"),
        format!(
            "Class {class}: first byte {first_bytes}, \
             leading bits {leading_bits}"
        ),
    ];

    // A, B, C: the first n bytes name the network, the rest the host in it.
    match network_bytes {
        Some(n) => {
            let (network, host) = (dotted(&bytes[..n]), dotted(&bytes[n..]));
            lines.push(format!("Network part: {network} ({})", byte_count(n)));
            lines.push(format!("Host part: {host} ({})", byte_count(4 - n)));
        }
        None if class == 'D' => {
            lines.push("Multicast: no network/host split".to_string())
        }
        None => lines.push("Reserved: no network/host split".to_string()),
    }
    // ANCHOR_END: steps

    let mut stdout = std::io::stdout().lock();
    for line in &lines {
        writeln!(stdout, "{line}").or_die("write to stdout error");
    }
}

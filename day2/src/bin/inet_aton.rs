//! inet_aton: a dotted-decimal string goes straight into the `sin_addr` of
//! a `sockaddr_in`; success and failure are a separate return value.
//!
//! - Course notes: 2일차, "문자열 정보를 네트워크 바이트 순서의 정수로
//!   변환하기"
//! - C original: `ch03/inet_aton.c`
//! - Man pages: `inet_aton(3)`, `ip(7)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin inet_aton
//! ```
//!
//! The first line is the C program's, byte for byte (a space before the
//! newline); the rest is the Rust way, after a blank line:
//!
//! ```text
//! Network ordered integer addr: 0x4f7ce87f
//!
//! The Rust way (std::net::Ipv4Addr):
//! "127.232.124.79".parse::<Ipv4Addr>() = Ok(127.232.124.79)
//!   s_addr = u32::from_ne_bytes(ip.octets()) = 0x4f7ce87f
//!
//! Forms glibc accepts and Ipv4Addr rejects, and one both reject:
//!   "127.1"           inet_aton: 127.0.0.1  parse: invalid IPv4 address syntax
//!   "0x7f.1"          inet_aton: 127.0.0.1  parse: invalid IPv4 address syntax
//!   "0177.0.0.1"      inet_aton: 127.0.0.1  parse: invalid IPv4 address syntax
//!   "127.232.124.256" inet_aton: error      parse: invalid IPv4 address syntax
//! ```
//!
//! If glibc could not read the address, the program would print
//! `Conversion error` on stderr and exit 1, as the C `error_handling` does.
//! The address is fixed, as in the C, so that never happens in a normal
//! run; the test `inet_aton_failure_prints_conversion_error_and_exits_1`
//! makes glibc's `inet_aton` fail with `LD_PRELOAD` to show it.
//!
//! # Differences from the C original
//!
//! - After the C line come a blank line and "The Rust way" lines: std's
//!   answer for the same address, and four forms on which glibc and std
//!   disagree or agree.
//! - C leaves `addr_inet` uninitialized; Rust needs every field set, so the
//!   twin starts from zeros (only `sin_addr` is used).
//! - The libc crate declares `in_addr` but not `inet_aton`, so the twin
//!   declares glibc's function itself, as `<arpa/inet.h>` does.

use std::ffi::{CStr, c_char, c_int};
use std::net::Ipv4Addr;

use common::println; // no panic: a failing stdout is reported

// <arpa/inet.h>: int inet_aton(const char *cp, struct in_addr *inp);
unsafe extern "C" {
    fn inet_aton(cp: *const c_char, inp: *mut libc::in_addr) -> c_int;
}

/// glibc's `inet_aton` into `sin_addr`: true on success (C's 1), false on
/// an address it cannot read (C's 0).
fn glibc_inet_aton(addr: &CStr, sin_addr: &mut libc::in_addr) -> bool {
    // SAFETY: `addr` is NUL-terminated and outlives the call; `sin_addr` is
    // a valid, writable in_addr, the only memory inet_aton writes.
    unsafe { inet_aton(addr.as_ptr(), sin_addr) != 0 }
}

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "inet_aton: a dotted-decimal string goes straight into a sin_addr",
    "cargo run --bin inet_aton",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // The C program takes no arguments; like it, the twin ignores any.
    // ANCHOR: steps
    // C: char *addr="127.232.124.79"; struct sockaddr_in addr_inet;
    let addr = c"127.232.124.79";
    let mut addr_inet = libc::sockaddr_in {
        sin_family: 0,
        sin_port: 0,
        sin_addr: libc::in_addr { s_addr: 0 },
        sin_zero: [0; 8],
    };

    // C: if(!inet_aton(addr, &addr_inet.sin_addr))
    //        error_handling("Conversion error");
    // The result lands in the structure itself: no INADDR_NONE to test.
    if !glibc_inet_aton(addr, &mut addr_inet.sin_addr) {
        common::error_handling("Conversion error");
    }
    // C: printf("Network ordered integer addr: %#x \n",
    //           addr_inet.sin_addr.s_addr);
    println!(
        "Network ordered integer addr: {:#x} ",
        addr_inet.sin_addr.s_addr
    );
    // ANCHOR_END: steps

    // ANCHOR: rust_way
    // The Rust way: the octets, in the order they lie in memory, are s_addr.
    println!("\nThe Rust way (std::net::Ipv4Addr):");
    match "127.232.124.79".parse::<Ipv4Addr>() {
        Ok(ip) => {
            println!("\"127.232.124.79\".parse::<Ipv4Addr>() = Ok({ip})");
            let s_addr = u32::from_ne_bytes(ip.octets());
            println!(
                "  s_addr = u32::from_ne_bytes(ip.octets()) = {s_addr:#x}"
            );
        }
        Err(err) => {
            println!("\"127.232.124.79\".parse::<Ipv4Addr>() = Err({err})")
        }
    }

    // inet_aton(3) reads "a.b" as a.(24-bit b), 0x... as hex and a leading
    // 0 as octal. Ipv4Addr takes exactly four decimal octets, no leading 0.
    println!(
        "\nForms glibc accepts and Ipv4Addr rejects, and one both reject:"
    );
    for text in [c"127.1", c"0x7f.1", c"0177.0.0.1", c"127.232.124.256"] {
        let mut sin_addr = libc::in_addr { s_addr: 0 };
        let glibc = if glibc_inet_aton(text, &mut sin_addr) {
            Ipv4Addr::from(sin_addr.s_addr.to_ne_bytes()).to_string()
        } else {
            "error".to_string()
        };
        let text = text.to_string_lossy();
        let rust = match text.parse::<Ipv4Addr>() {
            Ok(ip) => ip.to_string(),
            Err(err) => err.to_string(),
        };
        println!(
            "  {:<17} inet_aton: {glibc:<9}  parse: {rust}",
            format!("{text:?}")
        );
    }
    // ANCHOR_END: rust_way
}

//! inet_addr: a dotted-decimal string becomes one 32-bit integer in network
//! byte order; an octet above 255 becomes `INADDR_NONE`.
//!
//! - Course notes: 2일차, "문자열 정보를 네트워크 바이트 순서의 정수로
//!   변환하기"
//! - C original: `ch03/inet_addr.c`
//! - Man pages: `inet_addr(3)`, `byteorder(3)`, `ip(7)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin inet_addr
//! ```
//!
//! The first two lines are the C program's, byte for byte (a space before
//! each newline); the rest is the Rust way, after a blank line:
//!
//! ```text
//! Network ordered integer addr: 0x4e7cd47f
//! Error occureded
//!
//! The Rust way (std::net::Ipv4Addr):
//! "127.212.124.78".parse::<Ipv4Addr>() = Ok(127.212.124.78)
//!   host order:    u32::from_be_bytes(ip.octets()) = 0x7fd47c4e
//!   network order: host_order.to_be()              = 0x4e7cd47f
//! "127.212.124.256".parse::<Ipv4Addr>() = Err(invalid IPv4 address syntax)
//! inet_addr("255.255.255.255") = 0xffffffff; == INADDR_NONE: true
//! "255.255.255.255".parse::<Ipv4Addr>() = Ok(255.255.255.255)
//! ```
//!
//! `0x4e7cd47f` is what a little-endian CPU (x86, most ARM) prints, for C
//! and Rust alike: the network-order bytes `7f d4 7c 4e` in memory, read
//! back as a host integer. A big-endian CPU would print `0x7fd47c4e`.
//!
//! # Differences from the C original
//!
//! - After the C lines come a blank line and "The Rust way" lines, so the
//!   class sees glibc's answer and std's answer one above the other.
//! - C keeps the result in an `unsigned long` (8 bytes here); `inet_addr`
//!   returns an `in_addr_t` (4 bytes), and so does the twin: same value.
//! - The libc crate declares `in_addr_t` but not `inet_addr`, so the twin
//!   declares glibc's function itself, as `<arpa/inet.h>` does.

use std::ffi::{CStr, c_char};
use std::net::Ipv4Addr;

use common::println; // no panic: a failing stdout is reported

// <arpa/inet.h>: in_addr_t inet_addr(const char *cp);
unsafe extern "C" {
    fn inet_addr(cp: *const c_char) -> libc::in_addr_t;
}

/// glibc's `inet_addr`: `s_addr` in network byte order, or `INADDR_NONE`.
fn glibc_inet_addr(addr: &CStr) -> u32 {
    // SAFETY: `addr` is a NUL-terminated string that outlives the call;
    // inet_addr only reads it and keeps no pointer to it.
    unsafe { inet_addr(addr.as_ptr()) }
}

/// The Rust way: `parse` gives a `Result`, printed as it is.
fn parse_and_show(text: &str) -> Option<Ipv4Addr> {
    match text.parse::<Ipv4Addr>() {
        Ok(ip) => {
            println!("{text:?}.parse::<Ipv4Addr>() = Ok({ip})");
            Some(ip)
        }
        Err(err) => {
            println!("{text:?}.parse::<Ipv4Addr>() = Err({err})");
            None
        }
    }
}

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "inet_addr: a dotted-decimal string becomes a 32-bit network-order \
     integer",
    "cargo run --bin inet_addr",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // The C program takes no arguments; like it, the twin ignores any.
    // ANCHOR: steps
    // C: char *addr1="127.212.124.78"; char *addr2="127.212.124.256";
    let addr1 = c"127.212.124.78";
    let addr2 = c"127.212.124.256"; // 256 does not fit in one byte

    // C: conv_addr=inet_addr(addr1); if(conv_addr==INADDR_NONE) ...
    // printf's %#lx and Rust's {:#x} both write 0x and lowercase hex.
    let conv_addr = glibc_inet_addr(addr1);
    if conv_addr == libc::INADDR_NONE {
        println!("Error occured! "); // (sic), never printed: addr1 is valid
    } else {
        println!("Network ordered integer addr: {conv_addr:#x} ");
    }

    // C: conv_addr=inet_addr(addr2); the octet 256 makes it INADDR_NONE.
    let conv_addr = glibc_inet_addr(addr2);
    if conv_addr == libc::INADDR_NONE {
        println!("Error occureded "); // (sic)
    } else {
        println!("Network ordered integer addr: {conv_addr:#x} \n");
    }
    // ANCHOR_END: steps

    // ANCHOR: rust_way
    // The Rust way: parse into an Ipv4Addr, then choose the byte order
    // explicitly. The error is an Err, never a value that is an address.
    println!("\nThe Rust way (std::net::Ipv4Addr):");
    if let Some(ip) = parse_and_show("127.212.124.78") {
        // The four octets, most significant first, as a host integer...
        let host_order = u32::from_be_bytes(ip.octets());
        println!(
            "  host order:    u32::from_be_bytes(ip.octets()) = {host_order:#x}"
        );
        // ...then stored big-endian, as htonl does: inet_addr's value.
        let network_order = host_order.to_be();
        println!(
            "  network order: host_order.to_be()              = \
             {network_order:#x}"
        );
    }
    parse_and_show("127.212.124.256");

    // INADDR_NONE is all ones, which is also a real address (the limited
    // broadcast): inet_addr cannot tell it apart from its error.
    let all_ones = glibc_inet_addr(c"255.255.255.255");
    let same = all_ones == libc::INADDR_NONE;
    println!(
        "inet_addr(\"255.255.255.255\") = {all_ones:#x}; == INADDR_NONE: {same}"
    );
    parse_and_show("255.255.255.255");
    // ANCHOR_END: rust_way
}

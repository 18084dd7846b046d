//! endian_conv: convert a port and an address from host byte order to
//! network byte order (big endian) and print both.
//!
//! - Course notes: 1일차, "바이트 순서의 변환(Endian Conversions)" (under
//!   "네트워크 바이트 순서와 인터넷 주소 변환")
//! - C original: `ch03/endian_conv.c`
//! - Man pages: `byteorder(3)` (`htons`, `htonl`, `ntohs`, `ntohl`)
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin endian_conv
//! ```
//!
//! Expected output on a little-endian CPU (x86-64, most ARM), with a space
//! before each newline as in C:
//!
//! ```text
//! Host ordered port: 0x1234
//! Network ordered port: 0x3412
//! Host ordered address: 0x12345678
//! Network ordered address: 0x78563412
//! ```
//!
//! A little-endian CPU stores `0x1234` as the bytes `34 12`; the network
//! wants `12 34`, so `htons` swaps them, and the swapped value, read back
//! as a number, is `0x3412`. On a big-endian CPU both lines would show the
//! same number: there `htons` does nothing.
//!
//! # Differences from the C original
//!
//! - `htons(x)` is `x.to_be()` and `htonl(x)` is `u32::to_be`: the same
//!   conversion (the libc crate defines its `htons` exactly so).
//! - C keeps the address in an `unsigned long`, 8 bytes on 64-bit Linux,
//!   although `htonl` takes and returns a 32-bit `uint32_t`; the twin uses
//!   `u32` throughout, the size of an IPv4 address.
//! - C ignores its arguments; so does the twin.

use std::io::Write;

use common::OrDie;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "endian_conv: host byte order to network byte order, for a port and an \
     address",
    "cargo run --bin endian_conv",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // ANCHOR: steps
    // C: unsigned short host_port=0x1234;  unsigned long host_addr=0x12345678;
    // A port is 2 bytes (short), an IPv4 address 4 bytes.
    let host_port: u16 = 0x1234;
    let host_addr: u32 = 0x12345678;

    // C: net_port=htons(host_port);  net_addr=htonl(host_addr);
    // "host to network": to big endian, the network byte order. On a
    // little-endian CPU this reverses the bytes; on a big-endian one it
    // changes nothing.
    let net_port: u16 = host_port.to_be();
    let net_addr: u32 = host_addr.to_be();

    // C: printf("Host ordered port: %#x \n", host_port); ... (four printfs)
    // %#x and {:#x} both print hexadecimal with a leading 0x. Mind the
    // space before each newline: the C format strings have it.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "Host ordered port: {host_port:#x} ")
        .and_then(|()| writeln!(stdout, "Network ordered port: {net_port:#x} "))
        .and_then(|()| {
            writeln!(stdout, "Host ordered address: {host_addr:#x} ")
        })
        .and_then(|()| {
            writeln!(stdout, "Network ordered address: {net_addr:#x} ")
        })
        .or_die("write to stdout error");
    // ANCHOR_END: steps
}

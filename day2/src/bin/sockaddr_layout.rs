//! sockaddr_layout: the 16 bytes of a `struct sockaddr_in`, field by field,
//! before and after it is filled in for 127.0.0.1:9190.
//!
//! - Course notes: 2일차, "인터넷 주소의 초기화" (why `memset` first)
//! - C original: none (new). It takes apart the lines every book server
//!   starts with, e.g. in `ch01/hello_server.c`:
//!   `memset(&serv_addr, 0, sizeof(serv_addr)); serv_addr.sin_family=AF_INET;
//!   serv_addr.sin_addr.s_addr=htonl(INADDR_ANY);
//!   serv_addr.sin_port=htons(...);`
//! - Man pages: `ip(7)` (struct sockaddr_in), `memset(3)`, `byteorder(3)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin sockaddr_layout
//! ```
//!
//! On Linux x86-64 (little-endian) it prints:
//!
//! ```text
//! sizeof(struct sockaddr_in) = 16, sizeof(struct sockaddr) = 16
//!   field      type            offset  size
//!   sin_family sa_family_t          0     2
//!   sin_port   in_port_t            2     2
//!   sin_addr   struct in_addr       4     4
//!   sin_zero   char[8]              8     8
//!
//! memset(&addr, 0, sizeof(addr)):
//!   00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
//! then sin_family=AF_INET, sin_port=htons(9190), sin_addr 127.0.0.1:
//!   02 00 23 e6 7f 00 00 01 00 00 00 00 00 00 00 00
//! the same three fields without memset (old bytes shown as aa):
//!   02 00 23 e6 7f 00 00 01 aa aa aa aa aa aa aa aa
//!
//! htonl(INADDR_ANY) = 0x00000000, sin_addr bytes 00 00 00 00 = 0.0.0.0
//! ```
//!
//! `sin_family` is a host-order number (`02 00` here); the port and the
//! address are in network order (`23 e6` is 9190, `7f 00 00 01` 127.0.0.1).
//! `struct sockaddr` has the same 16 bytes, which is why the book can cast
//! `(struct sockaddr*)&serv_addr` for `bind`.
//!
//! # Differences from the C original
//!
//! There is no C original: the program prints what the book's servers do
//! silently. Where C would leave old stack bytes in an uninitialized
//! structure, it shows 0xaa bytes instead (reading uninitialized memory is
//! undefined behaviour in C and Rust alike).

use std::mem::{offset_of, size_of};
use std::net::Ipv4Addr;

use common::println; // no panic: a failing stdout is reported
use libc::{in_addr, in_port_t, sa_family_t, sockaddr, sockaddr_in};

// sockaddr_in has no padding: 2 + 2 + 4 + 8 bytes. bytes_of relies on it.
const _: () = assert!(size_of::<sockaddr_in>() == 16);

/// The structure's memory, byte by byte, as `bind` would receive it.
fn bytes_of(addr: &sockaddr_in) -> &[u8] {
    let start = (addr as *const sockaddr_in).cast::<u8>();
    // SAFETY: sockaddr_in is a repr(C) struct of integers with no padding
    // (asserted above), so all of its bytes are initialized; the slice
    // borrows `addr` and cannot outlive it.
    unsafe { std::slice::from_raw_parts(start, size_of::<sockaddr_in>()) }
}

/// Bytes as two-digit hex, separated by spaces.
fn hex(bytes: &[u8]) -> String {
    let digits: Vec<String> =
        bytes.iter().map(|b| format!("{b:02x}")).collect();
    digits.join(" ")
}

// ANCHOR: fill
/// The three assignments of every book program, for 127.0.0.1:9190. They
/// write 2 + 2 + 4 bytes and never touch the 8 bytes of sin_zero.
fn fill_in_localhost_9190(addr: &mut sockaddr_in) {
    // C: serv_addr.sin_family=AF_INET;  a host-order number
    addr.sin_family = libc::AF_INET as sa_family_t;
    // C: serv_addr.sin_port=htons(9190);  network order
    addr.sin_port = libc::htons(9190);
    // C: serv_addr.sin_addr.s_addr=htonl(INADDR_LOOPBACK);  127.0.0.1,
    //    the same bytes as inet_addr("127.0.0.1")
    addr.sin_addr.s_addr = libc::htonl(libc::INADDR_LOOPBACK);
}
// ANCHOR_END: fill

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "sockaddr_layout: the 16 bytes of a struct sockaddr_in, field by field",
    "cargo run --bin sockaddr_layout",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // It takes no arguments and ignores any.
    // ANCHOR: layout
    // sizeof(struct sockaddr_in), and where each member starts: the
    // POSIX types of the notes (sa_family_t, in_port_t, in_addr_t).
    let (in_size, sa_size) = (size_of::<sockaddr_in>(), size_of::<sockaddr>());
    println!(
        "sizeof(struct sockaddr_in) = {in_size}, \
         sizeof(struct sockaddr) = {sa_size}"
    );
    println!("  field      type            offset  size");
    #[rustfmt::skip] // one row per member, as a table
    let fields = [
        ("sin_family", "sa_family_t",
         offset_of!(sockaddr_in, sin_family), size_of::<sa_family_t>()),
        ("sin_port", "in_port_t",
         offset_of!(sockaddr_in, sin_port), size_of::<in_port_t>()),
        ("sin_addr", "struct in_addr",
         offset_of!(sockaddr_in, sin_addr), size_of::<in_addr>()),
        ("sin_zero", "char[8]",
         offset_of!(sockaddr_in, sin_zero), size_of::<[u8; 8]>()),
    ];
    for (name, c_type, offset, size) in fields {
        println!("  {name:<10} {c_type:<14} {offset:>7} {size:>5}");
    }
    // ANCHOR_END: layout

    // ANCHOR: memset
    // C: memset(&serv_addr, 0, sizeof(serv_addr));
    // Every byte 0, sin_zero included: it is unused but must be zero.
    // SAFETY: all zero bytes are a valid sockaddr_in (integers only).
    let mut serv_addr: sockaddr_in = unsafe { std::mem::zeroed() };
    println!("\nmemset(&addr, 0, sizeof(addr)):");
    println!("  {}", hex(bytes_of(&serv_addr)));
    fill_in_localhost_9190(&mut serv_addr);
    println!(
        "then sin_family=AF_INET, sin_port=htons(9190), sin_addr 127.0.0.1:"
    );
    println!("  {}", hex(bytes_of(&serv_addr)));

    // Without memset the three assignments leave sin_zero as it was: in C,
    // whatever the stack held. Here 0xaa bytes play that part.
    // SAFETY: any 16 bytes are a valid sockaddr_in (integers only), and
    // transmute checks at compile time that the sizes are equal.
    let mut dirty: sockaddr_in = unsafe { std::mem::transmute([0xaa_u8; 16]) };
    fill_in_localhost_9190(&mut dirty);
    println!("the same three fields without memset (old bytes shown as aa):");
    println!("  {}", hex(bytes_of(&dirty)));
    // ANCHOR_END: memset

    // ANCHOR: inaddr_any
    // C: serv_addr.sin_addr.s_addr=htonl(INADDR_ANY);
    // INADDR_ANY is 0: the same four bytes in either byte order, and
    // 0.0.0.0 means "every address of this host" to bind.
    let any = libc::htonl(libc::INADDR_ANY);
    let any_bytes = any.to_ne_bytes();
    let any_ip = Ipv4Addr::from(any_bytes);
    println!(
        "\nhtonl(INADDR_ANY) = {any:#010x}, sin_addr bytes {} = {any_ip}",
        hex(&any_bytes)
    );
    // ANCHOR_END: inaddr_any
}

//! inet_ntoa: a network-order address becomes a dotted-decimal string, in
//! one buffer that glibc reuses on the next call.
//!
//! - Course notes: 2일차, "문자열 정보를 네트워크 바이트 순서의 정수로
//!   변환하기"
//! - C original: `ch03/inet_ntoa.c`
//! - Man pages: `inet_ntoa(3)`, `byteorder(3)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin inet_ntoa
//! ```
//!
//! The first three lines are the C program's, byte for byte (a space
//! before each newline); the rest is the Rust way, after a blank line:
//!
//! ```text
//! Dotted-Decimal notation1: 1.2.3.4
//! Dotted-Decimal notation2: 1.1.1.1
//! Dotted-Decimal notation3: 1.2.3.4
//!
//! The Rust way (Ipv4Addr::to_string returns an owned String):
//! notation1 = 1.2.3.4
//! notation2 = 1.1.1.1
//! notation1 after notation2 = 1.2.3.4
//! both inet_ntoa calls returned the same buffer: true
//! ```
//!
//! Line 2 prints the pointer of the *first* call after the second call:
//! the buffer under it now says `1.1.1.1`. Line 3 prints the copy made in
//! time, like the C program's `strcpy` into `str_arr`.
//!
//! # Differences from the C original
//!
//! - After the C lines come a blank line and "The Rust way" lines: owned
//!   strings that a later call cannot change, and a check that both calls
//!   returned one and the same buffer.
//! - The copy (`strcpy(str_arr, str_ptr)`) is an owned `String`, not a
//!   `char[20]`: it cannot overflow.
//! - The libc crate declares `in_addr` but not `inet_ntoa`, so the twin
//!   declares glibc's function itself, as `<arpa/inet.h>` does.

use std::ffi::{CStr, c_char};
use std::net::Ipv4Addr;

use common::println; // no panic: a failing stdout is reported

// <arpa/inet.h>: char *inet_ntoa(struct in_addr in);
unsafe extern "C" {
    fn inet_ntoa(address: libc::in_addr) -> *const c_char;
}

/// glibc's `inet_ntoa`: a pointer into glibc's own buffer, not a copy.
fn glibc_inet_ntoa(address: libc::in_addr) -> *const c_char {
    // SAFETY: inet_ntoa takes the address by value, writes only its own
    // static buffer and returns a pointer to it; it touches none of ours.
    unsafe { inet_ntoa(address) }
}

/// What C's `printf("%s", str_ptr)` reads: the text at `str_ptr` *now*.
fn text_at(str_ptr: *const c_char) -> String {
    // SAFETY: str_ptr came from inet_ntoa, which never returns NULL: it is
    // glibc's buffer for this thread, alive as long as the thread, always
    // holding a NUL-terminated string. The &CStr lives only for this copy,
    // so no reference is held while a later inet_ntoa rewrites the buffer.
    unsafe { CStr::from_ptr(str_ptr) }
        .to_string_lossy()
        .into_owned()
}

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "inet_ntoa: a network-order address becomes a dotted-decimal string",
    "cargo run --bin inet_ntoa",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // The C program takes no arguments; like it, the twin ignores any.
    // ANCHOR: steps
    // C: addr1.sin_addr.s_addr=htonl(0x1020304);
    //    addr2.sin_addr.s_addr=htonl(0x1010101);
    let addr1 = libc::in_addr {
        s_addr: libc::htonl(0x0102_0304),
    };
    let addr2 = libc::in_addr {
        s_addr: libc::htonl(0x0101_0101),
    };

    // C: str_ptr=inet_ntoa(addr1.sin_addr);
    let str_ptr = glibc_inet_ntoa(addr1);
    // C: strcpy(str_arr, str_ptr);  a copy of our own, made in time
    let str_arr = text_at(str_ptr);
    // C: printf("Dotted-Decimal notation1: %s \n", str_ptr);
    println!("Dotted-Decimal notation1: {} ", text_at(str_ptr));

    // C: inet_ntoa(addr2.sin_addr);
    // C throws the returned pointer away; we keep it to compare below.
    // The call writes "1.1.1.1" into the buffer str_ptr points to.
    let second_ptr = glibc_inet_ntoa(addr2);
    // C: printf("Dotted-Decimal notation2: %s \n", str_ptr);
    println!("Dotted-Decimal notation2: {} ", text_at(str_ptr));
    // C: printf("Dotted-Decimal notation3: %s \n", str_arr);
    println!("Dotted-Decimal notation3: {str_arr} ");
    // ANCHOR_END: steps

    // ANCHOR: rust_way
    // The Rust way: ntohl, then Ipv4Addr's Display into a String that this
    // variable owns. Nothing else can write to it, so nothing is "overwritten".
    println!("\nThe Rust way (Ipv4Addr::to_string returns an owned String):");
    let notation1 = Ipv4Addr::from(u32::from_be(addr1.s_addr)).to_string();
    println!("notation1 = {notation1}");
    let notation2 = Ipv4Addr::from(u32::from_be(addr2.s_addr)).to_string();
    println!("notation2 = {notation2}");
    println!("notation1 after notation2 = {notation1}");
    let same_buffer = std::ptr::eq(str_ptr, second_ptr);
    println!("both inet_ntoa calls returned the same buffer: {same_buffer}");
    // ANCHOR_END: rust_way
}

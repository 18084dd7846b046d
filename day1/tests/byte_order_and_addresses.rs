//! endian_conv, ip_class and port_share: network byte order is big
//! endian (htons/htonl = `to_be`), the first byte of an IPv4 address
//! tells its class, and TCP and UDP have separate port numbers.

use std::net::{Ipv4Addr, SocketAddrV4};

use harness::bad_args;
use harness::run;
use socket2::{Domain, Socket, Type};

const ENDIAN_CONV: &str = env!("CARGO_BIN_EXE_endian_conv");
const IP_CLASS: &str = env!("CARGO_BIN_EXE_ip_class");
const PORT_SHARE: &str = env!("CARGO_BIN_EXE_port_share");

// SAFETY: glibc's htons(3) and htonl(3) take and return plain integers and
// touch no memory, so calling them cannot be unsound.
unsafe extern "C" {
    /// glibc's own `htons`, the function endian_conv.c calls.
    safe fn htons(hostshort: u16) -> u16;
    /// glibc's own `htonl`.
    safe fn htonl(hostlong: u32) -> u32;
}

// --- endian_conv ---------------------------------------------------------

/// The four lines of the C program on this (little-endian) machine, the
/// space before each newline included (LESSONS.md); extra arguments are
/// ignored, as in C.
#[test]
#[cfg_attr(
    target_endian = "big",
    ignore = "the transcript of a little-endian CPU"
)]
fn endian_conv_prints_the_c_transcript() {
    let transcript = "Host ordered port: 0x1234 \n\
                      Network ordered port: 0x3412 \n\
                      Host ordered address: 0x12345678 \n\
                      Network ordered address: 0x78563412 \n";
    for args in [&[][..], &["extra"]] {
        let out = run(ENDIAN_CONV, args, b"");
        assert_eq!(out.stdout_text(), transcript);
        assert_eq!(out.code(), 0);
    }
}

/// `to_be` is the C library's `htons`/`htonl`: same result for the
/// program's values and for others, and on this little-endian machine
/// that result is the bytes swapped.
#[test]
#[cfg_attr(
    target_endian = "big",
    ignore = "to_be swaps bytes only on little endian"
)]
fn htons_and_htonl_are_to_be() {
    for port in [0x1234u16, 9190, 0, 1, 0xff00, u16::MAX] {
        assert_eq!(htons(port), port.to_be(), "htons({port:#x})");
        assert_eq!(htons(port), port.swap_bytes(), "little endian: swapped");
    }
    for addr in [0x12345678u32, 0x7f000001, 0, u32::MAX, 0xc0a80007] {
        assert_eq!(htonl(addr), addr.to_be(), "htonl({addr:#x})");
        assert_eq!(htonl(addr), addr.swap_bytes(), "little endian: swapped");
    }
}

/// The bytes in memory (the page shows this test): a little-endian CPU
/// keeps 0x1234 as `34 12`; after htons the memory holds `12 34`, the
/// network byte order, which is what `to_be_bytes` gives directly.
#[test]
#[cfg_attr(target_endian = "big", ignore = "the memory of a little-endian CPU")]
fn network_order_is_big_endian_in_memory() {
    // ANCHOR: bytes_in_memory
    let host_port: u16 = 0x1234;
    let net_port = host_port.to_be(); // htons
    assert_eq!(host_port.to_ne_bytes(), [0x34, 0x12]); // little endian: low byte first
    assert_eq!(net_port.to_ne_bytes(), [0x12, 0x34]); // network order: high byte first
    assert_eq!(host_port.to_be_bytes(), [0x12, 0x34]); // the same bytes, in one step

    let host_addr: u32 = 0x12345678;
    let net_addr = host_addr.to_be(); // htonl
    assert_eq!(host_addr.to_ne_bytes(), [0x78, 0x56, 0x34, 0x12]);
    assert_eq!(net_addr.to_ne_bytes(), [0x12, 0x34, 0x56, 0x78]);
    assert_eq!(host_addr.to_be_bytes(), [0x12, 0x34, 0x56, 0x78]);
    // ANCHOR_END: bytes_in_memory
}

// --- ip_class ------------------------------------------------------------

/// The notes' boundaries, at both ends of every class: 0-127 is A,
/// 128-191 B, 192-223 C, 224-239 D, 240-255 E, each with its leading bits.
#[test]
fn first_byte_decides_the_class() {
    let cases = [
        (0, "A", "0-127", "0"),
        (127, "A", "0-127", "0"),
        (128, "B", "128-191", "10"),
        (191, "B", "128-191", "10"),
        (192, "C", "192-223", "110"),
        (223, "C", "192-223", "110"),
        (224, "D", "224-239", "1110"),
        (239, "D", "224-239", "1110"),
        (240, "E", "240-255", "1111"),
        (255, "E", "240-255", "1111"),
    ];
    for (first, class, range, bits) in cases {
        let addr = format!("{first}.1.2.3");
        let out = run(IP_CLASS, &[&addr], b"");
        assert_eq!(out.code(), 0, "{addr}");
        let lines: Vec<String> =
            out.stdout_text().lines().map(str::to_string).collect();
        assert_eq!(
            lines[1],
            format!("First byte: {first} = {first:08b} (binary)"),
            "{addr}"
        );
        assert!(format!("{first:08b}").starts_with(bits), "{addr}: {bits}");
        assert_eq!(
            lines[2],
            format!("Class {class}: first byte {range}, leading bits {bits}"),
            "{addr}"
        );
    }
}

/// Classes A, B and C: 1, 2 and 3 bytes of network part, the rest host.
#[test]
fn classes_a_b_c_split_network_and_host() {
    let cases = [
        (
            "10.1.2.3",
            "IPv4 address: 10.1.2.3\n\
             First byte: 10 = 00001010 (binary)\n\
             Class A: first byte 0-127, leading bits 0\n\
             Network part: 10 (1 byte)\n\
             Host part: 1.2.3 (3 bytes)\n",
        ),
        (
            "172.16.5.9",
            "IPv4 address: 172.16.5.9\n\
             First byte: 172 = 10101100 (binary)\n\
             Class B: first byte 128-191, leading bits 10\n\
             Network part: 172.16 (2 bytes)\n\
             Host part: 5.9 (2 bytes)\n",
        ),
        (
            "192.168.0.7",
            "IPv4 address: 192.168.0.7\n\
             First byte: 192 = 11000000 (binary)\n\
             Class C: first byte 192-223, leading bits 110\n\
             Network part: 192.168.0 (3 bytes)\n\
             Host part: 7 (1 byte)\n",
        ),
    ];
    for (addr, transcript) in cases {
        let out = run(IP_CLASS, &[addr], b"");
        assert_eq!(out.stdout_text(), transcript);
        assert_eq!(out.code(), 0);
    }
}

/// Class D is multicast and class E reserved: no network/host split.
#[test]
fn classes_d_and_e_have_no_network_host_split() {
    let out = run(IP_CLASS, &["224.0.0.1"], b"");
    assert_eq!(
        out.stdout_text(),
        "IPv4 address: 224.0.0.1\n\
         First byte: 224 = 11100000 (binary)\n\
         Class D: first byte 224-239, leading bits 1110\n\
         Multicast: no network/host split\n"
    );
    let out = run(IP_CLASS, &["250.0.0.1"], b"");
    assert_eq!(
        out.stdout_text(),
        "IPv4 address: 250.0.0.1\n\
         First byte: 250 = 11111010 (binary)\n\
         Class E: first byte 240-255, leading bits 1111\n\
         Reserved: no network/host split\n"
    );
}

// --- port_share ----------------------------------------------------------

/// How many times a port_share check may start again with another port.
/// TCP and UDP take their kernel-chosen ports from the same range, and the
/// other suites hold UDP sockets at the same time, so the UDP port that has
/// the number the kernel chose for TCP may, rarely, belong to one of them.
/// Only that case is tried again; a program (or kernel) that never lets
/// UDP bind there fails every attempt.
const ATTEMPTS: usize = 3;

/// The notes' example, with the port the kernel chose for "0": TCP takes
/// the port, UDP binds the same port, a second TCP bind fails with
/// EADDRINUSE; all three lines name the chosen port.
#[test]
fn tcp_and_udp_share_a_port_number_but_two_tcp_sockets_cannot() {
    for attempt in 1..=ATTEMPTS {
        let out = run(PORT_SHARE, &["0"], b"");
        assert_eq!(out.code(), 0, "{}", out.stderr_text());
        let stdout = out.stdout_text();
        let chosen: u16 = stdout
            .lines()
            .nth(1)
            .and_then(|line| {
                line.strip_prefix("Port 0: the kernel chose port ")
            })
            .and_then(|rest| rest.split(';').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no chosen port on line 2:\n{stdout}"));
        assert_ne!(chosen, 0);
        let udp_taken =
            format!("UDP socket:   bind to port {chosen}: failed: EADDRINUSE");
        if stdout.contains(&udp_taken) && attempt < ATTEMPTS {
            continue; // another test's UDP socket has that number: try again
        }
        assert_eq!(
            stdout,
            format!(
                "TCP socket 1: bind to port 0: ok, listen: ok\n\
                 Port 0: the kernel chose port {chosen}; the next two sockets use it\n\
                 UDP socket:   bind to port {chosen}: ok\n\
                 TCP socket 2: bind to port {chosen}: failed: EADDRINUSE (Address already in use)\n"
            )
        );
        return;
    }
}

/// A socket bound to 127.0.0.1:`port` without SO_REUSEADDR.
fn bound(kind: Type, port: u16) -> std::io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, kind, None)?;
    socket.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, port).into())?;
    Ok(socket)
}

/// The same three claims with sockets the test itself holds: a listening
/// TCP socket, a UDP socket on its port (allowed), a second TCP socket on
/// its port (EADDRINUSE).
#[test]
fn sockets_held_by_the_test_obey_the_same_rules() {
    for attempt in 1..=ATTEMPTS {
        let tcp = bound(Type::STREAM, 0).unwrap();
        tcp.listen(5).unwrap();
        let port = tcp.local_addr().unwrap().as_socket().unwrap().port();
        let udp = bound(Type::DGRAM, port);
        if matches!(&udp, Err(err) if err.raw_os_error() == Some(libc::EADDRINUSE))
            && attempt < ATTEMPTS
        {
            continue; // another test's UDP socket has that number: try again
        }
        let _udp = udp.expect("UDP on the TCP socket's port");
        let err =
            bound(Type::STREAM, port).expect_err("a second TCP bind fails");
        assert_eq!(err.raw_os_error(), Some(libc::EADDRINUSE), "{err}");
        return;
    }
}

/// port_share really binds the port it names: on a TCP port the test
/// holds, its first bind fails like any server's (C message, OS reason).
#[test]
fn port_share_cannot_take_a_tcp_port_the_test_holds() {
    let tcp = bound(Type::STREAM, 0).unwrap();
    tcp.listen(5).unwrap();
    let port = tcp.local_addr().unwrap().as_socket().unwrap().port();
    let out = run(PORT_SHARE, &[&port.to_string()], b"");
    out.assert_clean_failure();
    assert_eq!(out.stdout_text(), "");
    assert_eq!(
        out.stderr_text(),
        "bind() error: Address already in use (os error 98)\n"
    );
}

// --- bad arguments ---------------------------------------------------------

/// No argument or too many: the usage line; `abc`, `70000`, `1.2.3.256`:
/// a clear error naming the argument. Exit 1, never a panic.
#[test]
fn bad_arguments_get_usage_or_a_clear_error() {
    for args in [&[][..], &["1.2.3.4", "5"]] {
        bad_args::assert_usage(IP_CLASS, args, "<IPv4>");
    }
    for bad in ["1.2.3.256", "abc", "127.1"] {
        let out = run(IP_CLASS, &[bad], b"");
        out.assert_clean_failure();
        assert_eq!(
            out.stderr_text(),
            format!(
                "bad <IPv4> argument \"{bad}\": expected a dotted-decimal IPv4 address such as 127.0.0.1\n"
            )
        );
    }
    bad_args::assert_server_args_checked(PORT_SHARE);
}

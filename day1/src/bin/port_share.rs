//! port_share: a TCP socket and a UDP socket can have the same port
//! number; two TCP sockets cannot.
//!
//! - Course notes: 1일차, "PORT" (under "소켓에 할당되는 IP주소와 PORT 번호":
//!   "TCP > 9190 PORT번호 할당 했다면 > 다른 TCP 소켓에는 9190 번호 X >
//!   하지만 UDP 소켓에서는 할당가능!")
//! - C original: none, a new program for the notes' 9190 example, written
//!   with the same calls as the book's servers
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `getsockname(2)`,
//!   `ip(7)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin port_share -- 9190
//! # port 0: the kernel picks a free port for the first socket
//! cargo run --bin port_share -- 0
//! ```
//!
//! Expected output of the first:
//!
//! ```text
//! TCP socket 1: bind to port 9190: ok, listen: ok
//! UDP socket:   bind to port 9190: ok
//! TCP socket 2: bind to port 9190: failed: EADDRINUSE (Address already in use)
//! ```
//!
//! With port 0 a line after the first says which port the kernel chose
//! (`Port 0: the kernel chose port 41234; the next two sockets use it`),
//! and the UDP socket and the second TCP socket bind to that port.
//!
//! If another program already has TCP port 9190, the first bind fails
//! like any server's: `bind() error: Address already in use (os error 98)`,
//! exit 1.
//!
//! # Differences from the C original
//!
//! - There is no C original. The port must be a number from 0 to 65535.
//! - The binds of the UDP socket and of the second TCP socket are
//!   expected to succeed and to fail: the program prints their result
//!   instead of ending at the first error, and exits 0.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use nix::errno::Errno;
use socket2::{Domain, Socket, Type};

/// `ok`, or the error's name and text: `failed: EADDRINUSE (Address
/// already in use)`.
fn bind_result(result: std::io::Result<()>) -> String {
    match result {
        Ok(()) => "ok".to_string(),
        Err(err) => {
            let errno = Errno::from_raw(err.raw_os_error().unwrap_or(0));
            format!("failed: {errno:?} ({})", errno.desc())
        }
    }
}

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "port_share: a TCP socket and a UDP socket can have the same port",
    "cargo run --bin port_share -- 9190",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // As in C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let port = common::port_arg(&args[0]);
    let mut stdout = std::io::stdout().lock();

    // ANCHOR: steps
    // C: tcp_sock=socket(PF_INET, SOCK_STREAM, 0);
    //    bind(tcp_sock, ...INADDR_ANY, htons(port)...); listen(tcp_sock, 5);
    // TCP socket 1 takes the port, as any server does.
    let tcp_sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    tcp_sock.bind(&addr.into()).or_die("bind() error");
    tcp_sock.listen(5).or_die("listen() error");
    writeln!(stdout, "TCP socket 1: bind to port {port}: ok, listen: ok")
        .or_die("write to stdout error");

    // C: getsockname(tcp_sock, ...);
    // Port 0 means "any free port": ask the socket which one it got, and
    // use that port for the other two sockets.
    let port = if port == 0 {
        let chosen = tcp_sock.local_addr().or_die("getsockname() error");
        let chosen = match chosen.as_socket_ipv4() {
            Some(addr) => addr.port(),
            None => common::error_handling(
                "getsockname() error: not an IPv4 address",
            ),
        };
        writeln!(
            stdout,
            "Port 0: the kernel chose port {chosen}; \
             the next two sockets use it"
        )
        .or_die("write to stdout error");
        chosen
    } else {
        port
    };
    let addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);

    // C: udp_sock=socket(PF_INET, SOCK_DGRAM, 0);
    //    bind(udp_sock, ...same port...);
    // UDP ports are a separate set from TCP ports: this bind succeeds.
    let udp_sock =
        Socket::new(Domain::IPV4, Type::DGRAM, None).or_die("socket() error");
    let result = bind_result(udp_sock.bind(&addr.into()));
    writeln!(stdout, "UDP socket:   bind to port {port}: {result}")
        .or_die("write to stdout error");

    // C: tcp_sock2=socket(PF_INET, SOCK_STREAM, 0);
    //    bind(tcp_sock2, ...same port...);
    // A second TCP socket on a TCP port in use: bind fails with EADDRINUSE.
    let tcp_sock2 =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let result = bind_result(tcp_sock2.bind(&addr.into()));
    writeln!(stdout, "TCP socket 2: bind to port {port}: {result}")
        .or_die("write to stdout error");

    // C: close(tcp_sock2); close(udp_sock); close(tcp_sock);
    drop(tcp_sock2);
    drop(udp_sock);
    drop(tcp_sock);
    // ANCHOR_END: steps
}

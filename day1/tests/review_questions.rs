//! The review questions of day 1 (docs/src/day1/questions.md) whose
//! answers are claims about behaviour: each test proves one answer, on
//! real sockets on 127.0.0.1 with ports the OS picks.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};

use harness::{TIMEOUT, refusing_port};
use socket2::{Domain, Socket, Type};

/// A socket bound to 127.0.0.1 with a port the OS picks, not listening.
fn bound_socket() -> (Socket, SocketAddr) {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket
        .bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into())
        .unwrap();
    let addr = socket.local_addr().unwrap().as_socket().unwrap();
    (socket, addr)
}

fn connect_to(addr: SocketAddr) -> std::io::Result<TcpStream> {
    TcpStream::connect_timeout(&addr, TIMEOUT)
}

/// Q: when can a client's `connect` succeed? Before the server's
/// `listen`, the port is bound but nobody takes connections: the kernel
/// answers with RST and `connect` fails with ECONNREFUSED.
#[test]
fn connect_before_listen_is_refused() {
    let (_bound, port) = refusing_port();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let err = connect_to(addr).expect_err("connect before listen");
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
}

/// Q: the same: after `listen`, `connect` succeeds at once, although the
/// server has not called `accept`: the kernel completes the handshake.
#[test]
fn connect_after_listen_succeeds_with_no_accept_yet() {
    let (server, addr) = bound_socket();
    server.listen(5).unwrap();
    let client = connect_to(addr).expect("connect after listen");
    assert_eq!(client.peer_addr().unwrap(), addr);
}

/// Q: what does `listen`'s backlog hold before any `accept`? Whole
/// connections, and the bytes their clients already sent: `accept`
/// later hands them out in the order they came, each with its bytes.
#[test]
fn backlog_holds_connections_and_their_bytes_until_accept() {
    let (server, addr) = bound_socket();
    server.listen(5).unwrap();
    let clients: Vec<TcpStream> = (1..=3)
        .map(|i| {
            let mut client = connect_to(addr).unwrap();
            client.write_all(format!("client {i}").as_bytes()).unwrap();
            client
        })
        .collect();
    for i in 1..=3 {
        let (accepted, _) = server.accept().unwrap();
        let mut accepted = TcpStream::from(accepted);
        accepted.set_read_timeout(Some(TIMEOUT)).unwrap();
        let mut got = [0u8; 8];
        accepted.read_exact(&mut got).unwrap();
        assert_eq!(&got, format!("client {i}").as_bytes());
    }
    drop(clients);
}

/// Q: why does a server `bind` and a client not? `connect` gives an
/// unbound socket an address and a port of the OS's choosing.
#[test]
fn connect_gives_the_client_a_port_without_bind() {
    let (server, addr) = bound_socket();
    server.listen(5).unwrap();
    let client = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let before = client.local_addr().unwrap().as_socket().unwrap();
    assert_eq!(before.port(), 0, "no port before connect");
    client.connect(&addr.into()).unwrap();
    let after = client.local_addr().unwrap().as_socket().unwrap();
    assert_ne!(after.port(), 0, "a port after connect");
    assert_eq!(after.ip(), Ipv4Addr::LOCALHOST);
}

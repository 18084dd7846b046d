//! The review questions of day 2 (docs/src/day2/questions.md) whose
//! answers are claims about behaviour not proven elsewhere: each test
//! proves one answer, on real sockets on 127.0.0.1.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream};

use harness::{TIMEOUT, connect, listener};

/// Q: what does the server's `read` return when the client closes? First
/// every byte the client sent, then 0: end of stream, never an error.
/// That 0 is how echo_server knows a client is done.
#[test]
fn read_returns_the_bytes_then_0_after_the_peer_closes() {
    let (listener, port) = listener();
    let mut client = connect(port);
    let (mut server_side, _) = listener.accept().unwrap();
    server_side.set_read_timeout(Some(TIMEOUT)).unwrap();
    client.write_all(b"last words").unwrap();
    drop(client);
    let mut all = Vec::new();
    let mut buf = [0u8; 4];
    loop {
        let n = server_side.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        all.extend_from_slice(&buf[..n]);
    }
    assert_eq!(all, b"last words");
    assert_eq!(server_side.read(&mut buf).unwrap(), 0, "0 again, and again");
}

/// Q: which port does the socket `accept` returns have? The listening
/// port itself: one port, many connections, told apart by the client's
/// address and port. The listening socket stays the doorkeeper.
#[test]
fn an_accepted_socket_has_the_listening_port() {
    let (listener, port) = listener();
    let first = connect(port);
    let second = connect(port);
    let (a, a_peer) = listener.accept().unwrap();
    let (b, b_peer) = listener.accept().unwrap();
    for accepted in [&a, &b] {
        let local = accepted.local_addr().unwrap();
        assert_eq!(local.port(), port);
        assert_eq!(local.ip(), Ipv4Addr::LOCALHOST);
    }
    assert_eq!(a_peer, first.local_addr().unwrap());
    assert_eq!(b_peer, second.local_addr().unwrap());
    assert_ne!(a_peer.port(), b_peer.port());
    // The listener still takes new connections.
    let _third: TcpStream = connect(port);
    listener.accept().unwrap();
}

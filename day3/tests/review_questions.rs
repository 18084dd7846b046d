//! The review questions of day 3 (docs/src/day3/questions.md) whose
//! answers are claims about behaviour not proven elsewhere: each test
//! proves one answer, on real sockets on 127.0.0.1.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr};
use std::os::fd::AsRawFd;

use harness::{TIMEOUT, accept, connect, listener, read_to_end, udp_socket};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};
use socket2::{Domain, Socket, Type};

/// Q: why does a UDP client need no `connect`? Each `sendto` carries its
/// address: one unconnected socket, never bound, sends to two peers, and
/// the first `sendto` gave it its port.
#[test]
fn one_udp_socket_sends_to_two_peers_without_connect_or_bind() {
    let (peer_a, port_a) = udp_socket();
    let (peer_b, port_b) = udp_socket();
    let client = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    let port_of = |socket: &Socket| {
        socket.local_addr().unwrap().as_socket().unwrap().port()
    };
    assert_eq!(port_of(&client), 0, "no port before the first sendto");
    let to = |port: u16| SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    client.send_to(b"to a", &to(port_a).into()).unwrap();
    let client_port = port_of(&client);
    assert_ne!(client_port, 0, "sendto gave the socket a port");
    client.send_to(b"to b", &to(port_b).into()).unwrap();
    let mut buf = [0u8; 8];
    let (n, from) = peer_a.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from.port()), (&b"to a"[..], client_port));
    let (n, from) = peer_b.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from.port()), (&b"to b"[..], client_port));
}

/// Q: what can the peer still do after our `shutdown(SHUT_WR)`? It reads
/// the end of our stream (0) but can still send, and we still read it:
/// half-close, as file_client's `Thank you` shows.
#[test]
fn after_shut_wr_the_peer_reads_eof_and_can_still_send() {
    let (listener, port) = listener();
    let mut ours = connect(port);
    let mut peer = accept(&listener);
    ours.write_all(b"all of it").unwrap();
    ours.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_to_end(&mut peer), b"all of it");
    peer.write_all(b"Thank you").unwrap();
    drop(peer);
    assert_eq!(read_to_end(&mut ours), b"Thank you");
}

/// Q: what does a child have of its parent's descriptors? A copy of each,
/// under the same number, naming the same socket: the child writes to the
/// connection through the parent's number, and when the child's copy is
/// closed (it exits) the parent's still works.
#[test]
fn a_child_has_its_parents_descriptors() {
    let (listener, port) = listener();
    let parent_stream = connect(port);
    let mut peer = accept(&listener);
    let fd = parent_stream.as_raw_fd();
    // SAFETY: the child calls only write(2) and _exit(2), both
    // async-signal-safe, so it is sound in a multi-threaded test process.
    match unsafe { fork() }.unwrap() {
        ForkResult::Child => {
            let message = b"from the child";
            // SAFETY: `fd` is the child's copy of the parent's socket;
            // write(2) reads `message` only.
            let n = unsafe { libc::write(fd, message.as_ptr().cast(), 14) };
            // SAFETY: _exit ends the child at once, running nothing of
            // the parent's (no destructors, no test harness).
            unsafe { libc::_exit(if n == 14 { 0 } else { 1 }) };
        }
        ForkResult::Parent { child } => {
            assert_eq!(
                waitpid(child, None).unwrap(),
                WaitStatus::Exited(child, 0)
            );
        }
    }
    let mut buf = [0u8; 14];
    peer.set_read_timeout(Some(TIMEOUT)).unwrap();
    peer.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"from the child");
    (&parent_stream).write_all(b" and the parent").unwrap();
    drop(parent_stream);
    assert_eq!(read_to_end(&mut peer), b" and the parent");
}

//! TCP segments on the loopback interface, as `tcp_watch --packets` shows
//! them: a raw `AF_PACKET` socket bound to `lo` (`man 7 packet`), each
//! frame parsed with `etherparse`, sequence and acknowledgement numbers
//! made relative to each direction's first sequence number (its ISN, from
//! the SYN), the way `tcpdump` and Wireshark show them.
//!
//! Loopback hands a packet socket every frame twice, once leaving
//! (`PACKET_OUTGOING`) and once arriving (`PACKET_HOST`): only the
//! outgoing copy is kept.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

use etherparse::{NetSlice, SlicedPacket, TcpOptionElement, TransportSlice};

/// One TCP segment, numbers relative to its connection's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    /// `SYN`, `SYN+ACK`, `ACK`, `PSH+ACK`, `FIN+ACK`, `RST`...
    pub flags: String,
    /// Relative to the sender's ISN (the SYN's own number is 0).
    pub seq: u32,
    /// Relative to the receiver's ISN; `None` without the ACK flag.
    pub ack: Option<u32>,
    /// The receive window the sender offers, in bytes: the header's
    /// field, shifted by the sender's window scale once both SYNs agreed
    /// on scaling (RFC 7323); the SYNs' own field is never scaled.
    pub win: u32,
    /// Payload bytes.
    pub len: usize,
}

/// The flags a segment carries, in the order people say them.
pub fn flag_names(
    syn: bool,
    fin: bool,
    rst: bool,
    psh: bool,
    ack: bool,
) -> String {
    let names = [(syn, "SYN"), (fin, "FIN"), (rst, "RST"), (psh, "PSH")];
    let mut out: Vec<&str> = names
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| *n)
        .collect();
    if ack {
        out.push("ACK");
    }
    if out.is_empty() {
        return "none".to_string();
    }
    out.join("+")
}

/// Remembers each direction's initial sequence number and window scale.
#[derive(Default)]
pub struct Relative {
    isn: HashMap<(SocketAddr, SocketAddr), u32>,
    /// The shift each SYN announced (`None`: that SYN had no option).
    scale: HashMap<(SocketAddr, SocketAddr), Option<u8>>,
}

impl Relative {
    /// Parses one Ethernet frame (loopback frames have a zeroed Ethernet
    /// header); `Some` for a TCP segment to or from `port`.
    pub fn segment(&mut self, frame: &[u8], port: u16) -> Option<Segment> {
        let packet = SlicedPacket::from_ethernet(frame).ok()?;
        let (src_ip, dst_ip): (IpAddr, IpAddr) = match packet.net? {
            NetSlice::Ipv4(ip) => (
                ip.header().source_addr().into(),
                ip.header().destination_addr().into(),
            ),
            NetSlice::Ipv6(ip) => (
                ip.header().source_addr().into(),
                ip.header().destination_addr().into(),
            ),
            NetSlice::Arp(_) => return None,
        };
        let Some(TransportSlice::Tcp(tcp)) = packet.transport else {
            return None;
        };
        if tcp.source_port() != port && tcp.destination_port() != port {
            return None;
        }
        let src = SocketAddr::new(src_ip, tcp.source_port());
        let dst = SocketAddr::new(dst_ip, tcp.destination_port());
        let raw_seq = tcp.sequence_number();
        if tcp.syn() {
            // A new connection (or a retransmitted SYN): its ISN.
            self.isn.insert((src, dst), raw_seq);
            let shift = tcp.options_iterator().find_map(|o| match o {
                Ok(TcpOptionElement::WindowScale(shift)) => Some(shift),
                _ => None,
            });
            self.scale.insert((src, dst), shift);
        }
        let win = u32::from(tcp.window_size());
        let win =
            match (self.scale.get(&(src, dst)), self.scale.get(&(dst, src))) {
                (Some(Some(mine)), Some(Some(_))) if !tcp.syn() => {
                    win << mine.min(&14)
                }
                _ => win,
            };
        // A connection seen without its SYN starts where we first saw it.
        let base = *self.isn.entry((src, dst)).or_insert(raw_seq);
        let ack = tcp.ack().then(|| {
            let raw = tcp.acknowledgment_number();
            let peer = *self.isn.entry((dst, src)).or_insert(raw);
            raw.wrapping_sub(peer)
        });
        Some(Segment {
            src,
            dst,
            flags: flag_names(
                tcp.syn(),
                tcp.fin(),
                tcp.rst(),
                tcp.psh(),
                tcp.ack(),
            ),
            seq: raw_seq.wrapping_sub(base),
            ack,
            win,
            len: tcp.payload().len(),
        })
    }
}

/// Why a capture could not start.
#[derive(Debug)]
pub enum CaptureError {
    /// `EPERM`: the process lacks `CAP_NET_RAW`.
    NotPermitted,
    Other(io::Error),
}

/// A raw packet socket on `lo`, non-blocking.
pub struct Capture {
    fd: OwnedFd,
    buf: Vec<u8>,
}

const ETH_P_ALL: u16 = 0x0003;

impl Capture {
    /// Opens the socket and binds it to the loopback interface.
    pub fn open_loopback() -> Result<Capture, CaptureError> {
        let protocol = i32::from(ETH_P_ALL.to_be());
        // SAFETY: socket(2) with constant arguments; it returns a new
        // descriptor or -1.
        let fd = unsafe {
            libc::socket(
                libc::AF_PACKET,
                libc::SOCK_RAW | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                protocol,
            )
        };
        if fd < 0 {
            let err = io::Error::last_os_error();
            return Err(match err.raw_os_error() {
                Some(libc::EPERM) | Some(libc::EACCES) => {
                    CaptureError::NotPermitted
                }
                _ => CaptureError::Other(err),
            });
        }
        // SAFETY: `fd` is a descriptor socket(2) just returned, owned by
        // nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: if_nametoindex reads the NUL-terminated name only.
        let index = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
        if index == 0 {
            return Err(CaptureError::Other(io::Error::last_os_error()));
        }
        // SAFETY: sockaddr_ll is plain data; all-zero bytes are valid.
        let mut addr: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        addr.sll_family = libc::AF_PACKET as u16;
        addr.sll_protocol = ETH_P_ALL.to_be();
        addr.sll_ifindex = index as i32;
        // SAFETY: bind(2) reads `addr`, a live sockaddr_ll of the size
        // given.
        let rc = unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&raw const addr).cast(),
                size_of::<libc::sockaddr_ll>() as libc::socklen_t,
            )
        };
        if rc != 0 {
            return Err(CaptureError::Other(io::Error::last_os_error()));
        }
        Ok(Capture {
            fd,
            buf: vec![0; 70_000], // lo's MTU is 65536
        })
    }

    /// Waits up to `timeout` for a frame to arrive.
    pub fn wait(&self, timeout: Duration) {
        let mut poll = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: poll(2) on one live pollfd for the duration of the call.
        unsafe { libc::poll(&mut poll, 1, ms) };
    }

    /// The next outgoing frame already queued, if any.
    pub fn next_frame(&mut self) -> Option<&[u8]> {
        loop {
            // SAFETY: sockaddr_ll is plain data; all-zero bytes are valid.
            let mut from: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
            let mut len = size_of::<libc::sockaddr_ll>() as libc::socklen_t;
            // SAFETY: recvfrom(2) writes at most buf.len() bytes into our
            // buffer and at most `len` bytes into `from`, both live.
            let n = unsafe {
                libc::recvfrom(
                    self.fd.as_raw_fd(),
                    self.buf.as_mut_ptr().cast(),
                    self.buf.len(),
                    0,
                    (&raw mut from).cast(),
                    &mut len,
                )
            };
            if n < 0 {
                return None; // EAGAIN: nothing more queued
            }
            if from.sll_pkttype == libc::PACKET_OUTGOING {
                return Some(&self.buf[..n as usize]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_as_people_say_them() {
        assert_eq!(flag_names(true, false, false, false, true), "SYN+ACK");
        assert_eq!(flag_names(false, true, false, false, true), "FIN+ACK");
        assert_eq!(flag_names(false, false, false, true, true), "PSH+ACK");
        assert_eq!(flag_names(false, false, true, false, false), "RST");
    }
}

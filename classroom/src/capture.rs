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
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
    /// Opens the socket, binds it to the loopback interface, and has the
    /// kernel keep only TCP segments of `port` (a classic BPF filter), so
    /// other traffic on a busy machine cannot fill its queue.
    pub fn open_loopback(port: u16) -> Result<Capture, CaptureError> {
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
        attach_port_filter(&fd, port).map_err(CaptureError::Other)?;
        // Room for bursts: 4 MB (SO_RCVBUFFORCE: root may pass rmem_max;
        // without it the plain option gives what it can).
        let size: libc::c_int = 4 << 20;
        for option in [libc::SO_RCVBUFFORCE, libc::SO_RCVBUF] {
            // SAFETY: setsockopt(2) reads one c_int that lives for the
            // whole call.
            let rc = unsafe {
                libc::setsockopt(
                    fd.as_raw_fd(),
                    libc::SOL_SOCKET,
                    option,
                    (&raw const size).cast(),
                    size_of::<libc::c_int>() as libc::socklen_t,
                )
            };
            if rc == 0 {
                break;
            }
        }
        let capture = Capture {
            fd,
            buf: vec![0; 70_000], // lo's MTU is 65536
        };
        // The first SIOCGSTAMPNS switches time stamps on: from then on
        // each frame carries the time the kernel saw it, and the ioctl
        // after each recvfrom reads that frame's. (SO_TIMESTAMPNS would
        // send them as control messages instead, and leave the ioctl
        // answering "now".)
        let _ = capture.last_stamp();
        Ok(capture)
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

    /// The next outgoing frame already queued, if any, with the time the
    /// kernel saw it leave.
    pub fn next_frame(&mut self) -> Option<(SystemTime, &[u8])> {
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
                let at = self.last_stamp().unwrap_or_else(SystemTime::now);
                return Some((at, &self.buf[..n as usize]));
            }
        }
    }
}

/// `tcpdump -dd "tcp port <port>"`, for Ethernet frames: IPv6 with TCP
/// right after its header, or IPv4 (not a later fragment) whose TCP
/// source or destination port is `port`. Each entry: (code, jump-if-true
/// target, jump-if-false target, k), targets as instruction numbers.
fn port_filter(port: u16) -> Vec<libc::sock_filter> {
    const LDH_ABS: u16 = 0x28; // A = u16 at [k]
    const LDB_ABS: u16 = 0x30; // A = u8 at [k]
    const LDH_IND: u16 = 0x48; // A = u16 at [X + k]
    const LDXB_MSH: u16 = 0xb1; // X = 4 * ([k] & 0xf): IPv4 header length
    const JEQ: u16 = 0x15; // if A == k
    const JSET: u16 = 0x45; // if A & k
    const RET: u16 = 0x06; // keep k bytes (0: drop)
    let p = u32::from(port);
    let program: [(u16, u8, u8, u32); 20] = [
        (LDH_ABS, 0, 0, 12),    // 0: EtherType
        (JEQ, 2, 8, 0x86dd),    // 1: IPv6?
        (LDB_ABS, 0, 0, 20),    // 2: next header
        (JEQ, 4, 19, 6),        // 3: TCP?
        (LDH_ABS, 0, 0, 54),    // 4: source port
        (JEQ, 18, 6, p),        // 5
        (LDH_ABS, 0, 0, 56),    // 6: destination port
        (JEQ, 18, 19, p),       // 7
        (JEQ, 9, 19, 0x0800),   // 8: IPv4?
        (LDB_ABS, 0, 0, 23),    // 9: protocol
        (JEQ, 11, 19, 6),       // 10: TCP?
        (LDH_ABS, 0, 0, 20),    // 11: fragment offset
        (JSET, 19, 13, 0x1fff), // 12: a later fragment: no ports
        (LDXB_MSH, 0, 0, 14),   // 13: X = IPv4 header length
        (LDH_IND, 0, 0, 14),    // 14: source port
        (JEQ, 18, 16, p),       // 15
        (LDH_IND, 0, 0, 16),    // 16: destination port
        (JEQ, 18, 19, p),       // 17
        (RET, 0, 0, 262_144),   // 18: keep the whole frame
        (RET, 0, 0, 0),         // 19: drop
    ];
    program
        .iter()
        .enumerate()
        .map(|(at, &(code, jt, jf, k))| {
            // Jumps count from the next instruction.
            let rel = |target: u8| {
                if code == JEQ || code == JSET {
                    target - at as u8 - 1
                } else {
                    0
                }
            };
            libc::sock_filter {
                code,
                jt: rel(jt),
                jf: rel(jf),
                k,
            }
        })
        .collect()
}

fn attach_port_filter(fd: &OwnedFd, port: u16) -> io::Result<()> {
    let mut filter = port_filter(port);
    let program = libc::sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_mut_ptr(),
    };
    // SAFETY: setsockopt(2) copies the program, which `filter` keeps
    // alive for the whole call, into the kernel.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_ATTACH_FILTER,
            (&raw const program).cast(),
            size_of::<libc::sock_fprog>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

impl Capture {
    /// The kernel's time stamp of the frame read last (`SIOCGSTAMPNS`).
    fn last_stamp(&self) -> Option<SystemTime> {
        const SIOCGSTAMPNS: libc::c_ulong = 0x8907;
        // SAFETY: timespec is plain data; all-zero bytes are valid.
        let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
        // SAFETY: the ioctl writes one timespec into `ts`, which lives
        // for the whole call.
        let rc = unsafe {
            libc::ioctl(self.fd.as_raw_fd(), SIOCGSTAMPNS, &raw mut ts)
        };
        if rc != 0 {
            return None;
        }
        let since_epoch = Duration::new(
            u64::try_from(ts.tv_sec).ok()?,
            u32::try_from(ts.tv_nsec).ok()?,
        );
        Some(UNIX_EPOCH + since_epoch)
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

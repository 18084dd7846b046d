//! The kernel's socket table: every TCP or UDP socket of this network
//! namespace with both endpoints, its state, the inode that ties it to a
//! process's fd, and its timer (how long a TIME_WAIT socket has left).
//!
//! It asks the kernel through `NETLINK_SOCK_DIAG` (`man 7 sock_diag`), the
//! interface `ss` uses: one `SOCK_DIAG_BY_FAMILY` dump request, answered
//! with one binary `inet_diag_msg` per socket. That costs a fraction of
//! formatting and parsing `/proc/net/tcp`, which matters to a watcher that
//! looks every millisecond. Where the netlink family is missing (a kernel
//! without `inet_diag`, or `udp_diag` not loaded) it reads
//! `/proc/net/{tcp,tcp6,udp,udp6}` instead; both give the same [`Entry`].

use std::fs;
use std::io::{self, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

/// A transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    Tcp,
    Udp,
}

/// TCP state numbers from the kernel's `include/net/tcp_states.h`.
pub const TCP_ESTABLISHED: u8 = 1;
pub const TCP_SYN_SENT: u8 = 2;
pub const TCP_SYN_RECV: u8 = 3;
pub const TCP_FIN_WAIT1: u8 = 4;
pub const TCP_FIN_WAIT2: u8 = 5;
pub const TCP_TIME_WAIT: u8 = 6;
pub const TCP_CLOSE: u8 = 7;
pub const TCP_CLOSE_WAIT: u8 = 8;
pub const TCP_LAST_ACK: u8 = 9;
pub const TCP_LISTEN: u8 = 10;
pub const TCP_CLOSING: u8 = 11;
/// A connection request not yet accepted by the handshake's last ACK.
pub const TCP_NEW_SYN_RECV: u8 = 12;
/// A bound UDP socket shows as TCP_CLOSE (7), a connected one as
/// TCP_ESTABLISHED.
pub const UDP_BOUND: u8 = TCP_CLOSE;

/// The name `ss` and the RFC use for a TCP state number.
pub fn tcp_state_name(state: u8) -> &'static str {
    match state {
        TCP_ESTABLISHED => "ESTABLISHED",
        TCP_SYN_SENT => "SYN_SENT",
        TCP_SYN_RECV | TCP_NEW_SYN_RECV => "SYN_RECV",
        TCP_FIN_WAIT1 => "FIN_WAIT_1",
        TCP_FIN_WAIT2 => "FIN_WAIT_2",
        TCP_TIME_WAIT => "TIME_WAIT",
        TCP_CLOSE => "CLOSED",
        TCP_CLOSE_WAIT => "CLOSE_WAIT",
        TCP_LAST_ACK => "LAST_ACK",
        TCP_LISTEN => "LISTEN",
        TCP_CLOSING => "CLOSING",
        _ => "UNKNOWN",
    }
}

/// One socket of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub proto: Proto,
    pub local: SocketAddr,
    pub remote: SocketAddr,
    /// The kernel's state number (see the `TCP_*` constants).
    pub state: u8,
    /// 0 for a socket no process holds (TIME_WAIT, a pending connection).
    pub inode: u64,
    /// The time left on the socket's running timer, if one runs: for a
    /// TIME_WAIT socket, how long until the kernel forgets it.
    pub timer: Option<Duration>,
}

/// Where the table was read from, for tools that say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    SockDiag,
    ProcNet,
}

/// A reader of the socket table that keeps its netlink socket between
/// looks (a watcher looks often).
pub struct Table {
    netlink: Option<Socket>,
    buf: Vec<u8>,
}

/// Every socket of `proto`, IPv4 and IPv6, read once.
pub fn sockets(proto: Proto) -> io::Result<Vec<Entry>> {
    Table::new().read(proto)
}

/// Every state, for [`Table::read_some`].
pub const ALL_STATES: u32 = u32::MAX;

/// The bit of one state number in a state mask (`1 << TCP_LISTEN`).
pub const fn state_bit(state: u8) -> u32 {
    if state < 32 { 1 << state } else { 0 }
}

/// Which sockets a look asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub proto: Proto,
    /// IPv6 sockets too (a second dump).
    pub ipv6: bool,
    /// A mask of [`state_bit`]s. A TCP dump of LISTEN alone walks only
    /// the kernel's small table of listeners; any other state makes it
    /// walk the table of connections, every bucket (262144 here), which
    /// costs milliseconds whatever the number of sockets.
    pub states: u32,
}

impl Default for Table {
    fn default() -> Self {
        Table::new()
    }
}

impl Table {
    /// A reader; it opens its netlink socket on the first look.
    pub fn new() -> Table {
        Table {
            netlink: None,
            buf: vec![0; 64 * 1024],
        }
    }

    /// Where [`Table::read`] gets its answer on this machine.
    pub fn source(&mut self, proto: Proto) -> Source {
        match self.dump(proto, libc::AF_INET as u8, state_bit(TCP_LISTEN)) {
            Ok(_) => Source::SockDiag,
            Err(_) => Source::ProcNet,
        }
    }

    /// Every socket of `proto`, IPv4 then IPv6.
    pub fn read(&mut self, proto: Proto) -> io::Result<Vec<Entry>> {
        self.read_some(Query {
            proto,
            ipv6: true,
            states: ALL_STATES,
        })
    }

    /// The sockets `query` asks for, IPv4 then IPv6.
    pub fn read_some(&mut self, query: Query) -> io::Result<Vec<Entry>> {
        let wanted = |e: &Entry| {
            query.states & state_bit(e.state) != 0
                && (query.ipv6 || e.local.is_ipv4())
        };
        let v4 = libc::AF_INET as u8;
        let mut all = match self.dump(query.proto, v4, query.states) {
            Ok(v4) => v4,
            Err(_) => {
                let mut all = read_proc_net(query.proto)?;
                all.retain(wanted);
                return Ok(all);
            }
        };
        // An IPv6-less kernel answers the AF_INET6 dump with an error.
        let v6 = libc::AF_INET6 as u8;
        if query.ipv6
            && let Ok(v6) = self.dump(query.proto, v6, query.states)
        {
            all.extend(v6);
        }
        Ok(all)
    }

    /// One `SOCK_DIAG_BY_FAMILY` dump of `family`/`proto` in `states`.
    fn dump(
        &mut self,
        proto: Proto,
        family: u8,
        states: u32,
    ) -> io::Result<Vec<Entry>> {
        if self.netlink.is_none() {
            let socket = Socket::new(
                Domain::from(libc::AF_NETLINK),
                Type::DGRAM,
                Some(Protocol::from(NETLINK_SOCK_DIAG)),
            )?;
            socket.set_read_timeout(Some(Duration::from_secs(2)))?;
            self.netlink = Some(socket);
        }
        let Some(socket) = self.netlink.as_ref() else {
            return Err(io::Error::other("no netlink socket"));
        };
        socket.send(&dump_request(proto, family, states))?;
        let mut entries = Vec::new();
        loop {
            let n = (&*socket).read(&mut self.buf)?;
            if n == 0 {
                return Err(io::Error::other("netlink: empty answer"));
            }
            if parse_answer(&self.buf[..n], proto, &mut entries)? {
                return Ok(entries);
            }
        }
    }
}

// From <linux/netlink.h>, <linux/sock_diag.h> and <linux/inet_diag.h>.
const NETLINK_SOCK_DIAG: i32 = 4;
const SOCK_DIAG_BY_FAMILY: u16 = 20;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_DUMP: u16 = 0x300;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_HDRLEN: usize = 16;
/// `struct inet_diag_req_v2`: family, protocol, ext, pad, states, sockid.
const REQ_LEN: usize = 56;
/// `struct inet_diag_msg`, the answer for one socket.
const MSG_LEN: usize = 72;

/// `struct nlmsghdr` + `struct inet_diag_req_v2` asking for every socket
/// of `family`/`proto` in `states`.
fn dump_request(proto: Proto, family: u8, states: u32) -> Vec<u8> {
    let len = NLMSG_HDRLEN + REQ_LEN;
    let mut msg = Vec::with_capacity(len);
    msg.extend_from_slice(&(len as u32).to_ne_bytes()); // nlmsg_len
    msg.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes()); // nlmsg_type
    msg.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    msg.extend_from_slice(&1u32.to_ne_bytes()); // nlmsg_seq
    msg.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_pid: the kernel
    let protocol = match proto {
        Proto::Tcp => libc::IPPROTO_TCP,
        Proto::Udp => libc::IPPROTO_UDP,
    };
    msg.push(family); // sdiag_family
    msg.push(protocol as u8); // sdiag_protocol
    msg.push(0); // idiag_ext: no extra attributes
    msg.push(0); // pad
    msg.extend_from_slice(&states.to_ne_bytes()); // idiag_states
    msg.resize(len, 0); // idiag_id: zero, a dump ignores it
    msg
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

/// Parses one datagram of the answer into `entries`; `Ok(true)` at the
/// end of the dump (`NLMSG_DONE`).
fn parse_answer(
    mut bytes: &[u8],
    proto: Proto,
    entries: &mut Vec<Entry>,
) -> io::Result<bool> {
    let bad = || io::Error::other("netlink: malformed answer");
    while bytes.len() >= NLMSG_HDRLEN {
        let len = u32_at(bytes, 0).ok_or_else(bad)? as usize;
        let kind = u16_at(bytes, 4).ok_or_else(bad)?;
        if len < NLMSG_HDRLEN || len > bytes.len() {
            return Err(bad());
        }
        let body = &bytes[NLMSG_HDRLEN..len];
        match kind {
            NLMSG_DONE => return Ok(true),
            NLMSG_ERROR => {
                let errno = u32_at(body, 0).ok_or_else(bad)? as i32;
                return Err(io::Error::from_raw_os_error(-errno));
            }
            _ => entries.push(parse_diag_msg(body, proto).ok_or_else(bad)?),
        }
        // Each message starts on a 4-byte boundary.
        let next = (len + 3) & !3;
        bytes = bytes.get(next..).unwrap_or(&[]);
    }
    Ok(false)
}

/// `struct inet_diag_msg`: family, state, timer, retrans, then
/// `inet_diag_sockid` (ports and addresses in network byte order), then
/// expires (ms), rqueue, wqueue, uid, inode.
fn parse_diag_msg(msg: &[u8], proto: Proto) -> Option<Entry> {
    if msg.len() < MSG_LEN {
        return None;
    }
    let family = msg[0] as i32;
    let state = msg[1];
    let timer = msg[2];
    let sport = u16::from_be_bytes([msg[4], msg[5]]);
    let dport = u16::from_be_bytes([msg[6], msg[7]]);
    let addr = |at: usize| -> Option<IpAddr> {
        let raw: [u8; 16] = msg.get(at..at + 16)?.try_into().ok()?;
        Some(if family == libc::AF_INET {
            IpAddr::V4(Ipv4Addr::new(raw[0], raw[1], raw[2], raw[3]))
        } else {
            IpAddr::V6(Ipv6Addr::from(raw))
        })
    };
    let expires = u32_at(msg, 52)?;
    Some(Entry {
        proto,
        local: SocketAddr::new(addr(8)?, sport),
        remote: SocketAddr::new(addr(24)?, dport),
        state,
        inode: u64::from(u32_at(msg, 68)?),
        timer: (timer != 0).then(|| Duration::from_millis(u64::from(expires))),
    })
}

/// The fallback: `/proc/net/{tcp,tcp6}` or `{udp,udp6}`.
fn read_proc_net(proto: Proto) -> io::Result<Vec<Entry>> {
    let files = match proto {
        Proto::Tcp => ["/proc/net/tcp", "/proc/net/tcp6"],
        Proto::Udp => ["/proc/net/udp", "/proc/net/udp6"],
    };
    let mut all = Vec::new();
    for (i, file) in files.iter().enumerate() {
        match fs::read_to_string(file) {
            Ok(text) => all.extend(
                text.lines()
                    .skip(1)
                    .filter_map(|l| parse_proc_line(l, proto)),
            ),
            Err(err) if i == 0 => return Err(err),
            Err(_) => {} // no IPv6
        }
    }
    Ok(all)
}

/// `sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...`, the
/// addresses as hex of the kernel's bytes (`0100007F:2382`), `when` in
/// clock ticks (`USER_HZ`, 100 a second).
fn parse_proc_line(line: &str, proto: Proto) -> Option<Entry> {
    let cols: Vec<&str> = line.split_whitespace().collect();
    let endpoint = |col: &str| -> Option<SocketAddr> {
        let (ip, port) = col.split_once(':')?;
        let port = u16::from_str_radix(port, 16).ok()?;
        let mut bytes = Vec::with_capacity(16);
        // Each 32-bit word is printed as a number in host byte order.
        for word in 0..ip.len() / 8 {
            let hex = ip.get(word * 8..word * 8 + 8)?;
            let value = u32::from_str_radix(hex, 16).ok()?;
            bytes.extend_from_slice(&value.to_ne_bytes());
        }
        let ip = match bytes.len() {
            4 => IpAddr::V4(Ipv4Addr::new(
                bytes[0], bytes[1], bytes[2], bytes[3],
            )),
            16 => IpAddr::V6(Ipv6Addr::from(
                <[u8; 16]>::try_from(bytes.as_slice()).ok()?,
            )),
            _ => return None,
        };
        Some(SocketAddr::new(ip, port))
    };
    let (active, when) = cols.get(5)?.split_once(':')?;
    let ticks = u64::from_str_radix(when, 16).ok()?;
    Some(Entry {
        proto,
        local: endpoint(cols.get(1)?)?,
        remote: endpoint(cols.get(2)?)?,
        state: u8::from_str_radix(cols.get(3)?, 16).ok()?,
        inode: cols.get(9)?.parse().ok()?,
        timer: (active != "00").then(|| Duration::from_millis(ticks * 10)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_proc_net_tcp_line() {
        let line = "   1: 0100007F:2382 0100007F:D431 06 00000000:00000000 \
                    03:00001770 00000000     0        0 0 3 0000000000000000";
        let entry = parse_proc_line(line, Proto::Tcp).expect("parsed");
        assert_eq!(entry.local, "127.0.0.1:9090".parse().expect("addr"));
        assert_eq!(entry.remote.port(), 0xD431);
        assert_eq!(entry.state, TCP_TIME_WAIT);
        assert_eq!(entry.timer, Some(Duration::from_secs(60)));
    }

    #[test]
    fn sock_diag_and_proc_net_agree_on_a_listener() {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let find = |all: Vec<Entry>| {
            all.into_iter()
                .find(|e| e.local == addr && e.state == TCP_LISTEN)
        };
        let diag = find(Table::new().read(Proto::Tcp).expect("diag"));
        let proc = find(read_proc_net(Proto::Tcp).expect("proc"));
        assert!(diag.is_some(), "sock_diag sees the listener");
        assert_eq!(diag, proc);
    }
}

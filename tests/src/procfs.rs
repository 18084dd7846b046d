//! What `/proc` and the kernel's socket table say about processes and
//! sockets: how the tests learn a server's port without a race, see a
//! zombie, and find a process's children. The readers live in
//! [`runner::procfs`] and [`runner::socktab`], shared with the classroom
//! tools; this module keeps the harness's names for them.

use std::net::SocketAddr;
use std::time::Duration;

pub use runner::procfs::{
    Stat, all_processes, blocked_in_syscall, bound_port, children_of,
    live_members_of_group, self_and_descendants, socket_inodes, stat,
};
pub use runner::socktab::Proto;

/// One IPv4 socket of the kernel's table (what `/proc/net/tcp` or
/// `/proc/net/udp` shows on a line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketEntry {
    pub local_port: u16,
    pub remote_port: u16,
    /// The kernel's state number: TCP 0x0A LISTEN, 0x06 TIME_WAIT,
    /// 0x01 ESTABLISHED; UDP 0x07 for a bound socket.
    pub state: u8,
    /// 0 for sockets no process holds (a TIME_WAIT socket).
    pub inode: u64,
}

/// TCP state numbers from the kernel's `include/net/tcp_states.h`.
pub const TCP_ESTABLISHED: u8 = runner::socktab::TCP_ESTABLISHED;
pub const TCP_TIME_WAIT: u8 = runner::socktab::TCP_TIME_WAIT;
pub const TCP_LISTEN: u8 = runner::socktab::TCP_LISTEN;
/// A bound UDP socket shows as TCP_CLOSE (7).
pub const UDP_BOUND: u8 = runner::socktab::UDP_BOUND;

/// Every IPv4 socket of `proto` in this network namespace (empty if the
/// table cannot be read).
pub fn sockets(proto: Proto) -> Vec<SocketEntry> {
    runner::socktab::sockets(proto)
        .unwrap_or_default()
        .into_iter()
        .filter(|s| matches!(s.local, SocketAddr::V4(_)))
        .map(|s| SocketEntry {
            local_port: s.local.port(),
            remote_port: s.remote.port(),
            state: s.state,
            inode: s.inode,
        })
        .collect()
}

/// Reaps the orphans of process group `pgid` that came to this (subreaper)
/// test process, by their pids. Waits at most a few seconds.
pub fn reap_orphans_of_group(pgid: u32) {
    runner::process::reap_orphans_of_group(pgid, Duration::from_secs(5));
}

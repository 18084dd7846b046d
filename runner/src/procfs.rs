//! What `/proc` says about processes: their state, parent and group, the
//! sockets they hold, the system call they are blocked in. This kernel has
//! no `/proc/<pid>/task/<tid>/children`, so children are found by the
//! parent pid in `/proc/<pid>/stat`.

use std::fs;

use crate::socktab::{self, Proto};

/// The fields of `/proc/<pid>/stat` the harness and the tools need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    pub pid: u32,
    /// `R`, `S`, `Z` (zombie), ...
    pub state: char,
    pub ppid: u32,
    pub pgrp: u32,
}

/// Reads `/proc/<pid>/stat`; `None` once the process is gone (reaped).
pub fn stat(pid: u32) -> Option<Stat> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parens,
    // so split after the last ')'.
    let rest = text.get(text.rfind(')')? + 2..)?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let ppid = fields.next()?.parse().ok()?;
    let pgrp = fields.next()?.parse().ok()?;
    Some(Stat {
        pid,
        state,
        ppid,
        pgrp,
    })
}

/// Every process on the machine, as its stat.
pub fn all_processes() -> Vec<Stat> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| {
            entry.ok()?.file_name().to_str()?.parse::<u32>().ok()
        })
        .filter_map(stat)
        .collect()
}

/// The children of `pid` (by the parent pid in their stat).
pub fn children_of(pid: u32) -> Vec<Stat> {
    all_processes()
        .into_iter()
        .filter(|p| p.ppid == pid)
        .collect()
}

/// `pid` and all its descendants.
pub fn self_and_descendants(pid: u32) -> Vec<u32> {
    let all = all_processes();
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(all.iter().filter(|p| p.ppid == parent).map(|p| p.pid));
        i += 1;
    }
    found
}

/// The inodes of the sockets `pid` holds open (`socket:[12345]`).
pub fn socket_inodes(pid: u32) -> Vec<u64> {
    let Ok(entries) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| {
            let target = fs::read_link(entry.ok()?.path()).ok()?;
            let target = target.to_str()?;
            target
                .strip_prefix("socket:[")?
                .strip_suffix(']')?
                .parse()
                .ok()
        })
        .collect()
}

/// The port on which `pid` or one of its descendants listens (TCP) or is
/// bound (UDP), if any yet.
pub fn bound_port(pid: u32, proto: Proto) -> Option<u16> {
    let wanted_state = match proto {
        Proto::Tcp => socktab::TCP_LISTEN,
        Proto::Udp => socktab::UDP_BOUND,
    };
    let inodes: Vec<u64> = self_and_descendants(pid)
        .into_iter()
        .flat_map(socket_inodes)
        .collect();
    if inodes.is_empty() {
        return None;
    }
    // Only the states asked for: a TCP look at the listeners alone skips
    // the kernel's big table of connections.
    let query = socktab::Query {
        proto,
        ipv6: true,
        states: socktab::state_bit(wanted_state),
    };
    socktab::Table::new()
        .read_some(query)
        .ok()?
        .into_iter()
        .find(|s| {
            s.state == wanted_state
                && s.local.port() != 0
                && inodes.contains(&s.inode)
        })
        .map(|s| s.local.port())
}

/// The system call `pid` is blocked in, as a number (`libc::SYS_accept`,
/// `libc::SYS_recvfrom`...), read from `/proc/<pid>/syscall`; `None` while
/// it runs, or where that file cannot be read.
pub fn blocked_in_syscall(pid: u32) -> Option<i64> {
    let text = fs::read_to_string(format!("/proc/{pid}/syscall")).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// How many processes of group `pgid` are still running (not zombies).
pub fn live_members_of_group(pgid: u32) -> usize {
    all_processes()
        .iter()
        .filter(|p| p.pgrp == pgid && p.state != 'Z' && p.state != 'X')
        .count()
}

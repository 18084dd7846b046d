//! What `/proc` says about processes and sockets: how the tests learn a
//! server's port without a race, see a zombie, and find a process's
//! children (this kernel has no `/proc/<pid>/task/<tid>/children`, so
//! children are found by the parent pid in `/proc/<pid>/stat`).

use std::fs;
use std::time::{Duration, Instant};

/// A transport protocol, for [`bound_port`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    Tcp,
    Udp,
}

/// The fields of `/proc/<pid>/stat` the tests need.
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
    let rest = &text[text.rfind(')')? + 2..];
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

/// One line of `/proc/net/tcp` or `/proc/net/udp`.
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
pub const TCP_ESTABLISHED: u8 = 0x01;
pub const TCP_TIME_WAIT: u8 = 0x06;
pub const TCP_LISTEN: u8 = 0x0A;
/// A bound UDP socket shows as TCP_CLOSE (7).
pub const UDP_BOUND: u8 = 0x07;

/// Every IPv4 socket of `proto` in this network namespace.
pub fn sockets(proto: Proto) -> Vec<SocketEntry> {
    let file = match proto {
        Proto::Tcp => "/proc/net/tcp",
        Proto::Udp => "/proc/net/udp",
    };
    let text = fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let port = |col: &str| {
                u16::from_str_radix(col.rsplit(':').next()?, 16).ok()
            };
            Some(SocketEntry {
                local_port: port(cols.get(1)?)?,
                remote_port: port(cols.get(2)?)?,
                state: u8::from_str_radix(cols.get(3)?, 16).ok()?,
                inode: cols.get(9)?.parse().ok()?,
            })
        })
        .collect()
}

/// The port on which `pid` or one of its descendants listens (TCP) or is
/// bound (UDP), if any yet.
pub fn bound_port(pid: u32, proto: Proto) -> Option<u16> {
    let wanted_state = match proto {
        Proto::Tcp => TCP_LISTEN,
        Proto::Udp => UDP_BOUND,
    };
    let inodes: Vec<u64> = self_and_descendants(pid)
        .into_iter()
        .flat_map(socket_inodes)
        .collect();
    sockets(proto)
        .into_iter()
        .find(|s| {
            s.state == wanted_state
                && s.local_port != 0
                && inodes.contains(&s.inode)
        })
        .map(|s| s.local_port)
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

/// Reaps the orphans of process group `pgid` that came to this (subreaper)
/// test process, by their pids. Waits at most a few seconds.
pub fn reap_orphans_of_group(pgid: u32) {
    let me = std::process::id();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let orphans: Vec<u32> = all_processes()
            .into_iter()
            .filter(|p| p.ppid == me && p.pgrp == pgid)
            .map(|p| p.pid)
            .collect();
        if orphans.is_empty() || Instant::now() > deadline {
            return;
        }
        for pid in orphans {
            // SAFETY: kill and waitpid on a pid that is our own child (its
            // ppid is us), so it cannot be reused before we reap it here.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGKILL);
                libc::waitpid(pid as libc::pid_t, std::ptr::null_mut(), 0);
            }
        }
    }
}

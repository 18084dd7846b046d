//! State changes of the TCP sockets on one port, from successive looks at
//! the kernel's socket table ([`runner::socktab`]): `tcp_watch` looks
//! every millisecond and prints what changed since the last look.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use runner::socktab::{Entry, TCP_NEW_SYN_RECV, tcp_state_name};

/// A socket that appeared, changed state, or left the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub local: SocketAddr,
    pub remote: SocketAddr,
    /// The new state's name; `CLOSED` once the socket left the table.
    pub state: &'static str,
    /// For TIME_WAIT: how long until the kernel forgets it.
    pub left: Option<Duration>,
}

/// What the last look saw, keyed by both endpoints.
pub struct Tracker {
    port: u16,
    known: BTreeMap<(SocketAddr, SocketAddr), &'static str>,
}

impl Tracker {
    /// Watches the sockets whose local or remote port is `port`.
    pub fn new(port: u16) -> Tracker {
        Tracker {
            port,
            known: BTreeMap::new(),
        }
    }

    /// Compares a new look with the last and returns what changed.
    pub fn update(&mut self, table: &[Entry]) -> Vec<Change> {
        let mut now = BTreeMap::new();
        let mut changes = Vec::new();
        for entry in table {
            if entry.local.port() != self.port
                && entry.remote.port() != self.port
            {
                continue;
            }
            // A connection request waiting for the handshake's last ACK.
            let state = if entry.state == TCP_NEW_SYN_RECV {
                "SYN_RECV"
            } else {
                tcp_state_name(entry.state)
            };
            let key = (entry.local, entry.remote);
            now.insert(key, state);
            if self.known.get(&key) != Some(&state) {
                changes.push(Change {
                    local: entry.local,
                    remote: entry.remote,
                    state,
                    left: entry.timer.filter(|_| state == "TIME_WAIT"),
                });
            }
        }
        for &(local, remote) in self.known.keys() {
            if !now.contains_key(&(local, remote)) {
                changes.push(Change {
                    local,
                    remote,
                    state: "CLOSED",
                    left: None,
                });
            }
        }
        self.known = now;
        changes
    }
}

//! State changes of the TCP sockets on one port, from successive looks at
//! the kernel's socket table ([`runner::socktab`]): `tcp_watch` looks
//! every millisecond and prints what changed since the last look.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use crate::capture::Segment;

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

/// How many FINs a connection has carried (either way) by the time one
/// of its ends is in `state`; `None` for a state that says nothing about
/// FINs (LISTEN, and CLOSED, which comes after everything).
fn fins_before(state: &str) -> Option<usize> {
    match state {
        "SYN_SENT" | "SYN_RECV" | "ESTABLISHED" => Some(0),
        "FIN_WAIT_1" | "CLOSE_WAIT" | "FIN_WAIT_2" => Some(1),
        "LAST_ACK" | "CLOSING" | "TIME_WAIT" => Some(2),
        _ => None,
    }
}

/// One line of the watch, in the order to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Segment(SystemTime, Segment),
    State(SystemTime, Change),
}

/// Puts the segments (time-stamped by the kernel) and the state changes
/// (seen by looks at the table, each at some moment during the look) in
/// one order that never contradicts TCP: a FIN_WAIT_1 prints after the
/// FIN that caused it, an ESTABLISHED before the first FIN. The kernel
/// answers a look at some instant between the request and the answer,
/// so time stamps alone cannot order a change against a segment of the
/// same microseconds; the FINs can.
#[derive(Default)]
pub struct Merger {
    /// Segments are captured (`--packets`); without them a change is
    /// printed as soon as a look sees it.
    capturing: bool,
    pending: Vec<(SystemTime, Segment)>,
    deferred: Vec<(SystemTime, Change)>,
    fins: HashMap<(SocketAddr, SocketAddr), usize>,
}

/// Both endpoints in one order, whichever side a segment came from.
fn pair(a: SocketAddr, b: SocketAddr) -> (SocketAddr, SocketAddr) {
    if a <= b { (a, b) } else { (b, a) }
}

/// A change waits for its FIN at most this long after its look.
const FIN_WAIT: Duration = Duration::from_millis(100);

impl Merger {
    /// A merger; `capturing` when segments come too.
    pub fn new(capturing: bool) -> Merger {
        Merger {
            capturing,
            ..Merger::default()
        }
    }

    /// A segment read from the capture.
    pub fn segment(&mut self, at: SystemTime, segment: Segment) {
        self.pending.push((at, segment));
    }

    /// A look that ended at `looked` found `changes`: what can be printed
    /// now, in order.
    pub fn look(
        &mut self,
        looked: SystemTime,
        changes: Vec<Change>,
    ) -> Vec<Event> {
        if !self.capturing {
            return changes
                .into_iter()
                .map(|c| Event::State(looked, c))
                .collect();
        }
        self.pending.sort_by_key(|(at, _)| *at);
        let split = self.pending.partition_point(|(at, _)| *at <= looked);
        let later = self.pending.split_off(split);
        let ready = std::mem::replace(&mut self.pending, later);

        // Where each change goes among the ready segments.
        let mut placed: Vec<(usize, SystemTime, Change)> = Vec::new();
        let changes: Vec<(SystemTime, Change)> =
            std::mem::take(&mut self.deferred)
                .into_iter()
                .chain(changes.into_iter().map(|c| (looked, c)))
                .collect();
        for (seen, change) in changes {
            let conn = pair(change.local, change.remote);
            let of_conn = |s: &Segment| pair(s.src, s.dst) == conn;
            let fin_at = |nth: usize| {
                ready
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, s))| of_conn(s) && s.flags.contains("FIN"))
                    .nth(nth)
                    .map(|(i, _)| i)
            };
            let done = self.fins.get(&conn).copied().unwrap_or(0);
            let at = match fins_before(change.state) {
                Some(0) if done == 0 => fin_at(0).unwrap_or(ready.len()),
                Some(0) => 0, // late news: its FINs are printed already
                Some(k) if k <= done => 0,
                Some(k) => match fin_at(k - done - 1) {
                    Some(i) => i + 1,
                    None if looked < seen + FIN_WAIT => {
                        // Its FIN is not read yet: wait for the next look.
                        self.deferred.push((seen, change));
                        continue;
                    }
                    None => ready.len(),
                },
                None if change.state == "LISTEN" => 0,
                None => ready
                    .iter()
                    .rposition(|(_, s)| of_conn(s))
                    .map_or(ready.len(), |i| i + 1),
            };
            placed.push((at, seen, change));
        }
        placed.sort_by_key(|(at, _, _)| *at);

        let mut events = Vec::new();
        let mut placed = placed.into_iter().peekable();
        let mut clock = SystemTime::UNIX_EPOCH;
        for (i, (at, segment)) in ready.into_iter().enumerate() {
            while let Some((_, seen, change)) =
                placed.next_if(|(pos, _, _)| *pos <= i)
            {
                clock = clock.max(seen.min(at));
                events.push(Event::State(clock, change));
            }
            if segment.flags.contains("FIN") {
                *self
                    .fins
                    .entry(pair(segment.src, segment.dst))
                    .or_default() += 1;
            }
            clock = clock.max(at);
            events.push(Event::Segment(at, segment));
        }
        for (_, seen, change) in placed {
            clock = clock.max(seen);
            events.push(Event::State(clock, change));
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "127.0.0.1:40000";
    const S: &str = "127.0.0.1:9190";

    fn addr(text: &str) -> SocketAddr {
        text.parse().expect("an address")
    }

    fn at(ms: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_millis(ms)
    }

    fn seg(from: &str, to: &str, flags: &str) -> Segment {
        Segment {
            src: addr(from),
            dst: addr(to),
            flags: flags.to_string(),
            seq: 0,
            ack: None,
            win: 0,
            len: 0,
        }
    }

    fn change(local: &str, remote: &str, state: &'static str) -> Change {
        Change {
            local: addr(local),
            remote: addr(remote),
            state,
            left: None,
        }
    }

    fn names(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                Event::Segment(_, s) => s.flags.clone(),
                Event::State(_, c) => c.state.to_string(),
            })
            .collect()
    }

    /// A look answered before the close but returned after it: its
    /// ESTABLISHED goes before the first FIN, its TIME_WAIT (next look)
    /// after the second.
    #[test]
    fn a_state_is_printed_between_the_fins_that_bound_it() {
        let mut merger = Merger::new(true);
        merger.segment(at(1), seg(C, S, "ACK"));
        merger.segment(at(2), seg(S, C, "FIN+ACK"));
        merger.segment(at(3), seg(C, S, "FIN+ACK"));
        merger.segment(at(4), seg(S, C, "ACK"));
        let first = merger.look(at(5), vec![change(S, C, "ESTABLISHED")]);
        assert_eq!(
            names(&first),
            ["ACK", "ESTABLISHED", "FIN+ACK", "FIN+ACK", "ACK"]
        );
        let second = merger.look(at(6), vec![change(S, C, "TIME_WAIT")]);
        assert_eq!(names(&second), ["TIME_WAIT"]);
    }

    /// A change whose FIN has not been read yet waits for it.
    #[test]
    fn a_change_waits_for_its_fin() {
        let mut merger = Merger::new(true);
        let early = merger.look(at(5), vec![change(S, C, "FIN_WAIT_1")]);
        assert!(early.is_empty(), "held back: {early:?}");
        merger.segment(at(4), seg(S, C, "FIN+ACK"));
        let later = merger.look(at(6), vec![]);
        assert_eq!(names(&later), ["FIN+ACK", "FIN_WAIT_1"]);
    }
}

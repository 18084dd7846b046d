//! udp_relay: a lossy network on one machine. It stands between UDP
//! clients and a UDP server, forwards every datagram both ways, and drops,
//! duplicates, reorders or delays them on purpose, printing each one's
//! fate. On loopback nothing is ever lost; through the relay, the course
//! notes' claims about UDP happen in front of the class.
//!
//! - Course notes: 3일차, "UDP는 편지, TCP는 전화" (UDP may lose,
//!   duplicate and reorder datagrams, but keeps their boundaries)
//! - Book page: 강의실 도구, "udp_relay"
//! - Man pages: `udp(7)`, `recvfrom(2)`, `sendto(2)`, `connect(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: the server
//! cargo run --bin uecho_server -- 9190
//! # terminal 2: the relay, listening on 9191, losing 30% of datagrams
//! cargo run --bin udp_relay -- 9191 127.0.0.1 9190 --drop 0.3 --seed 7
//! # terminal 3: the client talks to the relay, not to the server
//! cargo run --bin uecho_client -- 127.0.0.1 9191
//! ```
//!
//! Terminal 2 shows the port, the seed, then one line per datagram:
//!
//! ```text
//! udp_relay: port 9191 → server 127.0.0.1:9190
//! seed 7  drop 0.30  dup 0.00  reorder 0.00  delay 0 ms
//! client 1 is 127.0.0.1:55997
//! #1    client 1→server       7 B  sent
//! #2    server→client 1       7 B  sent
//! ```
//!
//! With `--drop 0.3` about one datagram in three ends `dropped`, and the
//! client whose reply was lost waits in `recvfrom` for good.
//!
//! # How it works
//!
//! Each client address gets its own upstream socket, connected to the
//! server, so the server sees one sender per client and its replies come
//! back on the socket that knows which client to answer. One reader thread
//! per socket hands datagrams to the main thread, which alone decides each
//! one's fate with a seeded generator ([`classroom::prng`]): the same seed
//! gives the same fates to the same traffic. A reordered datagram is held
//! back and sent right after the next one of the same client and
//! direction (or after [`HOLD_LIMIT`] if none comes).

use std::collections::{BTreeMap, HashMap};
use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::process::exit;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Parser;

use classroom::prng::SplitMix64;

/// The largest UDP payload over IPv4 (65535 minus the IP and UDP headers).
const MAX_DATAGRAM: usize = 65_507;

/// How long a held-back datagram waits for another to overtake it.
const HOLD_LIMIT: Duration = Duration::from_millis(500);

#[derive(Parser)]
#[command(
    version,
    about = "A lossy network on one machine: forwards UDP datagrams \
             between clients and a server, dropping, duplicating, \
             reordering or delaying them on purpose.",
    after_help = "Example (three terminals):\n  \
        cargo run --bin uecho_server -- 9190\n  \
        cargo run --bin udp_relay -- 9191 127.0.0.1 9190 --drop 0.3 \
        --seed 7\n  \
        cargo run --bin uecho_client -- 127.0.0.1 9191\n\n\
        The same seed gives the same fates to the same traffic."
)]
struct Args {
    /// The port clients send to (0: the kernel picks one, printed first)
    listen_port: u16,
    /// The UDP server's IPv4 address
    server_ip: Ipv4Addr,
    /// The UDP server's port
    server_port: u16,
    /// Probability of dropping a datagram
    #[arg(long, value_name = "P", default_value_t = 0.0,
          value_parser = probability)]
    drop: f64,
    /// Probability of sending a datagram twice
    #[arg(long, value_name = "P", default_value_t = 0.0,
          value_parser = probability)]
    dup: f64,
    /// Probability of holding a datagram back until the next has gone
    #[arg(long, value_name = "P", default_value_t = 0.0,
          value_parser = probability)]
    reorder: f64,
    /// Delay every datagram forwarded by this many milliseconds
    #[arg(long, value_name = "MS", default_value_t = 0)]
    delay: u64,
    /// Seed of the fates (default: from the clock, printed)
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Stop by itself after this many seconds
    #[arg(long = "for", value_name = "SECONDS")]
    run_for: Option<f64>,
}

/// Parses a probability: a number from 0 to 1.
fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{text:?} is not a probability from 0 to 1")),
    }
}

/// Which way a datagram travels.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Direction {
    ToServer,
    ToClient,
}

/// What a reader thread hands to the main thread.
enum Event {
    /// A datagram from a client, on the listening socket, and when it
    /// was read.
    FromClient(SocketAddr, Vec<u8>, Instant),
    /// A datagram from the server, on client `n`'s upstream socket.
    FromServer(usize, Vec<u8>, Instant),
    /// The server's host said "port unreachable" (ICMP) to client `n`'s
    /// upstream socket: no server is listening there.
    Refused(usize),
}

/// A datagram on its way out, due at a given time.
struct Outgoing {
    number: u64,
    client: usize,
    direction: Direction,
    bytes: Vec<u8>,
}

/// A datagram held back to be overtaken.
struct Held {
    number: u64,
    bytes: Vec<u8>,
    since: Instant,
}

/// One client the relay has heard from, and the socket that speaks for
/// it to the server.
struct Client {
    address: SocketAddr,
    upstream: UdpSocket,
}

/// Counts for the summary line at the end.
#[derive(Default)]
struct Tally {
    datagrams: u64,
    dropped: u64,
    duplicated: u64,
    held: u64,
}

struct Relay {
    listen: UdpSocket,
    server: SocketAddr,
    clients: Vec<Client>,
    client_numbers: HashMap<SocketAddr, usize>,
    events: Sender<Event>,
    rng: SplitMix64,
    args: Args,
    /// Outgoing datagrams by (due time, order of scheduling).
    outgoing: BTreeMap<(Instant, u64), Outgoing>,
    scheduled: u64,
    held: HashMap<(usize, Direction), Held>,
    tally: Tally,
}

fn main() {
    // clap's usage errors exit 2; the course's bins exit 1 on bad input.
    let args = Args::try_parse().unwrap_or_else(|err| {
        let code = if err.use_stderr() { 1 } else { 0 };
        let _ = err.print();
        exit(code)
    });
    let seed = args.seed.unwrap_or_else(seed_from_clock);

    // C: socket(PF_INET, SOCK_DGRAM, 0); bind(INADDR_ANY, port)
    let any = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, args.listen_port);
    let listen = UdpSocket::bind(any).unwrap_or_else(|err| {
        die(&format!("cannot bind UDP port {}: {err}", args.listen_port))
    });
    let port = listen.local_addr().map(|a| a.port()).unwrap_or(0);
    let server =
        SocketAddr::from(SocketAddrV4::new(args.server_ip, args.server_port));

    // First thing: the port (a test or an instructor started it with 0).
    println!("udp_relay: port {port} → server {server}");
    println!(
        "seed {seed}  drop {:.2}  dup {:.2}  reorder {:.2}  delay {} ms",
        args.drop, args.dup, args.reorder, args.delay
    );

    let (events, inbox) = mpsc::channel();
    let reader = listen
        .try_clone()
        .unwrap_or_else(|err| die(&format!("cannot clone the socket: {err}")));
    let to_main = events.clone();
    thread::spawn(move || read_clients(reader, to_main));

    let deadline = args
        .run_for
        .map(|secs| Instant::now() + Duration::from_secs_f64(secs.max(0.0)));
    let mut relay = Relay {
        listen,
        server,
        clients: Vec::new(),
        client_numbers: HashMap::new(),
        events,
        rng: SplitMix64::new(seed),
        args,
        outgoing: BTreeMap::new(),
        scheduled: 0,
        held: HashMap::new(),
        tally: Tally::default(),
    };

    loop {
        let now = Instant::now();
        if deadline.is_some_and(|end| now >= end) {
            break;
        }
        let wake = [relay.next_due(), deadline].into_iter().flatten().min();
        let event = match wake {
            Some(at) => inbox.recv_timeout(at.saturating_duration_since(now)),
            None => inbox.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match event {
            Ok(event) => relay.handle(event),
            Err(RecvTimeoutError::Timeout) => {
                relay.release_stale_holds(Instant::now());
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
        relay.send_due();
    }
    let t = &relay.tally;
    println!(
        "udp_relay: {} datagrams, {} dropped, {} duplicated, {} held back",
        t.datagrams, t.dropped, t.duplicated, t.held
    );
}

impl Relay {
    fn handle(&mut self, event: Event) {
        match event {
            // A hold ends by the clock of the reader threads, not of this
            // one: a datagram read in time overtakes the held one even if
            // this thread gets to it late (a busy machine), so the fates
            // stay those of the seed.
            Event::FromClient(address, bytes, came) => {
                self.release_stale_holds(came);
                let client = self.client_number(address);
                self.arrived(client, Direction::ToServer, bytes, came);
            }
            Event::FromServer(client, bytes, came) => {
                self.release_stale_holds(came);
                self.arrived(client, Direction::ToClient, bytes, came);
            }
            Event::Refused(client) => println!(
                "      {:<17} server {} refused (port unreachable)",
                label(client, Direction::ToServer),
                self.server
            ),
        }
    }

    /// The number of the client at `address`; a new one gets its own
    /// upstream socket and a reader thread for the server's replies.
    fn client_number(&mut self, address: SocketAddr) -> usize {
        if let Some(&n) = self.client_numbers.get(&address) {
            return n;
        }
        let n = self.clients.len() + 1;
        // C: socket(PF_INET, SOCK_DGRAM, 0); connect(sock, server)
        // Connected UDP: only the server's datagrams arrive on it.
        let upstream = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
            .and_then(|sock| sock.connect(self.server).map(|()| sock))
            .unwrap_or_else(|err| {
                die(&format!("cannot open a socket to {}: {err}", self.server))
            });
        let reader = upstream.try_clone().unwrap_or_else(|err| {
            die(&format!("cannot clone the socket: {err}"))
        });
        let to_main = self.events.clone();
        thread::spawn(move || read_server(reader, n, to_main));
        println!("client {n} is {address}");
        self.clients.push(Client { address, upstream });
        self.client_numbers.insert(address, n);
        n
    }

    /// Decides the fate of datagram `#number` and schedules what goes on.
    fn arrived(
        &mut self,
        client: usize,
        direction: Direction,
        bytes: Vec<u8>,
        came: Instant,
    ) {
        self.tally.datagrams += 1;
        let number = self.tally.datagrams;
        // Three draws for every datagram, whatever its fate, so one fate
        // never shifts the draws of the datagrams after it.
        let dropped = self.rng.chance(self.args.drop);
        let duplicated = self.rng.chance(self.args.dup);
        let reordered = self.rng.chance(self.args.reorder);
        let head = format!(
            "#{number:<4} {:<17} {:>5} B ",
            label(client, direction),
            bytes.len()
        );
        if dropped {
            self.tally.dropped += 1;
            println!("{head} dropped");
            return;
        }
        let copies = if duplicated { 2 } else { 1 };
        if duplicated {
            self.tally.duplicated += 1;
        }
        let flow = (client, direction);
        let mut fate =
            if duplicated { "sent twice" } else { "sent" }.to_owned();
        match self.held.remove(&flow) {
            Some(overtaken) => {
                // This one overtakes the held one, which goes right after.
                fate.push_str(&format!(" (overtakes #{})", overtaken.number));
                println!("{head} {fate}");
                for _ in 0..copies {
                    self.schedule(number, client, direction, bytes.clone());
                }
                println!(
                    "#{:<4} {:<17} {:>5} B  sent after #{number}",
                    overtaken.number,
                    label(client, direction),
                    overtaken.bytes.len()
                );
                self.schedule(
                    overtaken.number,
                    client,
                    direction,
                    overtaken.bytes,
                );
            }
            None if reordered => {
                self.tally.held += 1;
                let twice = if duplicated { ", twice" } else { "" };
                println!("{head} held back{twice}");
                // A duplicated held datagram: one copy now, one held.
                if duplicated {
                    self.schedule(number, client, direction, bytes.clone());
                }
                let since = came;
                self.held.insert(
                    flow,
                    Held {
                        number,
                        bytes,
                        since,
                    },
                );
            }
            None => {
                println!("{head} {fate}");
                for _ in 0..copies {
                    self.schedule(number, client, direction, bytes.clone());
                }
            }
        }
    }

    /// Queues a datagram to go out after the delay.
    fn schedule(
        &mut self,
        number: u64,
        client: usize,
        direction: Direction,
        bytes: Vec<u8>,
    ) {
        let due = Instant::now() + Duration::from_millis(self.args.delay);
        self.scheduled += 1;
        let out = Outgoing {
            number,
            client,
            direction,
            bytes,
        };
        self.outgoing.insert((due, self.scheduled), out);
    }

    /// When the main thread must wake next: a datagram due, or a hold
    /// that has waited long enough.
    fn next_due(&self) -> Option<Instant> {
        let send = self.outgoing.keys().next().map(|&(due, _)| due);
        let hold = self.held.values().map(|h| h.since + HOLD_LIMIT).min();
        [send, hold].into_iter().flatten().min()
    }

    /// A held datagram that nothing overtook by `now` goes out late.
    fn release_stale_holds(&mut self, now: Instant) {
        let mut stale: Vec<_> = self
            .held
            .iter()
            .filter(|(_, h)| now >= h.since + HOLD_LIMIT)
            .map(|(&flow, h)| (h.number, flow))
            .collect();
        stale.sort();
        for (_, flow) in stale {
            let Some(held) = self.held.remove(&flow) else {
                continue;
            };
            let (client, direction) = flow;
            println!(
                "#{:<4} {:<17} {:>5} B  sent late (nothing overtook it)",
                held.number,
                label(client, direction),
                held.bytes.len()
            );
            self.schedule(held.number, client, direction, held.bytes);
        }
    }

    /// Sends every datagram whose time has come, in order.
    fn send_due(&mut self) {
        let now = Instant::now();
        while let Some(entry) = self.outgoing.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let out = entry.remove();
            let client = &self.clients[out.client - 1];
            // C: sendto(...): one datagram, boundary and all.
            let sent = match out.direction {
                Direction::ToServer => client.upstream.send(&out.bytes),
                Direction::ToClient => {
                    self.listen.send_to(&out.bytes, client.address)
                }
            };
            if let Err(err) = sent {
                println!(
                    "#{:<4} {:<17} {:>5} B  send failed: {err}",
                    out.number,
                    label(out.client, out.direction),
                    out.bytes.len()
                );
            }
        }
    }
}

/// `client 2→server` or `server→client 2`.
fn label(client: usize, direction: Direction) -> String {
    match direction {
        Direction::ToServer => format!("client {client}→server"),
        Direction::ToClient => format!("server→client {client}"),
    }
}

/// Reads datagrams from clients on the listening socket.
fn read_clients(sock: UdpSocket, to_main: Sender<Event>) {
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        // C: recvfrom(sock, buf, BUF_SIZE, 0, &clnt_adr, &clnt_adr_sz)
        match sock.recv_from(&mut buf) {
            Ok((n, from)) => {
                let came = Instant::now();
                let event = Event::FromClient(from, buf[..n].to_vec(), came);
                if to_main.send(event).is_err() {
                    return;
                }
            }
            Err(err) if retry(&err) => {}
            Err(err) => die(&format!("recvfrom() error: {err}")),
        }
    }
}

/// Reads the server's replies to client `n` on its upstream socket.
fn read_server(sock: UdpSocket, n: usize, to_main: Sender<Event>) {
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        let event = match sock.recv(&mut buf) {
            Ok(len) => {
                Event::FromServer(n, buf[..len].to_vec(), Instant::now())
            }
            // The ICMP "port unreachable" of an earlier send.
            Err(err) if err.kind() == ErrorKind::ConnectionRefused => {
                Event::Refused(n)
            }
            Err(err) if retry(&err) => continue,
            Err(err) => die(&format!("recv() error: {err}")),
        };
        if to_main.send(event).is_err() {
            return;
        }
    }
}

/// Errors after which reading again is right.
fn retry(err: &io::Error) -> bool {
    err.kind() == ErrorKind::Interrupted
}

/// A seed nobody chose: the clock's nanoseconds.
fn seed_from_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64 % 1_000_000)
        .unwrap_or(1)
}

fn die(message: &str) -> ! {
    eprintln!("udp_relay: {message}");
    exit(1);
}

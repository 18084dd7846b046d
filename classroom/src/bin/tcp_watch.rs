//! tcp_watch: every state change of the TCP sockets on one port, and with
//! `--packets` every segment, on one clock, for a projector.
//!
//! Course notes: 3일차 "TCP의 연결 종료" and "TIME_WAIT" (the four-way close,
//! the state a closing side stays in), 1일차 "연결지향형 소켓" (the
//! three-way handshake, SEQ and ACK counting bytes). Not a twin of a C
//! program: an instructor's tool (issue 12).
//!
//! Man pages: `man 7 sock_diag` (the socket table, as `ss` reads it),
//! `man 7 tcp`, `man 7 packet` (the raw socket of `--packets`).
//!
//! Run it in one terminal, then the lesson's programs in others:
//!
//! ```sh
//! cargo run --bin tcp_watch -- 9190
//! cargo run --bin hello_server -- 9190
//! cargo run --bin hello_client -- 127.0.0.1 9190
//! ```
//!
//! Expected output after its first line (which names the table's source
//! and what one look costs); times and client ports vary, and here
//! hello_server was stopped with `kill -STOP` while the client connected,
//! then resumed:
//!
//! ```text
//!     time  local             remote            state
//!  +0.405s  0.0.0.0:9190      *:*               LISTEN
//!  +0.902s  127.0.0.1:37666   127.0.0.1:9190    ESTABLISHED
//!  +0.906s  127.0.0.1:9190    127.0.0.1:37666   ESTABLISHED
//!  +1.697s  127.0.0.1:9190    127.0.0.1:37666   FIN_WAIT_1
//!  +1.697s  127.0.0.1:37666   127.0.0.1:9190    CLOSE_WAIT
//!  +1.700s  127.0.0.1:9190    127.0.0.1:37666   TIME_WAIT (60.0 s left)
//!  +1.700s  0.0.0.0:9190      *:*               CLOSED
//!  +1.700s  127.0.0.1:37666   127.0.0.1:9190    CLOSED
//! ```
//!
//! How it looks: the states come from the kernel's socket table through
//! `NETLINK_SOCK_DIAG` (`/proc/net/tcp` where that is missing), IPv4 only
//! unless `--ipv6`. A look costs milliseconds (the kernel walks every
//! bucket of its connection table: 262144 and 4 ms where the book was made;
//! the first line says what it costs here), then a pause of `--every`
//! ms (1). A state that lasts less than one look can be
//! missed: on loopback hello_server's whole connection lasts well under a
//! millisecond, so only its TIME_WAIT is sure to show; stop the server
//! (`kill -STOP`) before the client connects to see ESTABLISHED held.
//! Segments (`--packets`) are never missed: each one is read from a raw
//! `AF_PACKET` socket on `lo`, which needs `CAP_NET_RAW` (`sudo`, or once
//! `sudo setcap cap_net_raw+ep target/debug/tcp_watch`).

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use clap::Parser;
use classroom::capture::{Capture, CaptureError, Relative, Segment};
use classroom::tcp_states::{Change, Event, Merger, Tracker};
use classroom::timeline::stamp;
use runner::socktab::{ALL_STATES, Proto, Query, Source, Table};
use serde_json::json;

#[derive(Parser)]
#[command(
    about = "Print every TCP state change on a port, and with --packets \
             every segment (flags, relative SEQ/ACK, window, length)",
    after_help = "Examples:\n  \
        tcp_watch 9190              # states until Ctrl+C\n  \
        tcp_watch 9190 --for 30     # for 30 seconds\n  \
        sudo tcp_watch 9190 --packets\n\n\
        Then, in other terminals:\n  \
        cargo run --bin hello_server -- 9190\n  \
        cargo run --bin hello_client -- 127.0.0.1 9190"
)]
struct Args {
    /// The TCP port to watch (local or remote end of a socket).
    port: u16,
    /// Stop after this many seconds (default: at Ctrl+C).
    #[arg(long = "for", value_name = "SECONDS")]
    seconds: Option<f64>,
    /// Also print each TCP segment on the loopback interface (needs
    /// CAP_NET_RAW).
    #[arg(long)]
    packets: bool,
    /// One JSON object per line instead of the table.
    #[arg(long)]
    json: bool,
    /// Milliseconds between two looks at the socket table.
    #[arg(long, value_name = "MS", default_value_t = 1)]
    every: u64,
    /// Watch IPv6 sockets too (the course's programs are IPv4 only; a
    /// look then costs twice as much).
    #[arg(long)]
    ipv6: bool,
}

/// Set by the SIGINT handler; the loop ends when it is set.
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_signal: libc::c_int) {
    STOP.store(true, Ordering::Relaxed); // async-signal-safe: one store
}

/// Where the lines go: the table for people, or JSON lines.
struct Printer {
    start: SystemTime,
    json: bool,
    out: io::Stdout,
}

impl Printer {
    fn line(&mut self, text: String) {
        if writeln!(self.out, "{text}").is_err() {
            std::process::exit(0); // a closed pipe (`| head`): a quiet end
        }
    }

    fn since_start(&self, at: SystemTime) -> Duration {
        at.duration_since(self.start).unwrap_or_default()
    }

    fn state(&mut self, change: &Change, at: SystemTime) {
        let t = self.since_start(at);
        if self.json {
            let event = json!({
                "t": t.as_secs_f64(), "kind": "state",
                "local": change.local.to_string(),
                "remote": change.remote.to_string(),
                "state": change.state,
                "left_ms": change.left.map(|d| d.as_millis() as u64),
            });
            return self.line(event.to_string());
        }
        let mut state = change.state.to_string();
        if let Some(left) = change.left {
            state += &format!(" ({:.1} s left)", left.as_secs_f64());
        }
        self.line(format!(
            "{:>8}  {:<16}  {:<16}  {state}",
            stamp(t),
            change.local,
            remote_name(change.remote),
        ));
    }

    fn segment(&mut self, seg: &Segment, at: SystemTime) {
        let t = self.since_start(at);
        if self.json {
            let event = json!({
                "t": t.as_secs_f64(), "kind": "segment",
                "src": seg.src.to_string(), "dst": seg.dst.to_string(),
                "flags": seg.flags, "seq": seg.seq, "ack": seg.ack,
                "win": seg.win, "len": seg.len,
            });
            return self.line(event.to_string());
        }
        let ack = seg.ack.map_or("-".to_string(), |a| a.to_string());
        self.line(format!(
            "{:>8}  {:<16}> {:<16}  {:<8} seq {:<5} ack {:<5} win {:<5} \
             len {}",
            stamp(t),
            seg.src,
            seg.dst,
            seg.flags,
            seg.seq,
            ack,
            seg.win,
            seg.len,
        ));
    }
}

/// A listening socket's remote end is all zeros: `*:*`, as `ss` shows it.
fn remote_name(remote: SocketAddr) -> String {
    if remote.port() == 0 && remote.ip().is_unspecified() {
        "*:*".to_string()
    } else {
        remote.to_string()
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.seconds.is_some_and(|s| !(s.is_finite() && s >= 0.0)) {
        eprintln!("tcp_watch: --for wants a number of seconds, such as 30");
        return ExitCode::FAILURE;
    }
    let mut capture = None;
    if args.packets {
        match Capture::open_loopback(args.port) {
            Ok(c) => capture = Some(c),
            Err(CaptureError::NotPermitted) => {
                let me = std::env::args().next().unwrap_or_default();
                eprintln!(
                    "tcp_watch: --packets needs CAP_NET_RAW: run it with \
                     sudo, or once: sudo setcap cap_net_raw+ep {me}"
                );
                return ExitCode::FAILURE;
            }
            Err(CaptureError::Other(err)) => {
                eprintln!("tcp_watch: cannot capture on lo: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    // SAFETY: on_sigint only stores to an atomic, which is
    // async-signal-safe; signal(2) installs it for SIGINT.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_sigint as *const () as libc::sighandler_t,
        );
    }
    let mut table = Table::new();
    let source = match table.source(Proto::Tcp) {
        Source::SockDiag => "sock_diag netlink",
        Source::ProcNet => "/proc/net/tcp",
    };
    let query = Query {
        proto: Proto::Tcp,
        ipv6: args.ipv6,
        states: ALL_STATES,
    };
    // What one look costs here: the kernel walks its whole table of
    // connections, however few there are (see `runner::socktab::Query`).
    let cost = {
        let _ = table.read_some(query); // the first one warms the caches
        let start = Instant::now();
        for _ in 0..3 {
            let _ = table.read_some(query);
        }
        start.elapsed() / 3
    };
    let started = Instant::now();
    let mut printer = Printer {
        start: SystemTime::now(),
        json: args.json,
        out: io::stdout(),
    };
    if args.json {
        let start = json!({"t": 0.0, "kind": "start", "port": args.port,
                           "source": source, "ipv6": args.ipv6,
                           "look_ms": cost.as_secs_f64() * 1000.0});
        printer.line(start.to_string());
    } else {
        printer.line(format!(
            "tcp_watch: TCP port {}{}, states from {source} (a look: \
             {:.1} ms, then {} ms pause){}",
            args.port,
            if args.ipv6 {
                ", IPv4 and IPv6"
            } else {
                ", IPv4"
            },
            cost.as_secs_f64() * 1000.0,
            args.every,
            if args.packets { ", segments on lo" } else { "" }
        ));
        printer.line(format!(
            "{:>8}  {:<16}  {:<16}  state",
            "time", "local", "remote"
        ));
    }
    let every = Duration::from_millis(args.every.max(1));
    let end = args.seconds.map(Duration::from_secs_f64);
    let mut tracker = Tracker::new(args.port);
    let mut relative = Relative::default();
    let mut failures: HashMap<String, u32> = HashMap::new();
    let mut merger = Merger::new(capture.is_some());
    while !STOP.load(Ordering::Relaxed)
        && end.is_none_or(|end| started.elapsed() < end)
    {
        match &capture {
            Some(capture) => capture.wait(every),
            None => std::thread::sleep(every),
        }
        // Look at the table, then read the segments, and print both in
        // an order true to TCP (see `Merger`).
        let look = table.read_some(query);
        // After the answer: every segment that could have caused what the
        // look saw was stamped before this.
        let looked = SystemTime::now();
        if let Some(capture) = capture.as_mut() {
            while let Some((at, frame)) = capture.next_frame() {
                if let Some(seg) = relative.segment(frame, args.port) {
                    merger.segment(at, seg);
                }
            }
        }
        match look {
            Ok(entries) => {
                for event in merger.look(looked, tracker.update(&entries)) {
                    match event {
                        Event::Segment(at, seg) => printer.segment(&seg, at),
                        Event::State(at, change) => printer.state(&change, at),
                    }
                }
            }
            Err(err) => {
                let count = failures.entry(err.to_string()).or_default();
                *count += 1;
                if *count == 1 {
                    eprintln!("tcp_watch: cannot read the socket table: {err}");
                }
            }
        }
    }
    ExitCode::SUCCESS
}

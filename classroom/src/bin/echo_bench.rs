//! echo_bench: any echo server under load. It measures round trips on one
//! connection (`rtt`), connections one after another (`conn`) or many
//! clients at once (`par`), and prints throughput and latency percentiles;
//! `plot` draws the results, `serve` is a small iterative echo server for
//! the book's experiments.
//!
//! - Course notes: 2일차, "lterative 서버의 구현" (sic) and
//!   3일차, "멀티프로세스 기반 서버" (one client at a time against
//!   one process per client); Nagle's algorithm and TCP_NODELAY
//! - Book pages: 강의실 도구, "echo_bench", "반복 서버와
//!   다중 프로세스 서버", "40ms의 수수께끼"
//! - Man pages: `tcp(7)` (TCP_NODELAY), `connect(2)`, `write(2)`,
//!   `read(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin echo_mpserv -- 9190
//! # terminal 2: 10000 round trips of 16 bytes on one connection
//! cargo run --release --bin echo_bench -- 127.0.0.1 9190 rtt 10000 16
//! ```
//!
//! Output of a real run (the first line is one line; numbers vary):
//!
//! ```text
//! echo_bench: rtt against 127.0.0.1:9190: 1 client × 10000 round trips
//!             of 16 B
//!       ops     secs      ops/s   p50 µs   p90 µs   p99 µs   max µs
//!     10000    0.289      34601     22.7     24.8     75.3   4354.0
//! ```
//!
//! day 2's echo_server serves five clients and exits: against it, `rtt`
//! uses one of them, `conn` at most five, `par` at most five clients.
//! `serve` has no such limit (see the book's chart pages).

use std::fs::OpenOptions;
use std::io::{self, ErrorKind, IsTerminal, Read, Write};
use std::net::{
    Ipv4Addr, Shutdown, SocketAddr, SocketAddrV4, TcpListener, TcpStream,
};
use std::path::PathBuf;
use std::process::exit;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use hdrhistogram::Histogram;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use socket2::{Domain, Socket, Type};

use classroom::bench_chart;

const ABOUT: &str = "Any echo server under load: round trips on one \
    connection (rtt), connections one after another (conn), or many \
    clients at once (par). Prints throughput and latency percentiles.";

const EXAMPLES: &str = "Examples:\n  \
    echo_bench 127.0.0.1 9190 rtt 10000 16\n  \
    echo_bench 127.0.0.1 9190 conn 5\n  \
    echo_bench 127.0.0.1 9190 par 10 1000 16 --json runs.json \
    --label echo_mpserv\n  \
    echo_bench plot runs.json --svg clients.svg\n  \
    echo_bench serve 9190 --nodelay\n\n\
    day 2's echo_server serves five clients, then exits: rtt uses one of \
    them, conn and par at most five.";

#[derive(Parser)]
#[command(name = "echo_bench", version, about = ABOUT,
          after_help = EXAMPLES)]
struct BenchArgs {
    /// The echo server's IPv4 address
    ip: Ipv4Addr,
    /// The echo server's port
    port: u16,
    #[command(subcommand)]
    mode: Mode,
    /// Append the result to FILE as one JSON object on a line
    #[arg(long, global = true, value_name = "FILE")]
    json: Option<PathBuf>,
    /// The name of this run in the JSON line and on charts (default:
    /// the server's address)
    #[arg(long, global = true)]
    label: Option<String>,
    /// Set TCP_NODELAY on echo_bench's sockets (never on the server's)
    #[arg(long, global = true)]
    nodelay: bool,
    /// Give up on a connect, read or write after this many seconds
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 10.0)]
    timeout: f64,
}

#[derive(Subcommand, Clone, Copy)]
enum Mode {
    /// One connection, N round trips of SIZE bytes, each reply read whole
    Rtt { n: u64, size: usize },
    /// N connections one after another: connect, echo 16 bytes, close
    Conn { n: u64 },
    /// CLIENTS connections at once (one thread each), N round trips of
    /// SIZE bytes each
    Par { clients: usize, n: u64, size: usize },
}

/// `echo_bench plot FILE.json --svg OUT.svg`
#[derive(Parser)]
#[command(
    name = "echo_bench plot",
    version,
    about = "Draws the results of a --json file, one line per label: \
             par runs against concurrent clients, or rtt runs against \
             the message size (--x size).",
    after_help = "Example:\n  \
            echo_bench plot runs.json --svg clients.svg --title \
            'echo_server against echo_mpserv'"
)]
struct PlotArgs {
    /// A file of --json lines
    file: PathBuf,
    /// The SVG file to write
    #[arg(long, value_name = "OUT.svg")]
    svg: PathBuf,
    /// What the x axis counts: clients (par runs) or size (rtt runs)
    #[arg(long, value_enum, default_value_t = bench_chart::XAxis::Clients)]
    x: bench_chart::XAxis,
    /// What the y axis shows
    #[arg(long, value_enum, default_value_t = bench_chart::Metric::OpsPerSec)]
    y: bench_chart::Metric,
    /// A logarithmic y axis
    #[arg(long)]
    log_y: bool,
    /// Where the legend goes
    #[arg(long, value_enum, default_value_t = bench_chart::Legend::UpperLeft)]
    legend: bench_chart::Legend,
    /// The chart's title
    #[arg(long, default_value = "echo round trips per second")]
    title: String,
}

/// `echo_bench serve <port> [--nodelay]`
#[derive(Parser)]
#[command(
    name = "echo_bench serve",
    version,
    about = "An iterative echo server like day 2's echo_server \
                   (backlog 5, reads of at most 1024 bytes, each written \
                   back as it came), but it serves clients until killed, \
                   and --nodelay sets TCP_NODELAY on each client's socket.",
    after_help = "Example:\n  echo_bench serve 0 --nodelay    \
                        # prints the port it bound"
)]
struct ServeArgs {
    /// The port to listen on (0: the kernel picks one, printed first)
    port: u16,
    /// Set TCP_NODELAY on every accepted socket (Nagle's algorithm off)
    #[arg(long)]
    nodelay: bool,
}

/// What one run measured.
struct Outcome {
    ops: u64,
    secs: f64,
    /// Latency of each operation, in nanoseconds.
    latency: Histogram<u64>,
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    match argv.get(1).map(String::as_str) {
        Some(sub @ ("plot" | "serve")) => {
            // The first word names the program in usage lines.
            let mut words = vec![format!("echo_bench {sub}")];
            words.extend_from_slice(&argv[2..]);
            if sub == "plot" {
                plot(parse_or_exit(&words))
            } else {
                serve(parse_or_exit(&words))
            }
        }
        _ => bench(parse_or_exit(&argv)),
    }
}

/// clap's usage errors exit 2; the course's programs exit 1.
fn parse_or_exit<T: Parser>(argv: &[String]) -> T {
    T::try_parse_from(argv).unwrap_or_else(|err| {
        let code = if err.use_stderr() { 1 } else { 0 };
        let _ = err.print();
        exit(code)
    })
}

fn die(message: &str) -> ! {
    eprintln!("echo_bench: {message}");
    exit(1);
}

fn bench(args: BenchArgs) {
    let server = SocketAddr::from(SocketAddrV4::new(args.ip, args.port));
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        die("--timeout must be a number of seconds above 0");
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    let (clients, n, size) = match args.mode {
        Mode::Rtt { n, size } => (1, n, size),
        Mode::Conn { n } => (1, n, CONN_MESSAGE),
        Mode::Par { clients, n, size } => (clients, n, size),
    };
    if n == 0 || clients == 0 || size == 0 {
        die("the counts and the size must be at least 1");
    }
    let total = n.saturating_mul(clients as u64);
    let mode = match args.mode {
        Mode::Rtt { .. } => "rtt",
        Mode::Conn { .. } => "conn",
        Mode::Par { .. } => "par",
    };
    println!(
        "echo_bench: {mode} against {server}: {clients} client{} × {n} {} \
         of {size} B",
        if clients == 1 { "" } else { "s" },
        if mode == "conn" {
            "connections"
        } else {
            "round trips"
        }
    );
    let progress = Progress::new(total);
    let net = Net {
        server,
        timeout,
        nodelay: args.nodelay,
    };
    let result = match args.mode {
        Mode::Rtt { n, size } => run_rtt(&net, n, size, &progress),
        Mode::Conn { n } => run_conn(&net, n, &progress),
        Mode::Par { clients, n, size } => {
            run_par(&net, clients, n, size, &progress)
        }
    };
    progress.finish();
    let outcome = result.unwrap_or_else(|err| die(&err));

    let percentile = |q: f64| outcome.latency.value_at_quantile(q) as f64;
    let us = |ns: f64| ns / 1000.0;
    let ops_per_sec = outcome.ops as f64 / outcome.secs;
    let (p50, p90, p99) = (percentile(0.5), percentile(0.9), percentile(0.99));
    let max = outcome.latency.max() as f64;
    println!(
        "{:>9} {:>8} {:>10} {:>8} {:>8} {:>8} {:>8}",
        "ops", "secs", "ops/s", "p50 µs", "p90 µs", "p99 µs", "max µs"
    );
    println!(
        "{:>9} {:>8.3} {:>10.0} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
        outcome.ops,
        outcome.secs,
        ops_per_sec,
        us(p50),
        us(p90),
        us(p99),
        us(max)
    );

    if let Some(path) = &args.json {
        let line = json!({
            "mode": mode,
            "label": args.label.clone().unwrap_or_else(|| server.to_string()),
            "server": server.to_string(),
            "clients": clients,
            "size": size,
            "nodelay": args.nodelay,
            "ops": outcome.ops,
            "secs": outcome.secs,
            "ops_per_sec": ops_per_sec,
            "p50_us": us(p50),
            "p90_us": us(p90),
            "p99_us": us(p99),
            "max_us": us(max),
        });
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut file| writeln!(file, "{line}"))
            .unwrap_or_else(|err| {
                die(&format!("cannot append to {}: {err}", path.display()))
            });
    }
}

/// Why a server that served earlier connections may refuse or reset the
/// next one.
const GONE: &str = " (the server is gone; day 2's echo_server exits after \
                    five clients)";

/// The size of `conn`'s one echo.
const CONN_MESSAGE: usize = 16;

/// Where and how to connect.
#[derive(Clone, Copy)]
struct Net {
    server: SocketAddr,
    timeout: Duration,
    nodelay: bool,
}

impl Net {
    /// C: `sock=socket(PF_INET, SOCK_STREAM, 0); connect(sock, ...)`,
    /// with timeouts so a server that stops answering ends the run.
    fn connect(&self) -> Result<TcpStream, io::Error> {
        let stream = TcpStream::connect_timeout(&self.server, self.timeout)?;
        stream.set_read_timeout(Some(self.timeout))?;
        stream.set_write_timeout(Some(self.timeout))?;
        // C: setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on))
        stream.set_nodelay(self.nodelay)?;
        Ok(stream)
    }

    fn connect_error(&self, err: &io::Error, which: u64) -> String {
        let hint = if err.kind() == ErrorKind::ConnectionRefused && which > 1 {
            GONE
        } else if err.kind() == ErrorKind::ConnectionRefused {
            " (is the server running on that port?)"
        } else {
            ""
        };
        format!(
            "connection {which}: connect to {} failed: {err}{hint}",
            self.server
        )
    }
}

/// A histogram of nanoseconds from 1 ns to 1000 s, 3 significant digits.
fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 1_000_000_000_000, 3)
        .unwrap_or_else(|err| die(&format!("histogram: {err}")))
}

fn record(latency: &mut Histogram<u64>, since: Instant) {
    let ns = since.elapsed().as_nanos().clamp(1, 1_000_000_000_000) as u64;
    // Within the bounds set above, so it cannot fail.
    let _ = latency.record(ns);
}

/// The message each round trip sends: letters, so a wrong echo shows.
fn message(size: usize) -> Vec<u8> {
    (0..size).map(|i| b'a' + (i % 26) as u8).collect()
}

/// One round trip: write the whole message, then read until as many bytes
/// came back (echo_client2's rule), and check they are the same.
fn round_trip(
    stream: &mut TcpStream,
    sent: &[u8],
    reply: &mut [u8],
) -> Result<(), String> {
    // C: write(sock, message, strlen(message));
    stream
        .write_all(sent)
        .map_err(|err| format!("write() error: {err}"))?;
    // C: while(recv_len<str_len) recv_len+=read(sock, &message[recv_len], ..)
    let mut received = 0;
    while received < reply.len() {
        match stream.read(&mut reply[received..]) {
            Ok(0) => {
                return Err(format!(
                    "the server closed the connection after {received} of \
                     {} bytes of a reply",
                    reply.len()
                ));
            }
            Ok(got) => received += got,
            Err(err) if err.kind() == ErrorKind::Interrupted => {}
            Err(err)
                if matches!(
                    err.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut
                ) =>
            {
                return Err(format!(
                    "no reply within the timeout ({received} of {} bytes \
                     came)",
                    reply.len()
                ));
            }
            Err(err) => return Err(format!("read() error: {err}")),
        }
    }
    if reply != sent {
        return Err("the reply differs from what was sent".to_owned());
    }
    Ok(())
}

fn run_rtt(
    net: &Net,
    n: u64,
    size: usize,
    progress: &Progress,
) -> Result<Outcome, String> {
    let mut stream = net.connect().map_err(|err| net.connect_error(&err, 1))?;
    let sent = message(size);
    let mut reply = vec![0u8; size];
    let mut latency = new_histogram();
    let start = Instant::now();
    for i in 1..=n {
        let t = Instant::now();
        round_trip(&mut stream, &sent, &mut reply)
            .map_err(|err| format!("round trip {i} of {n}: {err}"))?;
        record(&mut latency, t);
        progress.tick(i);
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = stream.shutdown(Shutdown::Both);
    Ok(Outcome {
        ops: n,
        secs,
        latency,
    })
}

fn run_conn(net: &Net, n: u64, progress: &Progress) -> Result<Outcome, String> {
    let sent = message(CONN_MESSAGE);
    let mut reply = vec![0u8; CONN_MESSAGE];
    let mut latency = new_histogram();
    let start = Instant::now();
    for i in 1..=n {
        let t = Instant::now();
        let mut stream =
            net.connect().map_err(|err| net.connect_error(&err, i))?;
        round_trip(&mut stream, &sent, &mut reply).map_err(|err| {
            // A server that exits resets the connections still queued in
            // its backlog: they were accepted by the kernel, never by it.
            let gone =
                i > 1 && (err.contains("reset") || err.contains("closed"));
            let hint = if gone { GONE } else { "" };
            format!("connection {i} of {n}: {err}{hint}")
        })?;
        // C: close(sock);
        drop(stream);
        record(&mut latency, t);
        progress.tick(i);
    }
    let secs = start.elapsed().as_secs_f64();
    Ok(Outcome {
        ops: n,
        secs,
        latency,
    })
}

fn run_par(
    net: &Net,
    clients: usize,
    n: u64,
    size: usize,
    progress: &Progress,
) -> Result<Outcome, String> {
    // Every client starts at once: each connects after the barrier, so a
    // client an iterative server keeps waiting waits inside the run.
    let start_line = Arc::new(Barrier::new(clients + 1));
    let mut threads = Vec::with_capacity(clients);
    for c in 1..=clients {
        let start_line = Arc::clone(&start_line);
        let net = *net;
        let progress = progress.clone();
        let spawned = thread::Builder::new().spawn(move || {
            start_line.wait();
            one_client(&net, c, n, size, &progress)
        });
        match spawned {
            Ok(handle) => threads.push(handle),
            Err(err) => die(&format!("cannot start client {c}: {err}")),
        }
    }
    start_line.wait();
    let start = Instant::now();
    let mut latency = new_histogram();
    let mut first_error = None;
    for handle in threads {
        match handle.join() {
            Ok(Ok(histogram)) => {
                let _ = latency.add(histogram);
            }
            Ok(Err(err)) => {
                first_error.get_or_insert(err);
            }
            Err(_) => {
                first_error.get_or_insert("a client thread panicked".into());
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    match first_error {
        Some(err) => Err(err),
        None => Ok(Outcome {
            ops: n * clients as u64,
            secs,
            latency,
        }),
    }
}

/// Client `c` of a `par` run: connect, n round trips, close.
fn one_client(
    net: &Net,
    c: usize,
    n: u64,
    size: usize,
    progress: &Progress,
) -> Result<Histogram<u64>, String> {
    let mut stream = net.connect().map_err(|err| {
        format!("client {c}: {}", net.connect_error(&err, c as u64))
    })?;
    let sent = message(size);
    let mut reply = vec![0u8; size];
    let mut latency = new_histogram();
    for i in 1..=n {
        let t = Instant::now();
        round_trip(&mut stream, &sent, &mut reply)
            .map_err(|err| format!("client {c}, round trip {i}: {err}"))?;
        record(&mut latency, t);
        progress.tick(i);
    }
    Ok(latency)
}

/// A progress bar on a terminal, nothing elsewhere (a pipe, a file, CI).
#[derive(Clone)]
struct Progress(Option<ProgressBar>);

/// The bar moves every this many operations, so it costs nothing.
const TICK: u64 = 256;

impl Progress {
    fn new(total: u64) -> Progress {
        if !io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {pos}/{len} ops  {per_sec}  {eta} left",
        ) {
            bar.set_style(style);
        }
        Progress(Some(bar))
    }

    /// Operation `i` (from 1) of one client is done.
    fn tick(&self, i: u64) {
        if let Some(bar) = &self.0
            && i % TICK == 0
        {
            bar.inc(TICK);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

fn plot(args: PlotArgs) {
    let text = std::fs::read_to_string(&args.file).unwrap_or_else(|err| {
        die(&format!("cannot read {}: {err}", args.file.display()))
    });
    let runs = bench_chart::parse_runs(&text, args.x)
        .unwrap_or_else(|err| die(&format!("{}: {err}", args.file.display())));
    let lines = bench_chart::lines_by_label(&runs, args.y);
    if lines.is_empty() {
        die(&format!(
            "{}: no {} results to draw",
            args.file.display(),
            args.x.mode()
        ));
    }
    let chart = bench_chart::Chart {
        title: &args.title,
        x: args.x,
        y: args.y,
        log_y: args.log_y,
        legend: args.legend,
    };
    bench_chart::draw_svg(&args.svg, &chart, &lines).unwrap_or_else(|err| {
        die(&format!("cannot draw {}: {err}", args.svg.display()))
    });
    println!(
        "echo_bench: {} line{} drawn to {}",
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        args.svg.display()
    );
}

/// C: the loop of day 2's echo_server (`ch04/echo_server.c`), without its
/// limit of five clients and with an optional TCP_NODELAY.
fn serve(args: ServeArgs) {
    // C: socket(); bind(INADDR_ANY, port); listen(serv_sock, 5);
    // socket2, not std: std's listen asks for a backlog of 128, and the
    // backlog of 5 is part of what an iterative server does to the
    // clients that wait. SO_REUSEADDR (echo_server has none) lets the
    // chart script restart it on the same port at once.
    let any = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, args.port);
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None)
        .and_then(|sock| sock.set_reuse_address(true).map(|()| sock))
        .and_then(|sock| sock.bind(&any.into()).map(|()| sock))
        .and_then(|sock| sock.listen(5).map(|()| TcpListener::from(sock)))
        .unwrap_or_else(|err| {
            die(&format!("cannot listen on port {}: {err}", args.port))
        });
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    println!(
        "echo_bench serve: port {port}, iterative, reads of at most 1024 \
         bytes, TCP_NODELAY {}",
        if args.nodelay { "on" } else { "off" }
    );
    let mut served = 0u64;
    loop {
        // C: clnt_sock=accept(serv_sock, ...);
        let (mut client, _) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(err) => die(&format!("accept() error: {err}")),
        };
        served += 1;
        // ANCHOR: nodelay
        // The one difference from echo_server this tool exists for:
        // C: setsockopt(clnt_sock, IPPROTO_TCP, TCP_NODELAY, &on, ...);
        if args.nodelay
            && let Err(err) = client.set_nodelay(true)
        {
            eprintln!("client {served}: setsockopt(TCP_NODELAY): {err}");
        }
        // ANCHOR_END: nodelay
        // C: while((str_len=read(clnt_sock, message, BUF_SIZE))!=0)
        //        write(clnt_sock, message, str_len);
        let mut message = [0u8; 1024];
        loop {
            let str_len = match client.read(&mut message) {
                Ok(0) => break,
                Ok(len) => len,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => {
                    eprintln!("client {served}: read() error: {err}");
                    break;
                }
            };
            if let Err(err) = client.write_all(&message[..str_len]) {
                eprintln!("client {served}: write() error: {err}");
                break;
            }
        }
        // C: close(clnt_sock);
    }
}

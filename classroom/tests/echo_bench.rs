//! echo_bench against the real echo servers of the course on 127.0.0.1:
//! day 2's iterative echo_server and day 3's echo_mpserv (found with
//! `harness::bin`), both started with port 0, and against a test's own
//! server that vanishes.

use std::io::{Read, Write};
use std::thread;

use harness::{Output, Program, TempDir};
use serde_json::Value;

const BENCH: &str = env!("CARGO_BIN_EXE_echo_bench");

/// Starts a course server (`echo_server`, `echo_mpserv`) on port 0.
fn start_server(name: &str) -> (Program, String) {
    let mut server = Program::start(&harness::bin(name), &["0"]);
    let port = server.tcp_port().to_string();
    (server, port)
}

/// Runs echo_bench against 127.0.0.1:`port` with `args` after the port.
fn bench(port: &str, args: &[&str]) -> Output {
    let mut all = vec!["127.0.0.1", port];
    all.extend_from_slice(args);
    harness::run(BENCH, &all, b"")
}

/// Asserts a successful run and returns its stdout.
fn succeeded(out: &Output) -> String {
    assert_eq!(out.code(), 0, "stderr: {}", out.stderr_text());
    out.stdout_text()
}

/// The JSON lines of a `--json` file.
fn json_lines(dir: &TempDir, name: &str) -> Vec<Value> {
    String::from_utf8_lossy(&dir.read(name))
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

/// The fields every `--json` line promises, with their JSON types.
fn assert_fields(line: &Value) {
    for field in ["mode", "label", "server"] {
        assert!(line[field].is_string(), "{field} in {line}");
    }
    for field in ["ops", "clients", "size"] {
        assert!(line[field].is_u64(), "{field} in {line}");
    }
    for field in [
        "secs",
        "ops_per_sec",
        "p50_us",
        "p90_us",
        "p99_us",
        "max_us",
    ] {
        assert!(line[field].is_f64(), "{field} in {line}");
    }
    let (p50, p99) = (line["p50_us"].as_f64(), line["p99_us"].as_f64());
    assert!(p50 <= p99, "p50 above p99 in {line}");
}

/// rtt, conn and par against echo_mpserv: each run prints its table and
/// appends one JSON line with the promised fields.
#[test]
fn rtt_conn_and_par_against_echo_mpserv_write_json_lines() {
    let (_server, port) = start_server("echo_mpserv");
    let dir = TempDir::new("echo_bench_json");
    let file = dir.file("runs.json");
    let json = file.to_str().expect("a UTF-8 path");
    let runs: [&[&str]; 3] = [
        &["rtt", "200", "16", "--json", json],
        &["conn", "20", "--json", json, "--label", "mp"],
        &["par", "4", "50", "16", "--json", json, "--nodelay"],
    ];
    for args in runs {
        let stdout = succeeded(&bench(&port, args));
        assert!(stdout.contains("p99 µs"), "{stdout}");
    }
    let lines = json_lines(&dir, "runs.json");
    assert_eq!(lines.len(), 3);
    lines.iter().for_each(assert_fields);
    assert_eq!(
        (lines[0]["mode"].as_str(), lines[0]["ops"].as_u64()),
        (Some("rtt"), Some(200))
    );
    assert_eq!(lines[0]["label"], format!("127.0.0.1:{port}"));
    assert_eq!(
        (lines[1]["mode"].as_str(), lines[1]["label"].as_str()),
        (Some("conn"), Some("mp"))
    );
    assert_eq!(lines[2]["ops"], 200);
    assert_eq!(lines[2]["clients"], 4);
    assert_eq!(lines[2]["nodelay"], true);
}

/// Against the iterative echo_server: one rtt client, two conn clients and
/// a par of two make five, and the server, having served five, exits: so
/// every run closed its connections.
#[test]
fn five_clients_of_echo_server_then_it_exits() {
    let (server, port) = start_server("echo_server");
    succeeded(&bench(&port, &["rtt", "100", "16"]));
    succeeded(&bench(&port, &["conn", "2"]));
    succeeded(&bench(&port, &["par", "2", "50", "16"]));
    let out = server.wait_exit();
    assert_eq!(out.code(), 0);
    assert_eq!(
        out.stdout_text().lines().count(),
        5,
        "{}",
        out.stdout_text()
    );
}

/// A sixth connection to echo_server finds nobody: a clear error that
/// says why, exit 1.
#[test]
fn a_server_that_is_gone_is_a_clear_error() {
    let (_server, port) = start_server("echo_server");
    let out = bench(&port, &["conn", "6"]);
    out.assert_clean_failure();
    let stderr = out.stderr_text();
    assert!(stderr.contains("connection 6"), "{stderr}");
    assert!(stderr.contains("exits after five clients"), "{stderr}");
}

/// A server that closes in the middle of a run: the round trip it broke
/// is named, exit 1.
#[test]
fn a_server_that_vanishes_mid_run_is_a_clear_error() {
    let (listener, port) = harness::listener();
    let server = thread::spawn(move || {
        let mut client = harness::accept(&listener);
        let mut message = [0u8; 16];
        for _ in 0..3 {
            client.read_exact(&mut message).expect("a message");
            client.write_all(&message).expect("its echo");
        }
        // Take the fourth message but send no echo: closing with nothing
        // unread sends FIN, so the fourth round trip reads EOF (a close
        // with unread bytes would send RST instead).
        client.read_exact(&mut message).expect("the fourth message");
    });
    let out = bench(&port.to_string(), &["rtt", "10", "16"]);
    server.join().expect("the test's server");
    out.assert_clean_failure();
    let stderr = out.stderr_text();
    assert!(stderr.contains("round trip 4 of 10"), "{stderr}");
    assert!(stderr.contains("closed the connection"), "{stderr}");
}

/// The 40 ms mystery: echo_server echoes 4096 bytes in pieces of at most
/// 1024, and Nagle's algorithm holds the second piece until the client's
/// delayed ACK (about 40 ms). `echo_bench serve --nodelay`, the same loop
/// with TCP_NODELAY, answers in well under a millisecond.
#[test]
fn nagle_delays_echo_server_and_nodelay_removes_it() {
    let p50 = |port: &str| {
        let dir = TempDir::new("echo_bench_nagle");
        let json = dir.file("run.json");
        let json = json.to_str().expect("a UTF-8 path");
        succeeded(&bench(port, &["rtt", "8", "4096", "--json", json]));
        json_lines(&dir, "run.json")[0]["p50_us"]
            .as_f64()
            .unwrap_or(0.0)
    };
    let (_server, port) = start_server("echo_server");
    let slow = p50(&port);
    let mut variant = Program::start(BENCH, &["serve", "0", "--nodelay"]);
    let fast = p50(&variant.tcp_port().to_string());
    assert!(slow > 20_000.0, "echo_server's median round trip {slow} µs");
    assert!(fast < 10_000.0, "with TCP_NODELAY {fast} µs");
}

/// plot draws one line per label: one polyline and one legend entry each.
#[test]
fn plot_draws_one_line_per_label() {
    let dir = TempDir::new("echo_bench_plot");
    let mut runs = String::new();
    for (label, clients, ops) in [
        ("iterative", 1, 900.0),
        ("iterative", 5, 950.0),
        ("forking", 1, 800.0),
        ("forking", 5, 2400.0),
        ("forking", 2, 1500.0),
    ] {
        runs.push_str(&format!(
            "{{\"mode\":\"par\",\"label\":\"{label}\",\"clients\":{clients},\
             \"ops_per_sec\":{ops}}}\n"
        ));
    }
    runs.push_str("{\"mode\":\"rtt\",\"label\":\"ignored\",\"clients\":1}\n");
    std::fs::write(dir.file("runs.json"), runs).expect("write runs.json");
    let svg = dir.file("chart.svg");
    let out = harness::run(
        BENCH,
        &[
            "plot",
            dir.file("runs.json").to_str().expect("a UTF-8 path"),
            "--svg",
            svg.to_str().expect("a UTF-8 path"),
        ],
        b"",
    );
    assert!(succeeded(&out).contains("2 lines drawn"));
    let text = String::from_utf8_lossy(&dir.read("chart.svg")).into_owned();
    assert!(text.starts_with("<svg"), "not an SVG: {}", &text[..80]);
    // The axes and ticks are polylines 1 wide; the data lines are wider.
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("<polyline"))
        .filter(|l| !l.contains("stroke-width=\"1\""))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_ne!(
        lines[0].split("stroke=").nth(1),
        lines[1].split("stroke=").nth(1)
    );
    for label in ["iterative", "forking"] {
        assert!(text.contains(&format!("\n{label}\n</text>")), "{label}");
    }
    assert!(!text.contains("ignored"), "an rtt run was drawn");
}

/// Bad input: exit 1 with a reason; --help shows examples.
#[test]
fn bad_arguments_are_refused_and_help_shows_examples() {
    for args in [
        &["127.0.0.1", "9", "rtt", "0", "16"][..],
        &["127.0.0.1", "9", "spin"],
        &["localhost", "9", "conn", "1"],
        &["plot", "/nonexistent/runs.json", "--svg", "out.svg"],
    ] {
        harness::run(BENCH, args, b"").assert_clean_failure();
    }
    let help = harness::run(BENCH, &["--help"], b"");
    assert_eq!(help.code(), 0);
    assert!(help.stdout_text().contains("echo_bench plot runs.json"));
}

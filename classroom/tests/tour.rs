//! tour plays a lesson's programs in one terminal: it lists a tour for
//! every client/server pair, runs a tour to a clean end with every line
//! tagged by who printed it and in the order it happened, and says why
//! when a run does not go as scripted. Real bins on 127.0.0.1, ports
//! chosen by the kernel.

use std::path::Path;

use harness::{Output, Program, procfs, require_tool};

const TOUR: &str = env!("CARGO_BIN_EXE_tour");

fn run_tour(args: &[&str]) -> Output {
    let mut tour = Program::start(TOUR, args);
    tour.close_stdin();
    tour.wait_exit()
}

/// `+0.123s [client 1] Message from server: hello` as (tag, text).
fn timeline(out: &Output) -> Vec<(String, String)> {
    out.stdout_text()
        .lines()
        .filter_map(|line| {
            let (time, rest) = line.split_once(' ')?;
            assert!(
                time.starts_with('+') && time.ends_with('s'),
                "a time first: {line:?}"
            );
            let rest = rest.strip_prefix('[')?;
            let (tag, text) = rest.split_once(']')?;
            Some((tag.to_string(), text.trim_start().to_string()))
        })
        .collect()
}

/// Asserts that `wanted` (tag, start of text) appear in this order.
fn assert_in_order(lines: &[(String, String)], wanted: &[(&str, &str)]) {
    let mut at = 0;
    for (tag, text) in wanted {
        let found = lines[at..]
            .iter()
            .position(|(t, l)| t == tag && l.starts_with(text));
        match found {
            Some(i) => at += i + 1,
            None => panic!(
                "[{tag}] {text:?} missing, or out of order, in:\n{lines:#?}"
            ),
        }
    }
}

/// Every client/server bin of the day crates, and the pairs the brief
/// names, appear in `tour --list`.
#[test]
fn the_list_has_a_tour_for_every_client_server_pair() {
    let out = run_tour(&["--list"]);
    assert_eq!(out.code(), 0);
    let list = out.stdout_text();
    let names: Vec<&str> = list
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for tour in [
        "hello",
        "tcp",
        "echo",
        "echo_client2",
        "op",
        "uecho",
        "uecho_con",
        "bound_host",
        "file",
        "reuseadr",
        "echo_mpserv",
        "tcp_serv",
        "hello_itrserv",
        "sendrecv",
        "file_serv",
        "uchat",
    ] {
        assert!(names.contains(&tour), "no tour {tour}:\n{list}");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for day in ["day1", "day2", "day3"] {
        let Ok(bins) = std::fs::read_dir(root.join(day).join("src/bin")) else {
            panic!("cannot read {day}/src/bin");
        };
        for bin in bins.filter_map(|e| e.ok()) {
            let name = bin.file_name().to_string_lossy().replace(".rs", "");
            let network = ["server", "client", "serv", "clnt", "bound_host"]
                .iter()
                .any(|part| name.contains(part));
            if network {
                let word = |w: &str| w.trim_start_matches("2 × ") == name;
                assert!(
                    list.lines().any(|l| l
                        .split(" + ")
                        .any(|p| { p.split_whitespace().any(word) })),
                    "{name} is in no tour:\n{list}"
                );
            }
        }
    }
}

/// `tour echo`: client 1 is served, client 2 connects but gets no reply
/// until client 1 quits (the iterative server), then is served; every
/// line tagged by its program, in the order it happened; exit 0; and no
/// program is left behind.
#[test]
fn the_echo_tour_shows_the_iterative_server_line_by_line() {
    let out = run_tour(&["echo"]);
    let lines = timeline(&out);
    assert_eq!(out.code(), 0, "{lines:#?}");
    // Lines of two programs a microsecond apart come through two pipes
    // and may show in either order: the order is checked where the tour
    // itself waited, and the server's lines among themselves.
    let (server, others): (Vec<_>, Vec<_>) =
        lines.iter().cloned().partition(|(tag, _)| tag == "server");
    assert_in_order(
        &server,
        &[
            ("server", "Connected client 1 "),
            ("server", "Connected client 2 "),
        ],
    );
    assert_in_order(
        &others,
        &[
            ("tour", "start server: echo_server 0"),
            ("tour", "server listens on TCP port "),
            ("tour", "types into client 1: hello"),
            ("client 1", "Message from server: hello"),
            ("tour", "types into client 2: anyone there?"),
            ("tour", "client 2 got no \"Message from server\" for 500 ms"),
            ("tour", "types into client 1: q"),
            ("client 2", "Message from server: anyone there?"),
            ("tour", "client 2 exited with 0"),
            ("tour", "ok: the run went as scripted"),
        ],
    );
    // The tour reaped everything: no echo program came to us as an orphan.
    let me = std::process::id();
    let left: Vec<String> = procfs::children_of(me)
        .into_iter()
        .filter_map(|p| {
            std::fs::read_to_string(format!("/proc/{}/comm", p.pid)).ok()
        })
        .filter(|comm| comm.starts_with("echo_"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A server that exits at once fails the tour: exit 1 and the reason.
#[test]
fn a_server_that_exits_at_once_fails_the_tour_with_the_reason() {
    let out = run_tour(&["echo", "--server", "/bin/true"]);
    assert_eq!(out.code(), 1);
    assert_in_order(
        &timeline(&out),
        &[("tour", "FAILED: server exited before it bound a port")],
    );
}

/// A client that never connects fails the tour, naming the line the tour
/// waited for.
#[test]
fn a_client_that_never_connects_fails_the_tour_naming_the_line() {
    // `cat 127.0.0.1 <port>` looks for two files and exits.
    let out = run_tour(&["echo", "--client", "/bin/cat", "--timeout", "1"]);
    assert_eq!(out.code(), 1);
    let lines = timeline(&out);
    assert_in_order(
        &lines,
        &[(
            "tour",
            "FAILED: server did not print \"Connected client 1 \"",
        )],
    );
}

/// An unknown binary in a role says so.
#[test]
fn a_missing_binary_is_named() {
    let out = run_tour(&["hello", "--client", "/no/such/hello_client"]);
    assert_eq!(out.code(), 1);
    assert!(
        out.stdout_text()
            .contains("FAILED: /no/such/hello_client: no such file"),
        "{}",
        out.stdout_text()
    );
}

/// `--trace`: the server's socket → bind → listen come before the
/// client's connect, and the server's accept returns the new socket 4,
/// each as a line of its own in the timeline.
#[test]
fn trace_puts_the_system_calls_in_the_timeline() {
    if !require_tool("strace") {
        return;
    }
    let out = run_tour(&["hello", "--trace"]);
    let lines = timeline(&out);
    assert_eq!(out.code(), 0, "{lines:#?}");
    assert_in_order(
        &lines,
        &[
            ("server", "socket(AF_INET, SOCK_STREAM"),
            ("server", "bind(3, "),
            ("server", "listen(3, 5)"),
            ("client", "connect(3, "),
            ("client", "Message from server: Hello World! "),
        ],
    );
    assert!(
        lines.iter().any(|(tag, text)| tag == "server"
            && text.starts_with("accept")
            && text.ends_with("= 4")),
        "accept returns 4: {lines:#?}"
    );
}

/// Every tour whose programs are built goes as scripted (exit 0), run
/// side by side; the others say `(not built)` in the list.
#[test]
fn every_built_tour_goes_as_scripted() {
    let list = run_tour(&["--list"]).stdout_text();
    let built: Vec<String> = list
        .lines()
        .skip(1)
        .filter(|l| !l.ends_with("(not built)"))
        .filter_map(|l| Some(l.split_whitespace().next()?.to_string()))
        .collect();
    assert!(built.len() >= 11, "the day tours are built: {list}");
    let runs: Vec<_> = built
        .into_iter()
        .map(|name| std::thread::spawn(move || (run_tour(&[&name]), name)))
        .collect();
    for run in runs {
        let (out, name) = run.join().expect("a tour thread");
        assert_eq!(out.code(), 0, "tour {name}:\n{}", out.stdout_text());
    }
}

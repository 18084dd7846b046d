//! `--help` on every bin (issue 9, item 10): exit 0, the usage line, one
//! line of purpose, and how to run it with cargo, its partner program
//! first. The C programs have no `--help` (`./echo_server --help` binds to
//! port `atoi("--help")`, 0); every other argument still means what it
//! means in C.

use harness::{bin, run};

/// Every lesson bin of days 1 to 3, with the server it needs (if any).
/// A client's help must name the server first; a server's help names
/// the client that comes second.
const BINS: &[(&str, Option<&str>)] = &[
    ("hello_server", None),
    ("hello_client", Some("hello_server")),
    ("low_open", None),
    ("low_read", Some("low_open")),
    ("low_flags", None),
    ("fd_seri", None),
    ("tcp_server", None),
    ("tcp_client", Some("tcp_server")),
    ("endian_conv", None),
    ("ip_class", None),
    ("port_share", None),
    ("inet_addr", None),
    ("inet_aton", None),
    ("inet_ntoa", None),
    ("sockaddr_layout", None),
    ("echo_server", None),
    ("echo_client", Some("echo_server")),
    ("echo_client2", Some("echo_server")),
    ("op_server", None),
    ("op_client", Some("op_server")),
    ("uecho_server", None),
    ("uecho_client", Some("uecho_server")),
    ("uecho_con_client", Some("uecho_server")),
    ("bound_host1", None),
    ("bound_host2", Some("bound_host1")),
    ("file_server", None),
    ("file_client", Some("file_server")),
    ("gethostbyname", None),
    ("gethostbyaddr", None),
    ("sock_type", None),
    ("get_buf", None),
    ("set_buf", None),
    ("reuseadr_eserver", None),
    ("fork", None),
    ("zombie", None),
    ("wait", None),
    ("waitpid", None),
    ("signal", None),
    ("sigaction", None),
    ("remove_zombie", None),
    ("echo_mpserv", None),
    ("echo_mpclient", Some("echo_mpserv")),
    // The publisher's answer programs (TCPIP_Answer).
    ("low_cpy", None),
    ("ansi_cpy", None),
    ("tcp_serv", None),
    ("tcp_clnt", Some("tcp_serv")),
    ("hello_itrserv", None),
    ("sendrecv_serv", None),
    ("recvsend_clnt", Some("sendrecv_serv")),
    ("file_serv", None),
    ("file_clnt", Some("file_serv")),
    ("uchat_server", None),
    ("uchat_client", Some("uchat_server")),
    ("fork_fdnum", None),
    ("ctrl_handler", None),
];

/// The servers and the client their help names as the second step.
const SERVERS: &[(&str, &str)] = &[
    ("hello_server", "hello_client"),
    ("tcp_server", "tcp_client"),
    ("echo_server", "echo_client"),
    ("op_server", "op_client"),
    ("uecho_server", "uecho_client"),
    ("bound_host1", "bound_host2"),
    ("file_server", "file_client"),
    ("echo_mpserv", "echo_mpclient"),
    ("tcp_serv", "tcp_clnt"),
    ("hello_itrserv", "hello_client"),
    ("sendrecv_serv", "recvsend_clnt"),
    ("file_serv", "file_clnt"),
    ("uchat_server", "uchat_client"),
];

fn cargo_command(name: &str) -> String {
    format!("cargo run --bin {name}")
}

#[test]
fn every_bin_answers_help_with_usage_purpose_and_how_to_run_it() {
    assert_eq!(BINS.len(), 55, "every lesson bin of days 1 to 3");
    for &(name, server) in BINS {
        let out = run(&bin(name), &["--help"], b"");
        let text = out.stdout_text();
        assert_eq!(out.code(), 0, "{name} --help: {}", out.stderr_text());
        assert_eq!(out.stderr_text(), "", "{name} --help");
        let mut lines = text.lines();
        let usage = lines.next().unwrap_or_default();
        assert!(
            usage.starts_with("Usage") && usage.contains(name),
            "{name}: the first line is the usage line: {usage:?}"
        );
        let purpose = lines.next().unwrap_or_default();
        assert!(
            purpose.starts_with(&format!("{name}: ")) && purpose.len() > 20,
            "{name}: the second line says what it is for: {purpose:?}"
        );
        let own = text
            .find(&cargo_command(name))
            .unwrap_or_else(|| panic!("{name}: no cargo command in {text}"));
        if let Some(server) = server {
            let first =
                text.find(&cargo_command(server)).unwrap_or_else(|| {
                    panic!("{name}: its partner {server} is not named: {text}")
                });
            assert!(first < own, "{name}: {server} comes first:\n{text}");
        }
        if let Some(&(_, client)) = SERVERS.iter().find(|(s, _)| *s == name) {
            let second =
                text.find(&cargo_command(client)).unwrap_or_else(|| {
                    panic!("{name}: its client {client} is not named: {text}")
                });
            assert!(own < second, "{name}: then {client}:\n{text}");
        }
    }
}

/// `--help` is only `--help` alone: anything else keeps the C behaviour,
/// here the usage line and exit 1 of a wrong argument count.
#[test]
fn help_among_other_arguments_is_the_c_usage_error() {
    let out = run(&bin("echo_server"), &["--help", "9190"], b"");
    assert_eq!(out.code(), 1);
    assert!(out.stdout_text().starts_with("Usage : "), "{out:?}");
    assert!(!out.stdout_text().contains("cargo run"), "{out:?}");
}

//! echo_mpserv does not spin on a persistent `accept` error (issue 9,
//! item 5). With no file descriptor left (`EMFILE`) every `accept` fails
//! at once; the C loop `continue`s and burns a core (the twin used to
//! write about 940,000 lines of stderr in 2 s). The twin pauses between
//! tries, reports the same error at most once a second, and serves the
//! waiting client as soon as descriptors free up.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::thread;
use std::time::Duration;

use harness::Program;

const ECHO_MPSERV: &str = env!("CARGO_BIN_EXE_echo_mpserv");

/// Descriptors 0, 1, 2 and the listening socket 3: nothing left for
/// `accept`.
const NO_FD_LEFT: libc::rlim_t = 4;

/// How long the test watches the server fail.
const WATCH: Duration = Duration::from_millis(1500);

/// The CPU time (user + system) `pid` has used, in clock ticks, from
/// fields 14 and 15 of `/proc/<pid>/stat`.
fn cpu_ticks(pid: u32) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let rest = &text[text.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state): utime is field 14, stime field 15.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// Sets the descriptor limit of `pid` (the test runs as the same user).
fn set_fd_limit(pid: u32, limit: libc::rlim_t) {
    let new = libc::rlimit {
        rlim_cur: limit,
        rlim_max: 1024,
    };
    // SAFETY: prlimit(2) reads `new` and writes nothing (old is null).
    let rc = unsafe {
        libc::prlimit(
            pid as libc::pid_t,
            libc::RLIMIT_NOFILE,
            &new,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(rc, 0, "prlimit: {}", std::io::Error::last_os_error());
}

#[test]
fn emfile_makes_the_server_pause_not_spin_and_it_recovers() {
    let mut command = Command::new(ECHO_MPSERV);
    command.arg("0");
    // SAFETY: runs in the forked child before exec; setrlimit(2) is
    // async-signal-safe and reads only the local `limit`.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: NO_FD_LEFT,
                rlim_max: 1024,
            };
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            Ok(())
        });
    }
    let mut server = Program::spawn(&mut command);
    let port = server.tcp_port();

    // The kernel completes the connection (it waits in the backlog), but
    // every accept fails with EMFILE.
    let mut client = harness::connect(port);
    harness::wait_until("the first accept() error", || {
        !server.stderr_so_far().is_empty()
    });
    let ticks_before = cpu_ticks(server.pid());
    thread::sleep(WATCH);
    let ticks = cpu_ticks(server.pid()) - ticks_before;
    let stderr = String::from_utf8_lossy(&server.stderr_so_far()).into_owned();

    // SAFETY: sysconf only reads a constant of the system.
    let ticks_per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
    assert!(
        ticks * 10 < ticks_per_second * 3,
        "{ticks} ticks of CPU in {WATCH:?}: the server spins"
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        (1..=3).contains(&lines.len()),
        "at most one line a second: {} lines, first {:?}",
        lines.len(),
        lines.first()
    );
    assert!(
        lines
            .iter()
            .all(|line| *line
                == "accept() error: Too many open files (os error 24)"),
        "{lines:?}"
    );

    // Descriptors free up: the waiting client is served.
    set_fd_limit(server.pid(), 64);
    client.write_all(b"still there?\n").unwrap();
    let mut echo = [0u8; 13];
    client
        .read_exact(&mut echo)
        .expect("the echo after recovery");
    assert_eq!(&echo, b"still there?\n");
    server.wait_for_stdout("new client connected...\n");
}

//! echo_mpclient: an echo client split in two processes. The child writes
//! what you type, the parent prints what the server sends back.
//!
//! - Course notes: 3일차, "프로세스(실행중인 프로그램) 이해" (fork 함수호출을
//!   통한 프로세스 생성) and "우아한 종료를 위한 shutdown 함수"
//! - C original: `ch10/echo_mpclient.c`
//! - Man pages: `fork(2)`, `shutdown(2)`, `read(2)`, `write(2)`, `kill(2)`,
//!   `waitpid(2)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin echo_mpserv -- 9190
//! # terminal 2: type lines, then q (or Ctrl+D)
//! cargo run --bin echo_mpclient -- 127.0.0.1 9190
//! # or many lines at once: every reply is still printed
//! seq 1000 | cargo run --bin echo_mpclient -- 127.0.0.1 9190
//! ```
//!
//! There is no prompt: the writer never waits for a reply. Each piece the
//! reader gets (at most 30 bytes) is printed after a prefix:
//!
//! ```text
//! hello
//! Message from server: hello
//! q
//! ```
//!
//! # Differences from the C original
//!
//! - End of input acts like `q`: the C writer loops forever on `fgets`
//!   returning NULL and keeps re-sending its last line.
//! - The C reader stores a NUL at `buf[str_len]`, one byte past its 30-byte
//!   buffer when a read fills it (undefined behaviour), and `%s` and
//!   `strlen` stop at a NUL byte. The twin prints and sends every byte.
//! - When the reader sees the end of the stream it ends the writer (SIGTERM)
//!   if it still runs, and reaps it. In C, when the server closes first,
//!   the writer lives on as an orphan that keeps reading the terminal.
//! - A read or write error is reported on stderr (the C ignores them) and
//!   `<IP>` and `<port>` are checked (C's `inet_addr` and `atoi` are not).

use std::io::Write;
use std::net::{Shutdown, SocketAddrV4};
use std::process;

use common::OrDie;
use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, read};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 30`
const BUF_SIZE: usize = 30;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "echo_mpclient: an echo client split in two processes: one reads, one \
     writes",
    "cargo run --bin echo_mpserv -- 9190               # terminal 1, first
     cargo run --bin echo_mpclient -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, HELP.usage);
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_STREAM, 0); connect(sock, ...);
    let sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let serv_adr = SocketAddrV4::new(ip, port);
    sock.connect(&serv_adr.into()).or_die("connect() error!");

    // Flush before fork, so the child never inherits unwritten output.
    std::io::stdout().flush().or_die("write to stdout error");
    // C: pid=fork(); if(pid==0) write_routine(...); else read_routine(...);
    // Both processes now hold the same connected socket.
    // SAFETY: this program has one thread, so the child may run any code.
    match unsafe { fork() }.or_die("fork() error") {
        ForkResult::Child => {
            write_routine(&sock);
            // C: close(sock); return 0;
            drop(sock);
            process::exit(0);
        }
        ForkResult::Parent { child } => {
            let result = read_routine(&sock);
            // Not in C: stop the writer if it still runs (the server closed
            // first), and reap it, so no orphan keeps reading the terminal.
            let _ = kill(child, Signal::SIGTERM);
            let _ = waitpid(child, None);
            result.or_die("read() error");
        }
    }
    // ANCHOR_END: steps
}

// ANCHOR: routines
/// C: `read_routine`: print every piece until the server closes (read 0).
fn read_routine(sock: &Socket) -> nix::Result<()> {
    let mut buf = [0u8; BUF_SIZE];
    let mut stdout = std::io::stdout().lock();
    loop {
        // C: str_len=read(sock, buf, BUF_SIZE); if(str_len==0) return;
        let str_len = match read(sock, &mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(Errno::EINTR) => continue,
            Err(err) => return Err(err),
        };
        // C: printf("Message from server: %s", buf);
        stdout
            .write_all(b"Message from server: ")
            .and_then(|()| stdout.write_all(&buf[..str_len]))
            .and_then(|()| stdout.flush())
            .or_die("write to stdout error");
    }
}

/// C: `write_routine`: send each line of stdin; on `q`, `Q` or the end of
/// input, close only our sending half, so the replies still come back.
fn write_routine(mut sock: &Socket) {
    let mut stdin = std::io::stdin().lock();
    loop {
        // C: fgets(buf, BUF_SIZE, stdin); at most 29 bytes of a line.
        let line = common::fgets(&mut stdin, BUF_SIZE).or_die("stdin error");
        match line.as_deref() {
            // C: if(!strcmp(buf,"q\n") || !strcmp(buf,"Q\n")) {
            //        shutdown(sock, SHUT_WR); return; }
            None | Some(b"q\n") | Some(b"Q\n") => {
                sock.shutdown(Shutdown::Write).or_die("shutdown() error");
                return;
            }
            // C: write(sock, buf, strlen(buf));
            Some(bytes) => sock.write_all(bytes).or_die("write() error"),
        }
    }
}
// ANCHOR_END: routines

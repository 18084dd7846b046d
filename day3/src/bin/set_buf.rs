//! set_buf: ask for 3072-byte input and output buffers with `setsockopt`,
//! then read back what the kernel really gave: on Linux, twice as much.
//!
//! - Course notes: 3일차, "SO_SNDBUF & SO_RCVBUF" (버퍼의 크기를 참조 뿐
//!   아니라 변경도 가능)
//! - C original: `ch09/set_buf.c`
//! - Man pages: `setsockopt(2)`, `getsockopt(2)`, `socket(7)`
//!   (`SO_RCVBUF`, `SO_SNDBUF`: "The kernel doubles this value")
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin set_buf
//! # the ceilings a setsockopt request is clipped to (before doubling)
//! cat /proc/sys/net/core/rmem_max /proc/sys/net/core/wmem_max
//! ```
//!
//! On Linux it prints (each line ends with a space, as in C):
//!
//! ```text
//! Input buffer size: 6144
//! Output buffer size: 6144
//! ```
//!
//! Linux stores `2 × min(value, rmem_max)` (`wmem_max` for `SO_SNDBUF`):
//! the extra half is room for the kernel's own bookkeeping of each
//! packet, and `getsockopt` reports the doubled value. It also never goes
//! below a minimum (2304 and 4608 bytes on x86-64), so a tiny request
//! gives more than double. The book's own run, on an older system, showed
//! 2000 and 2048.
//!
//! # Differences from the C original
//!
//! - The `socket` call is checked (`socket() error`); the C program does
//!   not check it.

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use socket2::{Domain, Socket, Type};

/// C: `int snd_buf=1024*3, rcv_buf=1024*3;`: the size we ask for.
const WANTED_BUF_SIZE: usize = 1024 * 3;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "",
    "set_buf: asks for 3072-byte buffers with setsockopt and reads what it \
     got",
    "cargo run --bin set_buf",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // The C program ignores its arguments; so does the twin.

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_STREAM, 0);
    let sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");

    // C: state=setsockopt(sock, SOL_SOCKET, SO_RCVBUF,
    //                      (void*)&rcv_buf, sizeof(rcv_buf));
    // Ask for a 3072-byte input buffer...
    sock.set_recv_buffer_size(WANTED_BUF_SIZE)
        .or_die("setsockopt() error!");

    // C: state=setsockopt(sock, SOL_SOCKET, SO_SNDBUF,
    //                      (void*)&snd_buf, sizeof(snd_buf));
    // ...and a 3072-byte output buffer.
    sock.set_send_buffer_size(WANTED_BUF_SIZE)
        .or_die("setsockopt() error!");

    // C: state=getsockopt(sock, SOL_SOCKET, SO_SNDBUF, (void*)&snd_buf, &len);
    // Now ask what we got: the kernel's answer, not our request.
    let snd_buf = sock.send_buffer_size().or_die("getsockopt() error!");

    // C: state=getsockopt(sock, SOL_SOCKET, SO_RCVBUF, (void*)&rcv_buf, &len);
    let rcv_buf = sock.recv_buffer_size().or_die("getsockopt() error!");

    // C: printf("Input buffer size: %d \n", rcv_buf);
    //    printf("Output buffer size: %d \n", snd_buf);
    println!("Input buffer size: {rcv_buf} ");
    println!("Output buffer size: {snd_buf} ");
    // ANCHOR_END: steps
}

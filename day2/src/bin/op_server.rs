//! op_server: the calculator server. Each client sends operands and an
//! operator in a small binary protocol; the server answers with the result.
//!
//! - Course notes: 2일차, after "lterative 에코 서버 , 에코 클라이언트" (sic);
//!   book chapter 5, designing an application protocol
//! - C original: `ch05/op_server.c`
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `accept(2)`, `read(2)`,
//!   `write(2)`, `close(2)`
//!
//! # The protocol
//!
//! ```text
//! client → server: [count: 1 byte][count × operand: 4-byte int]
//!                  [operator: 1 byte]
//! server → client: [result: 4-byte int]
//! ```
//!
//! The ints travel in *host* byte order, exactly as the C programs send
//! them (little-endian on x86 and most ARM), so the Rust server works with
//! the C client and the reverse. `3 + 4 + 5` is 14 bytes:
//! `03 | 03 00 00 00 | 04 00 00 00 | 05 00 00 00 | 2b`, answered by
//! `0c 00 00 00`.
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: prints nothing; serves 5 clients, then exits
//! cargo run --bin op_server -- 9190
//! # terminal 2
//! cargo run --bin op_client -- 127.0.0.1 9190
//! ```
//!
//! # Differences from the C original
//!
//! - The port must be a number from 0 to 65535 (C's `atoi` takes garbage).
//! - `accept` is checked (`accept() error`); the C program does not check it.
//! - A client that breaks the protocol is closed, with one line on stderr,
//!   and the server goes on with the next client (it still counts as one of
//!   the five). In C a count of 0 computes with an operand never sent (it
//!   reads outside what arrived), and a client that closes early makes
//!   `read` return 0 forever: the server spins and serves nobody again.
//! - The server reads exactly `count × 4 + 1` bytes after the count; the
//!   operator is the last of them. C reads in pieces of up to 1023 bytes and
//!   takes the last byte received, so extra bytes from a client could move
//!   the operator (or overrun its buffer).
//! - `+`, `-` and `*` wrap around on overflow (`wrapping_add`...), which is
//!   what C `int` arithmetic does on this platform (in C it is formally
//!   undefined behaviour). An operator other than `+ - *` returns the first
//!   operand, as the C `switch` without `default` does.

use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use common::die::error_line;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 1024`: room for 255 operands (1021 bytes).
const BUF_SIZE: usize = 1024;
/// C: `#define OPSZ 4`: the size of one operand, an `int`.
const OPSZ: usize = 4;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<port>",
    "op_server: the calculator server: operands and an operator in, one \
     result out",
    "cargo run --bin op_server -- 9190             # terminal 1, first
     cargo run --bin op_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let port = common::port_arg(&args[0]);

    // C: serv_sock=socket(...); bind(...); listen(serv_sock, 5);
    // The same three steps as every server of the course.
    let serv_sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let serv_adr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
    serv_sock.bind(&serv_adr.into()).or_die("bind() error");
    serv_sock.listen(5).or_die("listen() error");

    // ANCHOR: steps
    // C: for(i=0; i<5; i++)
    // Iterative, like echo_server: one client at a time, five in all.
    for i in 1..=5 {
        // C: clnt_sock=accept(serv_sock, (struct sockaddr*)&clnt_adr,
        //                      &clnt_adr_sz);
        let (clnt_sock, _clnt_adr) =
            serv_sock.accept().or_die("accept() error");

        // A client that breaks the protocol is closed; the next is served.
        if let Err(reason) = serve_one_client(&clnt_sock) {
            common::eprint_line(&format!("client {i}: {reason}"));
        }

        // C: close(clnt_sock);
        drop(clnt_sock);
    }
    // C: close(serv_sock); return 0;
    drop(serv_sock);
    // ANCHOR_END: steps
}

// ANCHOR: serve
/// One client: read the request, calculate, write the 4-byte result.
fn serve_one_client(clnt_sock: &Socket) -> Result<(), String> {
    // C: read(clnt_sock, &opnd_cnt, 1);
    // The first byte is the operand count: 0 to 255.
    let mut count_byte = [0u8; 1];
    read_exactly(clnt_sock, &mut count_byte)?;
    let opnd_cnt = usize::from(count_byte[0]);
    if opnd_cnt == 0 {
        return Err(
            "operand count 0, nothing to calculate: closed it".to_string()
        );
    }

    // C: while((opnd_cnt*OPSZ+1)>recv_len) {
    //        recv_cnt=read(clnt_sock, &opinfo[recv_len], BUF_SIZE-1);
    //        recv_len+=recv_cnt;
    //    }
    // The count tells how many bytes are still to come: the operands and
    // the operator. TCP may deliver them in any number of pieces.
    let mut opinfo = [0u8; BUF_SIZE];
    let recv_len = opnd_cnt * OPSZ + 1;
    read_exactly(clnt_sock, &mut opinfo[..recv_len])?;

    // C: result=calculate(opnd_cnt, (int*)opinfo, opinfo[recv_len-1]);
    // Each operand is 4 bytes in host byte order, as the C client wrote it.
    let opnds: Vec<i32> = opinfo[..opnd_cnt * OPSZ]
        .chunks_exact(OPSZ)
        .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let result = calculate(&opnds, opinfo[recv_len - 1]);

    // C: write(clnt_sock, (char*)&result, sizeof(result));
    let mut rest = &result.to_ne_bytes()[..];
    while !rest.is_empty() {
        let written = write(clnt_sock, rest)
            .map_err(|e| error_line("write() error", &e))?;
        rest = &rest[written..];
    }
    Ok(())
}

/// C: `int calculate(int opnum, int opnds[], char op)`
///
/// `+ - *` wrap around like C `int`; any other operator leaves the first
/// operand, because the C `switch` has no `default`.
fn calculate(opnds: &[i32], op: u8) -> i32 {
    let Some((&first, rest)) = opnds.split_first() else {
        return 0; // never: serve_one_client refuses a count of 0
    };
    // C: case '+': for(i=1; i<opnum; i++) result+=opnds[i]; (and - *)
    match op {
        b'+' => rest.iter().fold(first, |result, &x| result.wrapping_add(x)),
        b'-' => rest.iter().fold(first, |result, &x| result.wrapping_sub(x)),
        b'*' => rest.iter().fold(first, |result, &x| result.wrapping_mul(x)),
        _ => first, // C: no default, so result is still opnds[0]
    }
}
// ANCHOR_END: serve

/// Reads until `buf` is full. A client that closes first is an error,
/// where the C loop would spin on `read` returning 0 forever.
fn read_exactly(clnt_sock: &Socket, buf: &mut [u8]) -> Result<(), String> {
    let mut recv_len = 0;
    while recv_len < buf.len() {
        let recv_cnt = read(clnt_sock, &mut buf[recv_len..])
            .map_err(|e| error_line("read() error", &e))?;
        if recv_cnt == 0 {
            return Err(format!(
                "closed the connection after {recv_len} of {} bytes",
                buf.len()
            ));
        }
        recv_len += recv_cnt;
    }
    Ok(())
}

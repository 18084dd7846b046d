//! op_divide: op_server with division. `/` divides the first operand by
//! each of the others, truncating toward zero as C's `int` does, and a
//! division by zero is refused: that client is closed without an answer
//! and the server goes on with the next one, instead of dying.
//!
//! - Course notes: 2일차, after "lterative 에코 서버 , 에코 클라이언트" (sic);
//!   book chapter 5, designing an application protocol
//! - The solution of the exercise `op_divide` (its starter:
//!   `day2/exercises/op_divide.rs`); built from `ch05/op_server.c`
//! - Man pages: `socket(2)`, `bind(2)`, `listen(2)`, `accept(2)`, `read(2)`,
//!   `write(2)`, `close(2)`
//!
//! # The protocol
//!
//! op_server's, unchanged: the operator byte may now also be `/`.
//!
//! ```text
//! client → server: [count: 1 byte][count × operand: 4-byte int]
//!                   [operator: 1 byte]
//! server → client: [result: 4-byte int]
//! ```
//!
//! The answer has no room to say "error": a protocol where every 4 bytes
//! are a valid result cannot carry one. So a division by zero gets no
//! answer at all: the server closes that connection, and op_client says
//! `read() error: the server closed the connection after 0 of 4 bytes`.
//!
//! # Run it
//!
//! ```sh
//! # terminal 1: prints nothing but refusals; serves 5 clients, then exits
//! cargo run --bin solution_op_divide -- 9190
//! # terminal 2: count 2, operands 7 and 2, operator /
//! cargo run --bin op_client -- 127.0.0.1 9190
//! ```
//!
//! Terminal 2 ends with `Operation result: 3 `; with 7 and 0 instead,
//! terminal 1 says `client 2: division by zero: closed it`.
//!
//! # Why it cannot just divide
//!
//! In C, `x / 0` and `INT_MIN / -1` are undefined behaviour; on x86 both
//! raise `SIGFPE`, which kills the server and drops every client waiting
//! in its backlog. In Rust both panic. One client's bad request must not
//! end the service of the others: a zero divisor is refused before
//! dividing, and `INT_MIN / -1` gets the answer C's wrap-around arithmetic
//! gives (`wrapping_div`), as `+ - *` do.
//!
//! # Differences from op_server
//!
//! Only `/` and what it needs: `calculate` returns the refusal as an
//! `Err`, which `serve_one_client` passes on like a protocol error.

use std::net::{Ipv4Addr, SocketAddrV4};

use common::OrDie;
use common::die::error_line;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 1024`: room for 255 operands (1021 bytes).
const BUF_SIZE: usize = 1024;
/// C: `#define OPSZ 4`: the size of one operand, an `int`.
const OPSZ: usize = 4;

fn main() {
    // C: if(argc!=2) { printf("Usage : %s <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, "<port>");
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
        //                   &clnt_adr_sz);
        let (clnt_sock, _clnt_adr) =
            serv_sock.accept().or_die("accept() error");

        // A client that breaks the protocol is closed; the next is served.
        if let Err(reason) = serve_one_client(&clnt_sock) {
            eprintln!("client {i}: {reason}");
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
    let result = calculate(&opnds, opinfo[recv_len - 1])?;

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
/// `+ - * /` wrap around like C `int`; any other operator leaves the first
/// operand, because the C `switch` has no `default`. A division by zero is
/// refused (`Err`): there is no answer to send.
fn calculate(opnds: &[i32], op: u8) -> Result<i32, String> {
    let Some((&first, rest)) = opnds.split_first() else {
        return Ok(0); // never: serve_one_client refuses a count of 0
    };
    // C: case '+': for(i=1; i<opnum; i++) result+=opnds[i]; (and - *)
    Ok(match op {
        b'+' => rest.iter().fold(first, |result, &x| result.wrapping_add(x)),
        b'-' => rest.iter().fold(first, |result, &x| result.wrapping_sub(x)),
        b'*' => rest.iter().fold(first, |result, &x| result.wrapping_mul(x)),
        // ANCHOR: divide
        // C: case '/': for(i=1; i<opnum; i++) result/=opnds[i];
        // Refuse a zero divisor before dividing: in C it raises SIGFPE and
        // kills the server. -2147483648 / -1 wraps around, as C's does.
        b'/' => {
            if rest.contains(&0) {
                return Err("division by zero: closed it".to_string());
            }
            rest.iter().fold(first, |result, &x| result.wrapping_div(x))
        }
        // ANCHOR_END: divide
        _ => first, // C: no default, so result is still opnds[0]
    })
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

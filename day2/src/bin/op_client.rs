//! op_client: the calculator client. It asks for operands and an operator,
//! sends them in the class's protocol and prints the server's result.
//!
//! - Course notes: 2일차, after "lterative 에코 서버 , 에코 클라이언트" (sic);
//!   book chapter 5, designing an application protocol
//! - C original: `ch05/op_client.c`
//! - Man pages: `socket(2)`, `connect(2)`, `write(2)`, `read(2)`, `scanf(3)`
//!
//! # Run it
//!
//! ```sh
//! # terminal 1
//! cargo run --bin op_server -- 9190
//! # terminal 2
//! cargo run --bin op_client -- 127.0.0.1 9190
//! ```
//!
//! Terminal 2, with what you type after each prompt:
//!
//! ```text
//! Connected...........
//! Operand count: 3
//! Operand 1: 3
//! Operand 2: 4
//! Operand 3: 5
//! Operator: +
//! Operation result: 12
//! ```
//!
//! The request is `count × 4 + 2` bytes: 1 for the count, 4 per operand
//! (an `int` in host byte order), 1 for the operator. op_server shows the
//! bytes of `3 + 4 + 5`.
//!
//! # Differences from the C original
//!
//! - `<IP>` must be a dotted-decimal IPv4 address and `<port>` a number
//!   from 0 to 65535 (C's `inet_addr` and `atoi` take garbage silently).
//! - Input is checked: a word that is not a whole number, an operand outside
//!   the range of `int`, a count outside 1 to 255 (C would send it cut to
//!   one byte, or overrun its buffer) or the end of input is a clear error on
//!   stderr, exit 1, and nothing is sent. `scanf` would leave garbage.
//! - The operator is the next byte that is not white space. C's
//!   `fgetc(stdin)` skips exactly one character (the newline after the last
//!   operand) and `scanf("%c")` takes the next, even a space or a newline.
//! - The result is read until all 4 bytes have come; C reads once. A server
//!   that closes without answering is an error, exit 1.
//! - C checks neither `write` nor `read`; the twin reports a failure
//!   (`write() error: ...`, `read() error: ...`) and exits 1.

use std::io::{BufRead, Write};
use std::net::SocketAddrV4;
use std::str::FromStr;

use common::OrDie;
use nix::unistd::{read, write};
use socket2::{Domain, Socket, Type};

/// C: `#define BUF_SIZE 1024`: room for 255 operands (1022 bytes).
const BUF_SIZE: usize = 1024;
/// C: `#define RLT_SIZE 4`: the result, one `int`.
const RLT_SIZE: usize = 4;
/// C: `#define OPSZ 4`: one operand, one `int`.
const OPSZ: usize = 4;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP> <port>",
    "op_client: the calculator client: asks for operands and an operator",
    "cargo run --bin op_server -- 9190             # terminal 1, first
     cargo run --bin op_client -- 127.0.0.1 9190   # terminal 2, then",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    // C: if(argc!=3) { printf("Usage : %s <IP> <port>\n", argv[0]); exit(1); }
    let args = common::usage_args(2, HELP.usage);
    let ip = common::ipv4_arg(&args[0]);
    let port = common::port_arg(&args[1]);
    let mut stdin = std::io::stdin().lock();

    // ANCHOR: steps
    // C: sock=socket(PF_INET, SOCK_STREAM, 0); connect(sock, ...);
    //    puts("Connected...........");   (11 dots)
    let sock =
        Socket::new(Domain::IPV4, Type::STREAM, None).or_die("socket() error");
    let serv_adr = SocketAddrV4::new(ip, port);
    sock.connect(&serv_adr.into()).or_die("connect() error!");
    prompt("Connected...........\n");

    // C: fputs("Operand count: ", stdout); scanf("%d", &opnd_cnt);
    //    opmsg[0]=(char)opnd_cnt;
    // Byte 0 of the request: how many operands follow (one byte: 1 to 255).
    let mut opmsg = [0u8; BUF_SIZE];
    prompt("Operand count: ");
    let count_range = "a number from 1 to 255";
    let opnd_cnt =
        match scan_number::<u8>(&mut stdin, "operand count", count_range) {
            0 => bad_input("operand count", "0", count_range),
            count => count,
        };
    opmsg[0] = opnd_cnt;
    let opnd_cnt = usize::from(opnd_cnt);

    // C: printf("Operand %d: ", i+1); scanf("%d", (int*)&opmsg[i*OPSZ+1]);
    // Each operand: 4 bytes in host byte order, as the C int in memory.
    for i in 0..opnd_cnt {
        prompt(&format!("Operand {}: ", i + 1));
        let what = format!("operand {}", i + 1);
        let opnd: i32 = scan_number(
            &mut stdin,
            &what,
            "a whole number from -2147483648 to 2147483647",
        );
        opmsg[i * OPSZ + 1..i * OPSZ + 1 + OPSZ]
            .copy_from_slice(&opnd.to_ne_bytes());
    }

    // C: fgetc(stdin); fputs("Operator: ", stdout);
    //    scanf("%c", &opmsg[opnd_cnt*OPSZ+1]);
    // The last byte: the operator character itself.
    prompt("Operator: ");
    opmsg[opnd_cnt * OPSZ + 1] = scan_operator(&mut stdin);

    // C: write(sock, opmsg, opnd_cnt*OPSZ+2);
    // The whole request in one go: count×4+2 bytes.
    let mut rest = &opmsg[..opnd_cnt * OPSZ + 2];
    while !rest.is_empty() {
        let written = write(&sock, rest).or_die("write() error");
        rest = &rest[written..];
    }

    // C: read(sock, &result, RLT_SIZE);
    // The answer is exactly 4 bytes: read until all of them have come.
    let mut result = [0u8; RLT_SIZE];
    let mut recv_len = 0;
    while recv_len < RLT_SIZE {
        match read(&sock, &mut result[recv_len..]).or_die("read() error") {
            0 => common::error_handling(&format!(
                "read() error: the server closed the connection \
                 after {recv_len} of 4 bytes"
            )),
            recv_cnt => recv_len += recv_cnt,
        }
    }

    // C: printf("Operation result: %d \n", result); close(sock);
    prompt(&format!(
        "Operation result: {} \n",
        i32::from_ne_bytes(result)
    ));
    drop(sock);
    // ANCHOR_END: steps
}

/// C: `fputs(text, stdout)`, flushed so a prompt shows before we read.
fn prompt(text: &str) {
    let mut stdout = std::io::stdout();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .or_die("write to stdout error");
}

/// C: `scanf("%d", ...)`, checked: the next word of input as a `T`.
fn scan_number<T: FromStr>(
    stdin: &mut impl BufRead,
    what: &str,
    expected: &str,
) -> T {
    skip_white_space(stdin, what);
    let mut word = Vec::new();
    while let Some(&byte) = peek(stdin).first() {
        if byte.is_ascii_whitespace() {
            break;
        }
        word.push(byte);
        stdin.consume(1);
    }
    let text = String::from_utf8_lossy(&word);
    text.parse()
        .unwrap_or_else(|_| bad_input(what, &text, expected))
}

/// Ends the program:
/// `bad operand count "abc": expected a number from 1 to 255`.
fn bad_input(what: &str, text: &str, expected: &str) -> ! {
    common::error_handling(&format!(
        "bad {what} \"{text}\": expected {expected}"
    ))
}

/// C: `fgetc(stdin); scanf("%c", ...)`: the operator, one byte.
fn scan_operator(stdin: &mut impl BufRead) -> u8 {
    let operator = skip_white_space(stdin, "operator");
    stdin.consume(1);
    operator
}

/// Skips spaces and newlines and returns the next byte, not yet consumed;
/// end of input here means `what` is missing.
fn skip_white_space(stdin: &mut impl BufRead, what: &str) -> u8 {
    loop {
        match peek(stdin).first() {
            None => common::error_handling(&format!(
                "end of input: expected the {what}"
            )),
            Some(byte) if byte.is_ascii_whitespace() => stdin.consume(1),
            Some(&byte) => return byte,
        }
    }
}

/// The input bytes not read yet (empty at end of input).
fn peek(stdin: &mut impl BufRead) -> &[u8] {
    stdin.fill_buf().or_die("read error on stdin")
}

//! The tours: for each client/server pair of the course, which programs
//! run, with which arguments, what is typed into them and when, and what
//! each must print for the run to count as "went as scripted".
//!
//! A tour is data, played by the `tour` bin: a list of [`Step`]s over
//! numbered programs. Program 0 is the server; its port is learned from
//! the kernel once it has bound port 0, and `{port}` in any later
//! argument list is that port. Servers run in a scratch folder's
//! `server/`, clients in its `client/`, so a file a client writes never
//! lands on the file the server sends.

use runner::socktab::Proto;

/// Which `--server`/`--client` option may replace a program's binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Server,
    Client,
}

/// One program of a tour.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    /// The name on its lines: `server`, `client 1`...
    pub tag: &'static str,
    pub role: Role,
    /// The bin's name in `target/<profile>/`.
    pub bin: &'static str,
    /// Its arguments; `{port}` is the server's port (`0` before it is
    /// known, so the server's own `{port}` asks the kernel for one).
    pub args: &'static [&'static str],
}

/// One thing the tour does, in order.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// Start program `n` (for program 0: and learn its port).
    Start(usize),
    /// Type a line into program `n`'s stdin (the text includes `\n`).
    Type(usize, &'static str),
    /// Program `n` prints a line containing this text (after the lines
    /// matched before); within the tour's timeout, or the tour fails.
    Expect(usize, &'static str),
    /// Program `n` does NOT print a line containing this text for this
    /// many milliseconds (a client waiting on an iterative server).
    Silent(usize, &'static str, u64),
    /// Send a signal to program `n` (to the program itself, not strace).
    Signal(usize, i32),
    /// Program `n` exits by itself with this status.
    Exits(usize, i32),
    /// Program `n` ends, killed by this signal.
    Killed(usize, i32),
}

/// A tour of one lesson.
#[derive(Debug, Clone, Copy)]
pub struct Tour {
    pub name: &'static str,
    /// What it shows, in a line.
    pub shows: &'static str,
    pub proto: Proto,
    /// The `TCPIP_SLEEP_SCALE` it runs with unless the caller set one.
    pub sleep_scale: Option<&'static str>,
    /// A file to create in the servers' folder: (name, contents).
    pub file: Option<(&'static str, &'static str)>,
    /// The file the client must have written by the end, byte for byte
    /// the same as `file` (`receive.dat`).
    pub compare: Option<&'static str>,
    pub parts: &'static [Part],
    pub steps: &'static [Step],
}

const CLIENT_ARGS: &[&str] = &["127.0.0.1", "{port}"];
const SERVER_ARGS: &[&str] = &["{port}"];

const fn server(bin: &'static str) -> Part {
    Part {
        tag: "server",
        role: Role::Server,
        bin,
        args: SERVER_ARGS,
    }
}

const fn client(tag: &'static str, bin: &'static str) -> Part {
    Part {
        tag,
        role: Role::Client,
        bin,
        args: CLIENT_ARGS,
    }
}

use Step::{Exits, Expect, Killed, Signal, Silent, Start, Type};

const HELLO: &str = "Message from server: Hello World! ";

/// A text for the file tours, several 30-byte pieces long.
const LESSON_TEXT: &str = "TCP has no message boundaries.\n\
    shutdown(SHUT_WR) sends an EOF and keeps reading.\n\
    Thank you arrives after the EOF.\n";

/// Every tour, in course order.
pub const TOURS: &[Tour] = &[
    Tour {
        name: "hello",
        shows: "socket, bind, listen, accept; 13 bytes with the NUL",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[server("hello_server"), client("client", "hello_client")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, HELLO),
            Exits(1, 0),
            Exits(0, 0),
        ],
    },
    Tour {
        name: "tcp",
        shows: "one write of 13 bytes, 13 reads of 1 byte",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[server("tcp_server"), client("client", "tcp_client")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, HELLO),
            Expect(1, "Function read call count: 13 "),
            Exits(1, 0),
            Exits(0, 0),
        ],
    },
    Tour {
        name: "echo",
        shows: "the iterative server: client 2 waits until client 1 \
                leaves",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[
            server("echo_server"),
            client("client 1", "echo_client"),
            client("client 2", "echo_client"),
        ],
        steps: &[
            Start(0),
            Start(1),
            Expect(0, "Connected client 1 "),
            Expect(1, "Input message(Q to quit): "),
            Type(1, "hello\n"),
            Expect(1, "Message from server: hello"),
            Start(2),
            Expect(2, "Input message(Q to quit): "),
            Type(2, "anyone there?\n"),
            Silent(2, "Message from server", 500),
            Type(1, "q\n"),
            Exits(1, 0),
            Expect(0, "Connected client 2 "),
            Expect(2, "Message from server: anyone there?"),
            Type(2, "Q\n"),
            Exits(2, 0),
        ],
    },
    Tour {
        name: "echo_client2",
        shows: "a client that reads until it has all it sent",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[server("echo_server"), client("client", "echo_client2")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Input message(Q to quit): "),
            Type(1, "a longer line, read until all of it is back\n"),
            Expect(
                1,
                "Message from server: a longer line, read until all of it \
                 is back",
            ),
            Type(1, "q\n"),
            Exits(1, 0),
            Expect(0, "Connected client 1 "),
        ],
    },
    Tour {
        name: "op",
        shows: "an application protocol: [count][operands][operator]",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[server("op_server"), client("client", "op_client")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Operand count: "),
            Type(1, "3\n"),
            Expect(1, "Operand 1: "),
            Type(1, "12\n"),
            Expect(1, "Operand 2: "),
            Type(1, "24\n"),
            Expect(1, "Operand 3: "),
            Type(1, "36\n"),
            Expect(1, "Operator: "),
            Type(1, "+\n"),
            Expect(1, "Operation result: 72 "),
            Exits(1, 0),
        ],
    },
    Tour {
        name: "uecho",
        shows: "one UDP socket serves every client; sendto assigns the \
                client's address",
        proto: Proto::Udp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[server("uecho_server"), client("client", "uecho_client")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Insert message(q to quit): "),
            Type(1, "hello, UDP\n"),
            Expect(1, "Message from server: hello, UDP"),
            Type(1, "q\n"),
            Exits(1, 0),
        ],
    },
    Tour {
        name: "uecho_con",
        shows: "a connected UDP socket: connect once, then write/read",
        proto: Proto::Udp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[server("uecho_server"), client("client", "uecho_con_client")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Insert message(q to quit): "),
            Type(1, "connected\n"),
            Expect(1, "Message from server: connected"),
            Type(1, "q\n"),
            Exits(1, 0),
        ],
    },
    Tour {
        name: "bound_host",
        shows: "three datagrams stay three, even all queued at once",
        proto: Proto::Udp,
        // The receiver sleeps 5 s before each of its three reads: 0.5 s.
        sleep_scale: Some("0.1"),
        file: None,
        compare: None,
        parts: &[server("bound_host1"), client("sender", "bound_host2")],
        steps: &[
            Start(0),
            Start(1),
            Exits(1, 0),
            Expect(0, "Message 1: Hi! "),
            Expect(0, "Message 2: I'm another UDP host! "),
            Expect(0, "Message 3: Nice to meet you "),
            Exits(0, 0),
        ],
    },
    Tour {
        name: "file",
        shows: "half-close: the server still reads after shutdown(SHUT_WR)",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: Some(("lesson.txt", LESSON_TEXT)),
        compare: Some("receive.dat"),
        parts: &[
            Part {
                tag: "server",
                role: Role::Server,
                bin: "file_server",
                args: &["{port}", "lesson.txt"],
            },
            client("client", "file_client"),
        ],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Received file data"),
            Expect(0, "Message from client: Thank you "),
            Exits(1, 0),
            Exits(0, 0),
        ],
    },
    Tour {
        name: "reuseadr",
        shows: "the server closes first: TIME_WAIT makes its restart fail",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[
            server("reuseadr_eserver"),
            client("client", "echo_client"),
            Part {
                tag: "restart",
                role: Role::Server,
                bin: "reuseadr_eserver",
                args: SERVER_ARGS,
            },
        ],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Input message(Q to quit): "),
            Type(1, "hello\n"),
            Expect(0, "hello"),
            Expect(1, "Message from server: hello"),
            Signal(0, libc::SIGINT), // Ctrl+C: the server closes first
            Killed(0, libc::SIGINT), // (and only then the client)
            Type(1, "q\n"),
            Exits(1, 0),
            Start(2),
            Expect(2, "bind() error"),
            Exits(2, 1),
        ],
    },
    Tour {
        name: "echo_mpserv",
        shows: "one process per client: three clients served at once",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[
            server("echo_mpserv"),
            client("client 1", "echo_mpclient"),
            client("client 2", "echo_mpclient"),
            client("client 3", "echo_mpclient"),
        ],
        steps: &[
            Start(0),
            Start(1),
            Expect(0, "new client connected..."),
            Start(2),
            Expect(0, "new client connected..."),
            Start(3),
            Expect(0, "new client connected..."),
            Type(3, "three\n"),
            Expect(3, "Message from server: three"),
            Type(2, "two\n"),
            Expect(2, "Message from server: two"),
            Type(1, "one\n"),
            Expect(1, "Message from server: one"),
            Type(1, "q\n"),
            Type(2, "q\n"),
            Type(3, "q\n"),
            Exits(1, 0),
            Exits(2, 0),
            Exits(3, 0),
            Expect(0, "client disconnected..."),
            Expect(0, "client disconnected..."),
            Expect(0, "client disconnected..."),
            Expect(0, "removed proc id: "),
            Expect(0, "removed proc id: "),
            Expect(0, "removed proc id: "),
        ],
    },
    // The publisher's answer programs (TCPIP_Answer/Answer1).
    Tour {
        name: "tcp_serv",
        // The C's busy wait is a race: on a loaded machine the one read
        // may come before the last writes, so only the read is expected.
        shows: "four writes of 4, 4, 4, 1 bytes, then one read takes all \
                that has arrived",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[server("tcp_serv"), client("client", "tcp_clnt")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Wait time 99 "),
            Expect(1, "Message from server: "),
            Exits(1, 0),
        ],
    },
    Tour {
        name: "hello_itrserv",
        shows: "the iterative hello server: one client after another",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[
            server("hello_itrserv"),
            client("client 1", "hello_client"),
            client("client 2", "hello_client"),
        ],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, HELLO),
            Exits(1, 0),
            Start(2),
            Expect(2, HELLO),
            Exits(2, 0),
        ],
    },
    Tour {
        name: "sendrecv",
        shows: "length-prefixed messages, three rounds each way",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[server("sendrecv_serv"), client("client", "recvsend_clnt")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Hello client!"),
            Expect(0, "Hello server!"),
            Expect(1, "I'm server."),
            Expect(0, "I'm client."),
            Expect(1, "Nice to meet you."),
            Expect(0, "Nice to meet you too!"),
            Exits(1, 0),
        ],
    },
    Tour {
        name: "file_serv",
        shows: "a file asked for by name, sent until the server closes",
        proto: Proto::Tcp,
        sleep_scale: None,
        file: Some(("lesson.txt", LESSON_TEXT)),
        compare: Some("lesson.txt"),
        parts: &[server("file_serv"), client("client", "file_clnt")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Input file name: "),
            Type(1, "lesson.txt\n"),
            Exits(1, 0),
        ],
    },
    Tour {
        name: "uchat",
        shows: "turn-taking over one UDP socket",
        proto: Proto::Udp,
        sleep_scale: None,
        file: None,
        compare: None,
        parts: &[server("uchat_server"), client("client", "uchat_client")],
        steps: &[
            Start(0),
            Start(1),
            Expect(1, "Insert message(q to quit): "),
            Type(1, "hi server\n"),
            Expect(0, "Message from client: hi server"),
            Expect(0, "Insert message(q to quit): "),
            Type(0, "hi client\n"),
            Expect(1, "Message from server: hi client"),
            Expect(1, "Insert message(q to quit): "),
            Type(1, "q\n"),
            Exits(1, 0),
        ],
    },
];

/// The tour called `name`.
pub fn find(name: &str) -> Option<&'static Tour> {
    TOURS.iter().find(|t| t.name == name)
}

//! gethostbyname: look a host name up and print what the resolver knows:
//! the official name, the address type and every IPv4 address.
//!
//! - Course notes: 3일차, "도메인" (도메인 이름을 이용해서 IP주소 얻어오기,
//!   `struct hostent`)
//! - C original: `ch08/gethostbyname.c`
//! - Man pages: `gethostbyname(3)`, `getaddrinfo(3)`, `hosts(5)`,
//!   `nsswitch.conf(5)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin gethostbyname -- localhost
//! cargo run --bin gethostbyname -- www.naver.com   # needs a DNS server
//! getent ahostsv4 localhost                        # the system's own answer
//! ```
//!
//! For `localhost` it prints (each line ends with a space, as in C):
//!
//! ```text
//! Official name: localhost
//! Address type: AF_INET
//! IP addr 1: 127.0.0.1
//! ```
//!
//! An unknown name prints `gethost... error: ` and the resolver's reason
//! on stderr, and exits 1.
//!
//! # `hostent` and `addrinfo`
//!
//! `gethostbyname` is obsolete (POSIX removed it in 2008); its successor
//! `getaddrinfo(3)`, which the dns-lookup crate wraps, answers with a list
//! of `addrinfo` instead of one `hostent`. The fields map like this:
//!
//! - `h_name` (official name): `ai_canonname` of the first entry, given
//!   when asked with `AI_CANONNAME`
//! - `h_aliases`: nothing: `getaddrinfo` has no alias list
//! - `h_addrtype`: `ai_family` of each entry (`AF_INET` here, since we ask
//!   for it)
//! - `h_length` (4): `ai_addrlen`, the size of the whole `sockaddr_in` (16)
//! - `h_addr_list[i]`: `ai_addr` of the i-th entry, a `sockaddr_in` holding
//!   the address
//!
//! # Differences from the C original
//!
//! - No `Aliases N:` lines: `getaddrinfo` cannot report aliases, so where
//!   the C program finds a name with aliases (`hosts(5)` lines such as
//!   `127.0.0.1 localhost loopback`), the twin prints only the official
//!   name and the addresses.
//! - Only IPv4 addresses, as `gethostbyname` gives them: the twin asks for
//!   `AF_INET`, so a machine whose `localhost` also has `::1` prints the
//!   same lines as the C program.
//! - It asks for `SOCK_STREAM` entries only; without a socket type
//!   `getaddrinfo` lists every address three times (stream, datagram, raw).
//! - The error line adds the resolver's reason after `gethost... error`
//!   (the C program prints no reason: it would have to read `h_errno`).

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use dns_lookup::{AddrInfoHints, getaddrinfo};

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<addr>",
    "gethostbyname: looks a host name up and prints its hostent",
    "cargo run --bin gethostbyname -- localhost",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // C: if(argc!=2) { printf("Usage : %s <addr>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);
    let name = &args[0];

    // ANCHOR: steps
    // C: host=gethostbyname(argv[1]);
    // The resolver reads /etc/hosts, then asks DNS (the order is in
    // /etc/nsswitch.conf). We ask getaddrinfo for what hostent holds:
    // IPv4 only (AF_INET), each address once (SOCK_STREAM), and the
    // official name (AI_CANONNAME).
    let hints = AddrInfoHints {
        flags: libc::AI_CANONNAME,
        address: libc::AF_INET,
        socktype: libc::SOCK_STREAM,
        protocol: 0,
    };
    // C: if(!host) error_handling("gethost... error");
    let host: Vec<_> = getaddrinfo(Some(name.as_str()), None, Some(hints))
        .or_die("gethost... error")
        .collect::<Result<_, _>>()
        .or_die("gethost... error");
    let Some(first) = host.first() else {
        common::error_handling("gethost... error: no address");
    };

    // C: printf("Official name: %s \n", host->h_name);
    let official_name = first.canonname.as_deref().unwrap_or(name);
    println!("Official name: {official_name} ");

    // C: for(i=0; host->h_aliases[i]; i++) printf("Aliases %d: %s \n", ...);
    // getaddrinfo has no h_aliases: there is nothing to print here.

    // C: printf("Address type: %s \n",
    //           (host->h_addrtype==AF_INET)?"AF_INET":"AF_INET6");
    let address_type = if first.address == libc::AF_INET {
        "AF_INET"
    } else {
        "AF_INET6"
    };
    println!("Address type: {address_type} ");

    // C: for(i=0; host->h_addr_list[i]; i++)
    //        printf("IP addr %d: %s \n", i+1,
    //               inet_ntoa(*(struct in_addr*)host->h_addr_list[i]));
    // Each entry carries one address in a sockaddr; ip() is what
    // inet_ntoa prints.
    for (i, entry) in host.iter().enumerate() {
        println!("IP addr {}: {} ", i + 1, entry.sockaddr.ip());
    }
    // ANCHOR_END: steps
}

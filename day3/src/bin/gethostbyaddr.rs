//! gethostbyaddr: the reverse lookup. Give it an IPv4 address and it
//! prints the host's official name, as the C program does.
//!
//! - Course notes: 3일차, "도메인" (IP주소를 이용해서 도메인 정보 얻어오기,
//!   `struct hostent`)
//! - C original: `ch08/gethostbyaddr.c`
//! - Man pages: `gethostbyaddr(3)`, `getnameinfo(3)`, `hosts(5)`
//!
//! # Run it
//!
//! ```sh
//! cargo run --bin gethostbyaddr -- 127.0.0.1
//! cargo run --bin gethostbyaddr -- 8.8.8.8     # needs a DNS server
//! getent hosts 127.0.0.1                       # the system's own answer
//! ```
//!
//! For `127.0.0.1` it prints (each line ends with a space, as in C):
//!
//! ```text
//! Official name: localhost
//! Address type: AF_INET
//! IP addr 1: 127.0.0.1
//! ```
//!
//! An address without a name prints `gethost... error: ` and the
//! resolver's reason on stderr, and exits 1.
//!
//! # `hostent` and `getnameinfo`
//!
//! `gethostbyaddr` is obsolete (POSIX removed it in 2008); its successor
//! `getnameinfo(3)`, which the dns-lookup crate wraps, takes a `sockaddr`
//! and gives back only a name:
//!
//! - `h_name`: the `host` buffer it fills (with `NI_NAMEREQD`: a name, or
//!   an error)
//! - `h_aliases`: nothing: `getnameinfo` has no alias list
//! - `h_addrtype`: `sa_family` of the `sockaddr_in` we pass: `AF_INET`
//! - `h_addr_list`: nothing to fill: `gethostbyaddr` puts the address it
//!   was asked about there, so the twin prints that one address
//!
//! # Differences from the C original
//!
//! - No `Aliases N:` lines: `getnameinfo` cannot report aliases, so where
//!   the C program finds an address with aliases (`hosts(5)` lines such as
//!   `127.0.0.1 localhost loopback`), the twin prints only the official
//!   name.
//! - The address must be dotted decimal (`1.2.3.256` is an error naming
//!   the argument): C's `inet_addr` turns garbage into 255.255.255.255 and
//!   looks that up.
//! - The error line adds the resolver's reason after `gethost... error`
//!   (the C program prints no reason: it would have to read `h_errno`).

use std::net::{SocketAddr, SocketAddrV4};

use common::OrDie;
use common::println; // no panic: a failing stdout is reported
use dns_lookup::getnameinfo;

/// What `--help` prints (not in C): the usage line, the purpose, and
/// how to run it with cargo, its partner first.
const HELP: common::Help = common::Help::new(
    "<IP>",
    "gethostbyaddr: the reverse lookup: from an IPv4 address to a host name",
    "cargo run --bin gethostbyaddr -- 127.0.0.1",
);

fn main() {
    common::answer_help(&HELP); // --help (not in C): how to run it
    common::restore_sigpipe(); // as in C: `| head` ends the program quietly
    // C: if(argc!=2) { printf("Usage : %s <IP>\n", argv[0]); exit(1); }
    let args = common::usage_args(1, HELP.usage);

    // ANCHOR: steps
    // C: memset(&addr, 0, sizeof(addr));
    //    addr.sin_addr.s_addr=inet_addr(argv[1]);
    // The address to look up, in a sockaddr_in (the port does not matter).
    let ip = common::ipv4_arg(&args[0]);
    let addr = SocketAddr::V4(SocketAddrV4::new(ip, 0));

    // C: host=gethostbyaddr((char*)&addr.sin_addr, 4, AF_INET);
    // The resolver reads /etc/hosts, then asks DNS for the PTR record.
    // NI_NAMEREQD: fail when there is no name, as gethostbyaddr returns
    // NULL, instead of handing back the address as text.
    // C: if(!host) error_handling("gethost... error");
    let (official_name, _service) =
        getnameinfo(&addr, libc::NI_NAMEREQD).or_die("gethost... error");

    // C: printf("Official name: %s \n", host->h_name);
    println!("Official name: {official_name} ");

    // C: for(i=0; host->h_aliases[i]; i++) printf("Aliases %d: %s \n", ...);
    // getnameinfo has no h_aliases: there is nothing to print here.

    // C: printf("Address type: %s \n",
    //           (host->h_addrtype==AF_INET)?"AF_INET":"AF_INET6");
    // We asked with an AF_INET address, so the answer is AF_INET.
    let address_type = match addr {
        SocketAddr::V4(_) => "AF_INET",
        SocketAddr::V6(_) => "AF_INET6",
    };
    println!("Address type: {address_type} ");

    // C: for(i=0; host->h_addr_list[i]; i++) printf("IP addr %d: %s \n", ...);
    // gethostbyaddr's h_addr_list holds the one address it was asked about.
    println!("IP addr 1: {ip} ");
    // ANCHOR_END: steps
}

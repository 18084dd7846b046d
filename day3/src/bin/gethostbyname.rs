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
//! The first lines are the C program's, byte for byte (glibc's own
//! `gethostbyname`, each line ending with a space); after a blank line
//! comes the Rust way, getaddrinfo's answer. For `localhost`:
//!
//! ```text
//! Official name: localhost
//! Address type: AF_INET
//! IP addr 1: 127.0.0.1
//!
//! The Rust way (dns_lookup::getaddrinfo: no aliases, RFC 6724 order):
//! Canonical name: localhost
//! IP addr 1: 127.0.0.1
//! ```
//!
//! A name with aliases in `/etc/hosts` (`127.0.0.1 localhost loopback`)
//! adds `Aliases 1: loopback` after the official name. An unknown name
//! prints `gethost... error: ` and the resolver's reason on stderr, and
//! exits 1.
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
//! The order may differ too: for a name with several addresses
//! `getaddrinfo` sorts them by RFC 6724 (on one machine `127.0.0.3` before
//! `127.0.0.5`), where `gethostbyname` keeps the order of `/etc/hosts`.
//!
//! # Differences from the C original
//!
//! - After the C lines come a blank line and "The Rust way" lines, so the
//!   class sees glibc's `hostent` and getaddrinfo's list one above the
//!   other.
//! - The libc crate declares `struct hostent` but not the obsolete
//!   `gethostbyname`, so the twin declares glibc's function itself, as
//!   `<netdb.h>` does; `common::hostent` copies the fields out of glibc's
//!   static buffer.
//! - The error line adds the resolver's reason after `gethost... error`
//!   (glibc's `hstrerror(h_errno)`; the C program prints none).

use std::ffi::{CString, c_char};

use common::OrDie;
use common::hostent::HostEnt;
use common::println; // no panic: a failing stdout is reported
use dns_lookup::{AddrInfoHints, getaddrinfo};

// <netdb.h>: struct hostent *gethostbyname(const char *name);
unsafe extern "C" {
    fn gethostbyname(name: *const c_char) -> *mut libc::hostent;
}

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
    // /etc/nsswitch.conf). A NUL inside the name cannot reach C.
    let c_name = CString::new(name.as_str()).or_die("gethost... error");
    // SAFETY: a NUL-terminated name that outlives the call; the result is
    // copied at once, before any other resolver call.
    let host = unsafe { HostEnt::copy_from(gethostbyname(c_name.as_ptr())) };
    // C: if(!host) error_handling("gethost... error");
    let Some(host) = host else {
        common::error_handling(&format!(
            "gethost... error: {}",
            common::hostent::h_errno_text()
        ))
    };

    // C: printf("Official name: %s \n", host->h_name);
    println!("Official name: {} ", host.name);

    // C: for(i=0; host->h_aliases[i]; i++)
    //        printf("Aliases %d: %s \n", i+1, host->h_aliases[i]);
    for (i, alias) in host.aliases.iter().enumerate() {
        println!("Aliases {}: {alias} ", i + 1);
    }

    // C: printf("Address type: %s \n",
    //           (host->h_addrtype==AF_INET)?"AF_INET":"AF_INET6");
    let address_type = if host.addrtype == libc::AF_INET {
        "AF_INET"
    } else {
        "AF_INET6"
    };
    println!("Address type: {address_type} ");

    // C: for(i=0; host->h_addr_list[i]; i++)
    //        printf("IP addr %d: %s \n", i+1,
    //               inet_ntoa(*(struct in_addr*)host->h_addr_list[i]));
    for (i, addr) in host.addresses.iter().enumerate() {
        println!("IP addr {}: {addr} ", i + 1);
    }
    // ANCHOR_END: steps

    // ANCHOR: rust_way
    // The Rust way: getaddrinfo, asked for what hostent holds: IPv4 only
    // (AF_INET), each address once (SOCK_STREAM), the official name
    // (AI_CANONNAME). It has no aliases, and it sorts the addresses.
    println!(
        "\nThe Rust way (dns_lookup::getaddrinfo: no aliases, RFC 6724 \
         order):"
    );
    let hints = AddrInfoHints {
        flags: libc::AI_CANONNAME,
        address: libc::AF_INET,
        socktype: libc::SOCK_STREAM,
        protocol: 0,
    };
    let entries: Vec<_> = getaddrinfo(Some(name.as_str()), None, Some(hints))
        .or_die("getaddrinfo() error")
        .collect::<Result<_, _>>()
        .or_die("getaddrinfo() error");
    let canonical = entries.first().and_then(|e| e.canonname.as_deref());
    println!("Canonical name: {}", canonical.unwrap_or(name));
    for (i, entry) in entries.iter().enumerate() {
        println!("IP addr {}: {}", i + 1, entry.sockaddr.ip());
    }
    // ANCHOR_END: rust_way
}

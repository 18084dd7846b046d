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
//! The first lines are the C program's, byte for byte (glibc's own
//! `gethostbyaddr`, each line ending with a space); after a blank line
//! comes the Rust way, getnameinfo's answer. For `127.0.0.1`:
//!
//! ```text
//! Official name: localhost
//! Address type: AF_INET
//! IP addr 1: 127.0.0.1
//!
//! The Rust way (dns_lookup::getnameinfo: only a name):
//! Name: localhost
//! ```
//!
//! An address whose `/etc/hosts` line has more names
//! (`127.0.0.1 localhost loopback`) adds `Aliases 1: loopback` after the
//! official name. An address without a name prints `gethost... error: `
//! and the resolver's reason on stderr, and exits 1.
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
//! - `h_addr_list`: nothing to fill: `gethostbyaddr` puts there the
//!   address it was asked about
//!
//! # Differences from the C original
//!
//! - After the C lines come a blank line and "The Rust way" lines, so the
//!   class sees glibc's `hostent` and getnameinfo's name one above the
//!   other.
//! - The libc crate declares `struct hostent` but not the obsolete
//!   `gethostbyaddr`, so the twin declares glibc's function itself, as
//!   `<netdb.h>` does; `common::hostent` copies the fields out of glibc's
//!   static buffer.
//! - The address must be dotted decimal (`1.2.3.256` is an error naming
//!   the argument): C's `inet_addr` turns garbage into 255.255.255.255 and
//!   looks that up.
//! - The error line adds the resolver's reason after `gethost... error`
//!   (glibc's `hstrerror(h_errno)`; the C program prints none).

use std::ffi::{c_int, c_void};
use std::net::{SocketAddr, SocketAddrV4};

use common::OrDie;
use common::hostent::HostEnt;
use common::println; // no panic: a failing stdout is reported
use dns_lookup::getnameinfo;

// <netdb.h>: struct hostent *gethostbyaddr(const void *addr,
//                                           socklen_t len, int type);
unsafe extern "C" {
    fn gethostbyaddr(
        addr: *const c_void,
        len: libc::socklen_t,
        kind: c_int,
    ) -> *mut libc::hostent;
}

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
    // The address to look up: its 4 bytes in network byte order.
    let ip = common::ipv4_arg(&args[0]);
    let sin_addr = ip.octets();

    // C: host=gethostbyaddr((char*)&addr.sin_addr, 4, AF_INET);
    // The resolver reads /etc/hosts, then asks DNS for the PTR record.
    // SAFETY: 4 readable bytes of an AF_INET address, as the call says;
    // the result is copied at once, before any other resolver call.
    let host = unsafe {
        HostEnt::copy_from(gethostbyaddr(
            sin_addr.as_ptr().cast(),
            4,
            libc::AF_INET,
        ))
    };
    // C: if(!host) error_handling("gethost... error");
    let Some(host) = host else {
        let reason = common::hostent::h_errno_text();
        common::error_handling(&format!("gethost... error: {reason}"))
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
    //        printf("IP addr %d: %s \n", i+1, inet_ntoa(...));
    // gethostbyaddr's h_addr_list holds the address it was asked about.
    for (i, addr) in host.addresses.iter().enumerate() {
        println!("IP addr {}: {addr} ", i + 1);
    }
    // ANCHOR_END: steps

    // ANCHOR: rust_way
    // The Rust way: getnameinfo takes a whole sockaddr (the port does not
    // matter) and gives back one name. NI_NAMEREQD: fail when there is no
    // name, instead of handing back the address as text.
    println!("\nThe Rust way (dns_lookup::getnameinfo: only a name):");
    let addr = SocketAddr::V4(SocketAddrV4::new(ip, 0));
    let (name, _service) =
        getnameinfo(&addr, libc::NI_NAMEREQD).or_die("getnameinfo() error");
    println!("Name: {name}");
    // ANCHOR_END: rust_way
}

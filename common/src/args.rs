//! Checked twins of `atoi(argv[1])` and `inet_addr(argv[1])`.
//!
//! In C, `atoi("abc")` is 0 and `htons(atoi("70000"))` silently becomes
//! port 4464; `inet_addr("1.2.3.256")` is `INADDR_NONE`, which is also
//! 255.255.255.255. The twins refuse such input with a message that names
//! the argument and the text.

use std::fmt;
use std::net::Ipv4Addr;

use crate::die::error_handling;

/// A command-line argument that is not what the program needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError {
    /// The argument as the usage line names it: `<port>`, `<IP>`.
    pub name: &'static str,
    /// The text the user gave.
    pub text: String,
    /// What would have been accepted.
    pub expected: &'static str,
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bad {} argument \"{}\": expected {}",
            self.name, self.text, self.expected
        )
    }
}

impl std::error::Error for ArgError {}

/// Parses a port: a decimal number from 0 to 65535.
///
/// Port 0 is accepted, as in C: `bind` then lets the OS choose a free port
/// (the tests use that).
pub fn parse_port(text: &str) -> Result<u16, ArgError> {
    let all_digits =
        !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<u16>() {
        Ok(port) if all_digits => Ok(port),
        _ => Err(ArgError {
            name: "<port>",
            text: text.to_string(),
            expected: "a number from 0 to 65535",
        }),
    }
}

/// Parses an IPv4 address in dotted-decimal form (`127.0.0.1`).
///
/// Stricter than `inet_addr`, which also takes `127.1`, hex and octal
/// (day 2's inet_aton shows the difference).
pub fn parse_ipv4(text: &str) -> Result<Ipv4Addr, ArgError> {
    text.parse::<Ipv4Addr>().map_err(|_| ArgError {
        name: "<IP>",
        text: text.to_string(),
        expected: "a dotted-decimal IPv4 address such as 127.0.0.1",
    })
}

/// C: `htons(atoi(argv[1]))`, but `abc` or `70000` end the program with
/// a clear error instead of meaning another port.
pub fn port_arg(text: &str) -> u16 {
    parse_port(text).unwrap_or_else(|err| error_handling(&err.to_string()))
}

/// C: `inet_addr(argv[1])`, but garbage ends the program with a clear
/// error instead of becoming 255.255.255.255.
pub fn ipv4_arg(text: &str) -> Ipv4Addr {
    parse_ipv4(text).unwrap_or_else(|err| error_handling(&err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_in_range_are_accepted() {
        assert_eq!(parse_port("9190"), Ok(9190));
        assert_eq!(parse_port("0"), Ok(0));
        assert_eq!(parse_port("65535"), Ok(65535));
    }

    #[test]
    fn what_atoi_would_silently_accept_is_refused() {
        for bad in ["abc", "", "70000", "-1", "+80", " 80", "80x", "9190 "] {
            let err = parse_port(bad).expect_err(bad);
            assert_eq!(err.text, bad);
            assert_eq!(
                err.to_string(),
                format!(
                    "bad <port> argument \"{bad}\": \
                     expected a number from 0 to 65535"
                )
            );
        }
    }

    #[test]
    fn dotted_decimal_addresses_are_accepted() {
        assert_eq!(parse_ipv4("127.0.0.1"), Ok(Ipv4Addr::LOCALHOST));
        assert_eq!(parse_ipv4("0.0.0.0"), Ok(Ipv4Addr::UNSPECIFIED));
    }

    #[test]
    fn what_inet_addr_would_mangle_is_refused() {
        for bad in ["1.2.3.256", "127.1", "localhost", "", "1.2.3.4.5"] {
            let err = parse_ipv4(bad).expect_err(bad);
            assert_eq!(err.name, "<IP>");
            assert!(err.to_string().contains(&format!("\"{bad}\"")), "{err}");
        }
    }
}

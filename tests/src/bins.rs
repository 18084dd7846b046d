//! Lists of lesson bins that more than one suite runs.

/// Every lesson bin that prints, writes to no TCP socket and needs no
/// peer, with the arguments it needs (run in a folder holding a
/// `data.txt` for low_read). The closed-stdout and the full-stdout
/// suites both run each of them.
pub const PRINTING_ALONE: &[(&str, &[&str])] = &[
    ("low_open", &[]),
    ("low_read", &[]),
    ("low_flags", &[]),
    ("fd_seri", &[]),
    ("endian_conv", &[]),
    ("ip_class", &["127.0.0.1"]),
    ("port_share", &["0"]),
    ("inet_addr", &[]),
    ("inet_aton", &[]),
    ("inet_ntoa", &[]),
    ("sockaddr_layout", &[]),
    ("gethostbyname", &["localhost"]),
    ("gethostbyaddr", &["127.0.0.1"]),
    ("sock_type", &[]),
    ("get_buf", &[]),
    ("set_buf", &[]),
    ("fork", &[]),
    ("zombie", &[]),
    ("wait", &[]),
    ("waitpid", &[]),
    ("signal", &[]),
    ("sigaction", &[]),
    ("remove_zombie", &[]),
    ("fork_fdnum", &[]),
    ("ctrl_handler", &[]),
];

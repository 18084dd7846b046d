//! glibc's `struct hostent`, read safely: day 3's gethostbyname and
//! gethostbyaddr print its fields the way the C programs do.
//!
//! ```c
//! struct hostent {
//!     char  *h_name;       // the official name
//!     char **h_aliases;    // other names, a NULL-terminated list
//!     int    h_addrtype;   // AF_INET
//!     int    h_length;     // 4: the size of one address
//!     char **h_addr_list;  // the addresses, a NULL-terminated list
//! };
//! ```
//!
//! Both functions return a pointer to one static `hostent` that the next
//! call overwrites, so [`HostEnt::copy_from`] copies every field out at
//! once.

use std::ffi::{CStr, c_char, c_int};
use std::net::Ipv4Addr;

/// The fields of one `struct hostent`, copied out of glibc's buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEnt {
    /// `h_name`: the official name.
    pub name: String,
    /// `h_aliases`: the other names, in the resolver's order.
    pub aliases: Vec<String>,
    /// `h_addrtype`: `AF_INET` for the course's lookups.
    pub addrtype: c_int,
    /// `h_addr_list`: the addresses, in the resolver's order, each read
    /// as C's `inet_ntoa(*(struct in_addr*)h_addr_list[i])` reads it (its
    /// first 4 bytes, in network byte order).
    pub addresses: Vec<Ipv4Addr>,
}

impl HostEnt {
    /// C: `if(!host) ...; host->h_name, host->h_aliases[i], ...`: `None`
    /// for a null pointer (the lookup failed), else a copy of the fields.
    ///
    /// # Safety
    ///
    /// `host` is null, or the value `gethostbyname`/`gethostbyaddr` has
    /// just returned, with no other resolver call since (it would
    /// overwrite the static buffer).
    pub unsafe fn copy_from(host: *const libc::hostent) -> Option<HostEnt> {
        // SAFETY: the caller's contract: null or a valid hostent.
        let host = unsafe { host.as_ref()? };
        // SAFETY: glibc's h_name is a NUL-terminated string.
        let name = unsafe { text(host.h_name) };
        // SAFETY: h_aliases is a NULL-terminated array of C strings.
        let aliases = unsafe { list(host.h_aliases) }
            .into_iter()
            // SAFETY: each entry of h_aliases is a NUL-terminated string.
            .map(|alias| unsafe { text(alias) })
            .collect();
        let addresses = if host.h_length >= 4 {
            // SAFETY: h_addr_list is a NULL-terminated array of pointers
            // to h_length (here at least 4) bytes each.
            unsafe { list(host.h_addr_list) }
                .into_iter()
                // SAFETY: each address has at least 4 readable bytes.
                .map(|addr| Ipv4Addr::from(unsafe { *addr.cast::<[u8; 4]>() }))
                .collect()
        } else {
            Vec::new() // no AF_INET address can be this short
        };
        Some(HostEnt {
            name,
            aliases,
            addrtype: host.h_addrtype,
            addresses,
        })
    }
}

// <netdb.h>: int h_errno;  const char *hstrerror(int err);
// (glibc keeps h_errno per thread, behind __h_errno_location)
unsafe extern "C" {
    fn __h_errno_location() -> *mut c_int;
    fn hstrerror(err: c_int) -> *const c_char;
}

/// Why the last lookup of this thread failed: C's `hstrerror(h_errno)`
/// (`Unknown host`, `Host name lookup failure`, ...).
pub fn h_errno_text() -> String {
    // SAFETY: __h_errno_location returns this thread's h_errno, always a
    // valid pointer; hstrerror returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(hstrerror(*__h_errno_location())) }
        .to_string_lossy()
        .into_owned()
}

/// The entries of a NULL-terminated array of pointers, like `h_aliases`:
/// C's `for(i=0; list[i]; i++)`.
///
/// # Safety
///
/// `list` points to an array of pointers that ends with a null one.
unsafe fn list(list: *mut *mut c_char) -> Vec<*const c_char> {
    let mut entries = Vec::new();
    if list.is_null() {
        return entries;
    }
    for i in 0.. {
        // SAFETY: the caller's contract: every index up to and including
        // the terminating null pointer is inside the array.
        let entry = unsafe { *list.add(i) };
        if entry.is_null() {
            break;
        }
        entries.push(entry.cast_const());
    }
    entries
}

/// A C string as text (a byte that is not UTF-8 shows as U+FFFD).
///
/// # Safety
///
/// `ptr` is a NUL-terminated string.
unsafe fn text(ptr: *const c_char) -> String {
    // SAFETY: the caller's contract.
    unsafe { CStr::from_ptr(ptr) }
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_is_a_failed_lookup() {
        // SAFETY: null is allowed.
        assert_eq!(unsafe { HostEnt::copy_from(std::ptr::null()) }, None);
    }

    #[test]
    fn every_field_is_copied_in_order() {
        let name = c"multi";
        let (m5, m3) = (c"m5", c"m3");
        let mut aliases = [
            m5.as_ptr().cast_mut(),
            m3.as_ptr().cast_mut(),
            std::ptr::null_mut(),
        ];
        let (mut a5, mut a3) = ([127u8, 0, 0, 5], [127u8, 0, 0, 3]);
        let mut addrs = [
            a5.as_mut_ptr().cast::<c_char>(),
            a3.as_mut_ptr().cast::<c_char>(),
            std::ptr::null_mut(),
        ];
        let host = libc::hostent {
            h_name: name.as_ptr().cast_mut(),
            h_aliases: aliases.as_mut_ptr(),
            h_addrtype: libc::AF_INET,
            h_length: 4,
            h_addr_list: addrs.as_mut_ptr(),
        };
        // SAFETY: a hostent whose strings and lists live on this frame.
        let copied = unsafe { HostEnt::copy_from(&host) }.unwrap();
        assert_eq!(copied.name, "multi");
        assert_eq!(copied.aliases, ["m5", "m3"]);
        assert_eq!(copied.addrtype, libc::AF_INET);
        assert_eq!(
            copied.addresses,
            [Ipv4Addr::new(127, 0, 0, 5), Ipv4Addr::new(127, 0, 0, 3)]
        );
    }
}

//! The `fgets` twin: a line from standard input, as bytes.

use std::io::{self, BufRead};

/// C: `fgets(buf, size, stream)`, without the NUL.
///
/// Reads up to `size - 1` bytes, stopping after a newline, and returns
/// them unchanged (a non-UTF-8 byte passes through). A line longer than
/// that stays in the stream for the next call, as with `fgets` (day 3's
/// uecho_client sends such a line as several datagrams).
///
/// Returns `Ok(None)` at end of input when nothing was read: where the C
/// clients would loop forever on the stale buffer, the twins quit.
pub fn fgets(
    reader: &mut impl BufRead,
    size: usize,
) -> io::Result<Option<Vec<u8>>> {
    let limit = size.saturating_sub(1);
    let mut line = Vec::new();
    while line.len() < limit {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            break; // end of input
        }
        let room = limit - line.len();
        let take = &available[..available.len().min(room)];
        let (chunk, found_newline) = match take.iter().position(|&b| b == b'\n')
        {
            Some(at) => (&take[..=at], true),
            None => (take, false),
        };
        line.extend_from_slice(chunk);
        let used = chunk.len();
        reader.consume(used);
        if found_newline {
            break;
        }
    }
    Ok(if line.is_empty() { None } else { Some(line) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn lines(input: &[u8], size: usize) -> Vec<Vec<u8>> {
        let mut reader = Cursor::new(input.to_vec());
        let mut out = Vec::new();
        while let Some(line) = fgets(&mut reader, size).unwrap() {
            out.push(line);
        }
        out
    }

    #[test]
    fn a_line_keeps_its_newline() {
        assert_eq!(
            lines(b"hello\nQ\n", 1024),
            vec![b"hello\n".to_vec(), b"Q\n".to_vec()]
        );
    }

    #[test]
    fn a_long_line_comes_in_pieces_of_size_minus_one() {
        let got = lines(b"0123456789\n", 5);
        assert_eq!(
            got,
            vec![b"0123".to_vec(), b"4567".to_vec(), b"89\n".to_vec()]
        );
    }

    #[test]
    fn last_line_without_newline_is_returned_then_end() {
        assert_eq!(
            lines(b"a\nlast", 30),
            vec![b"a\n".to_vec(), b"last".to_vec()]
        );
    }

    #[test]
    fn non_utf8_bytes_pass_through() {
        assert_eq!(lines(b"\xff\xfe\n", 30), vec![b"\xff\xfe\n".to_vec()]);
    }

    #[test]
    fn end_of_input_is_none() {
        let mut empty = Cursor::new(Vec::new());
        assert_eq!(fgets(&mut empty, 30).unwrap(), None);
    }
}

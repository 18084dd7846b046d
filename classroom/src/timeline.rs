//! The time column the classroom tools share: seconds since the tool
//! started, to the millisecond (`+0.012s`), so lines from several programs
//! and from the kernel line up on one clock.

use std::time::Duration;

/// `+0.012s`, always as wide for the first 10 s (`+9.999s`).
pub fn stamp(since_start: Duration) -> String {
    format!("+{:.3}s", since_start.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_is_seconds_to_the_millisecond() {
        assert_eq!(stamp(Duration::from_micros(12_400)), "+0.012s");
        assert_eq!(stamp(Duration::from_millis(61_250)), "+61.250s");
    }
}

//! The originals' sleeps, and the one knob that scales them.
//!
//! The C programs sleep for real: 30 s in zombie and wait, 15 s in
//! waitpid's child, 5 s in bound_host1, 100 s in signal. That is right in
//! class and too slow for a test suite, so every sleep of the course goes
//! through [`scaled`], which multiplies it by `TCPIP_SLEEP_SCALE`
//! (a number from 0 to [`MAX_SLEEP_SCALE`], default `1`):
//!
//! ```sh
//! TCPIP_SLEEP_SCALE=0.1 cargo run --bin zombie   # 30 s become 3 s
//! ```
//!
//! A program that sleeps checks the knob first thing in `main`
//! ([`check_sleep_scale`]), before it prints or forks: a bad value ends it
//! with one clear line and exit 1, never after half its output, and never
//! in a child whose parent then reports success.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use crate::die::error_handling;

/// The name of the knob, read in this one place.
pub const SLEEP_SCALE_VAR: &str = "TCPIP_SLEEP_SCALE";

/// The largest factor the knob takes: 1000 turns zombie's 30 s into more
/// than 8 hours. Anything larger is a typo, not a wish (and `1e19` would
/// not even fit a `Duration`).
pub const MAX_SLEEP_SCALE: f64 = 1000.0;

/// `TCPIP_SLEEP_SCALE` holds something that is not a number from 0 to
/// [`MAX_SLEEP_SCALE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnobError(pub String);

impl fmt::Display for KnobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bad {SLEEP_SCALE_VAR} \"{}\": expected a number from 0 to \
             {MAX_SLEEP_SCALE} such as 1 or 0.1",
            self.0
        )
    }
}

impl std::error::Error for KnobError {}

/// Parses a value of the knob; `None` (unset) means 1.
pub fn parse_sleep_scale(value: Option<&str>) -> Result<f64, KnobError> {
    let Some(text) = value else {
        return Ok(1.0);
    };
    match text.trim().parse::<f64>() {
        Ok(factor) if (0.0..=MAX_SLEEP_SCALE).contains(&factor) => Ok(factor),
        _ => Err(KnobError(text.to_string())),
    }
}

/// The factor every sleep is multiplied by, from the environment.
pub fn sleep_scale() -> Result<f64, KnobError> {
    match std::env::var(SLEEP_SCALE_VAR) {
        Ok(text) => parse_sleep_scale(Some(&text)),
        Err(std::env::VarError::NotPresent) => parse_sleep_scale(None),
        Err(std::env::VarError::NotUnicode(raw)) => {
            Err(KnobError(raw.to_string_lossy().into_owned()))
        }
    }
}

/// The knob's factor, read and checked once; a bad value ends the
/// program with a clear error and exit 1 (a die-helper).
pub fn check_sleep_scale() -> f64 {
    static FACTOR: OnceLock<f64> = OnceLock::new();
    *FACTOR.get_or_init(|| {
        sleep_scale().unwrap_or_else(|err| error_handling(&err.to_string()))
    })
}

/// `seconds` of the C original times `factor`, or `None` if that is not a
/// time a `Duration` can hold.
pub fn scale_seconds(seconds: u32, factor: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(f64::from(seconds) * factor).ok()
}

/// `seconds` of the C original, scaled by the knob.
///
/// A die-helper: a bad knob ends the program with a clear error and exit 1
/// (call [`check_sleep_scale`] first in `main`, so that happens before any
/// output).
pub fn scaled(seconds: u32) -> Duration {
    scale_seconds(seconds, check_sleep_scale()).unwrap_or_else(|| {
        error_handling(&format!("{SLEEP_SCALE_VAR}: {seconds} s is too long"))
    })
}

/// C: `sleep(seconds)`, scaled by the knob.
///
/// Like C's `sleep`, it is a single `nanosleep(2)` that a caught signal
/// interrupts: it then returns early with the time left unslept (the
/// lesson of day 3's signal programs). `std::thread::sleep` would
/// silently go back to sleep instead.
pub fn sleep(seconds: u32) -> Duration {
    let wanted = scaled(seconds);
    // Checked conversions: a time_t that wrapped negative would make
    // nanosleep fail at once, and the sleep would be silently skipped.
    let Ok(tv_sec) = libc::time_t::try_from(wanted.as_secs()) else {
        error_handling(&format!("{SLEEP_SCALE_VAR}: {seconds} s is too long"))
    };
    let request = libc::timespec {
        tv_sec,
        // Below 10^9: a 64-bit Linux c_long holds any u32.
        tv_nsec: libc::c_long::from(wanted.subsec_nanos()),
    };
    let mut remaining = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: both pointers refer to live, properly aligned timespec values
    // owned by this frame; nanosleep reads the first and writes the second.
    let rc = unsafe { libc::nanosleep(&request, &mut remaining) };
    if rc == 0 {
        Duration::ZERO
    } else {
        // EINTR: a signal handler ran. Anything else cannot happen with a
        // valid request, and would also mean "stopped early".
        // nanosleep wrote a remainder no larger than the request.
        let secs = u64::try_from(remaining.tv_sec).unwrap_or(0);
        let nanos = u32::try_from(remaining.tv_nsec).unwrap_or(0);
        Duration::new(secs, nanos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_knob_means_real_time() {
        assert_eq!(parse_sleep_scale(None), Ok(1.0));
    }

    #[test]
    fn knob_accepts_non_negative_factors() {
        assert_eq!(parse_sleep_scale(Some("0.01")), Ok(0.01));
        assert_eq!(parse_sleep_scale(Some("0")), Ok(0.0));
        assert_eq!(parse_sleep_scale(Some("2")), Ok(2.0));
        assert_eq!(parse_sleep_scale(Some("1000")), Ok(1000.0));
    }

    #[test]
    fn knob_refuses_factors_above_the_bound() {
        for bad in ["1000.5", "5e17", "1e19", "1e300"] {
            assert!(parse_sleep_scale(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_scaled_sleep_of_the_course_fits() {
        // u32::MAX s times the largest factor still fits a Duration and
        // a time_t.
        let longest = scale_seconds(u32::MAX, MAX_SLEEP_SCALE).unwrap();
        assert!(libc::time_t::try_from(longest.as_secs()).is_ok());
        assert_eq!(scale_seconds(30, 0.1), Some(Duration::from_secs(3)));
    }

    #[test]
    fn knob_refuses_what_is_not_a_non_negative_number() {
        for bad in ["", "fast", "-1", "NaN", "inf", "0.5s"] {
            let err = parse_sleep_scale(Some(bad)).expect_err(bad);
            assert!(
                err.to_string().starts_with("bad TCPIP_SLEEP_SCALE"),
                "{err}"
            );
        }
    }

    #[test]
    fn sleep_of_zero_seconds_returns_at_once() {
        let start = std::time::Instant::now();
        assert_eq!(sleep(0), Duration::ZERO);
        assert!(start.elapsed() < Duration::from_millis(500));
    }
}

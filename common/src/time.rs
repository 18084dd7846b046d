//! The originals' sleeps, and the one knob that scales them.
//!
//! The C programs sleep for real: 30 s in zombie and wait, 15 s in
//! waitpid's child, 5 s in bound_host1, 100 s in signal. That is right in
//! class and too slow for a test suite, so every sleep of the course goes
//! through [`scaled`], which multiplies it by `TCPIP_SLEEP_SCALE`
//! (a non-negative number, default `1`):
//!
//! ```sh
//! TCPIP_SLEEP_SCALE=0.01 cargo run --bin zombie   # 30 s become 0.3 s
//! ```

use std::fmt;
use std::time::Duration;

use crate::die::error_handling;

/// The name of the knob, read in this one place.
pub const SLEEP_SCALE_VAR: &str = "TCPIP_SLEEP_SCALE";

/// `TCPIP_SLEEP_SCALE` holds something that is not a non-negative number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnobError(pub String);

impl fmt::Display for KnobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bad {SLEEP_SCALE_VAR} \"{}\": expected a non-negative number such as 1 or 0.01",
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
        Ok(factor) if factor.is_finite() && factor >= 0.0 => Ok(factor),
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

/// `seconds` of the C original, scaled by the knob.
///
/// A die-helper: a bad knob ends the program with a clear error and exit 1.
pub fn scaled(seconds: u32) -> Duration {
    match sleep_scale() {
        Ok(factor) => Duration::from_secs_f64(f64::from(seconds) * factor),
        Err(err) => error_handling(&err.to_string()),
    }
}

/// C: `sleep(seconds)`, scaled by the knob.
///
/// Like C's `sleep`, it is a single `nanosleep(2)` that a caught signal
/// interrupts: it then returns early with the time left unslept (the
/// lesson of day 3's signal programs). `std::thread::sleep` would
/// silently go back to sleep instead.
pub fn sleep(seconds: u32) -> Duration {
    let wanted = scaled(seconds);
    let request = libc::timespec {
        tv_sec: wanted.as_secs() as libc::time_t,
        tv_nsec: wanted.subsec_nanos() as libc::c_long,
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
        Duration::new(remaining.tv_sec as u64, remaining.tv_nsec as u32)
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

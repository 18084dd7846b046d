//! A small seeded random number generator for the classroom tools:
//! the same seed gives the same numbers, so `udp_relay --seed 7` gives
//! the same fates to the same traffic on every run and every machine.
//!
//! It is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom
//! number generators", OOPSLA 2014): a counter advanced by a fixed odd
//! constant, then mixed. Good enough to decide which datagram a lossy
//! network drops; not for cryptography.

/// SplitMix64: 64 bits of state, one addition and a mix per number.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`: the top 53 bits, as many as an `f64` holds.
    pub fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p` (0 never, 1 always).
    pub fn chance(&mut self, p: f64) -> bool {
        self.next_unit() < p
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn matches_the_reference_sequence() {
        // The first outputs of the reference splitmix64.c for seed 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn chance_zero_never_and_one_always() {
        let mut rng = SplitMix64::new(42);
        for _ in 0..1000 {
            assert!(!rng.chance(0.0));
            assert!(rng.chance(1.0));
        }
    }

    #[test]
    fn unit_is_in_range_and_roughly_uniform() {
        let mut rng = SplitMix64::new(7);
        let below_half = (0..10_000).filter(|_| rng.next_unit() < 0.5).count();
        assert!((4_700..5_300).contains(&below_half), "{below_half}");
    }
}

//! The instructor's kit: tools that make visible on a projector what the
//! course notes only claim. They are new software, not twins of C
//! programs, so they use the crates their field expects (`clap`,
//! `etherparse`, `hdrhistogram`, `plotters`, `indicatif`).

pub mod bench_chart;
pub mod capture;
pub mod prng;
pub mod tcp_states;
pub mod timeline;
pub mod tours;

//! Day 1's exercises.

use crate::Exercise;

pub static EXERCISES: &[Exercise] = &[];

//! Day 3's exercises.

use crate::Exercise;

pub static EXERCISES: &[Exercise] = &[];

//! Every line of the bins and of `common` fits 80 columns, the width of a
//! projector and of rustfmt.toml's `max_width`: code, comments, doc text,
//! string literals and quoted C lines alike. rustfmt cannot break a
//! comment or a string, so this check does.
//!
//! Width is what a terminal shows: a Hangul syllable or another East
//! Asian wide character takes 2 columns.

use std::path::{Path, PathBuf};

/// The widest line allowed.
const MAX_COLUMNS: usize = 80;

/// Is `c` shown two columns wide (East Asian Wide or Fullwidth)? The
/// ranges of Unicode's EastAsianWidth.txt that the course can meet.
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F       // Hangul Jamo, leading consonants
        | 0x2E80..=0x303E     // CJK radicals, punctuation
        | 0x3041..=0x33FF     // kana, compatibility
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xA000..=0xA4CF     // Yi
        | 0xA960..=0xA97F     // Hangul Jamo extended A
        | 0xAC00..=0xD7A3     // Hangul syllables
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0xFE30..=0xFE4F     // CJK compatibility forms
        | 0xFF00..=0xFF60     // fullwidth forms
        | 0xFFE0..=0xFFE6     // fullwidth signs
        | 0x1F300..=0x1F64F   // pictographs, emoticons
        | 0x1F900..=0x1F9FF   // supplemental symbols
        | 0x20000..=0x3FFFD) // CJK extensions B and later
}

/// The columns `line` takes on a terminal.
fn display_width(line: &str) -> usize {
    line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Every `.rs` file under `dir`, sorted (none if `dir` does not exist).
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("dir entry").path())
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn display_width_counts_hangul_as_two_columns() {
    assert_eq!(display_width("abc"), 3);
    assert_eq!(display_width("1일차"), 5);
    assert_eq!(display_width("“—”"), 3);
}

#[test]
fn every_line_of_the_bins_and_common_fits_80_columns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let mut files = Vec::new();
    for day in ["day1", "day2", "day3"] {
        rust_files(&root.join(day).join("src"), &mut files);
        rust_files(&root.join(day).join("exercises"), &mut files);
    }
    rust_files(&root.join("common").join("src"), &mut files);
    assert!(files.len() > 40, "found only {} files", files.len());

    let mut too_wide = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read a source");
        for (number, line) in text.lines().enumerate() {
            let width = display_width(line);
            if width > MAX_COLUMNS {
                let name = path.strip_prefix(root).unwrap_or(path);
                too_wide.push(format!(
                    "{}:{}: {width} columns",
                    name.display(),
                    number + 1
                ));
            }
        }
    }
    assert!(
        too_wide.is_empty(),
        "lines wider than {MAX_COLUMNS} columns:\n{}",
        too_wide.join("\n")
    );
}

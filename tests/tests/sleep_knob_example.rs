//! One sleep-knob example everywhere (issue 9, item 12): README, the
//! book's introduction, the zombie page and the code say the same
//! `TCPIP_SLEEP_SCALE=0.1` for zombie, a value that leaves time to run
//! `ps` in a second terminal (30 s become 3 s; 0.01 left 0.3 s).

use std::path::Path;

/// The example, and the files that show it.
const EXAMPLE: &str = "TCPIP_SLEEP_SCALE=0.1";
const FILES: &[&str] = &[
    "README.md",
    "docs/src/README.md",
    "docs/src/day3/zombie.md",
    "common/src/time.rs",
    "day3/src/bin/zombie.rs",
];

/// Every `TCPIP_SLEEP_SCALE=<value>` written in `text`.
fn knob_examples(text: &str) -> Vec<&str> {
    text.match_indices("TCPIP_SLEEP_SCALE=")
        .map(|(at, _)| {
            let rest = &text[at..];
            let end = rest.find([' ', '`', ')', '\n']).unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn every_zombie_example_uses_one_knob_value_that_leaves_time_for_ps() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let factor: f64 = EXAMPLE.split('=').nth(1).unwrap().parse().unwrap();
    assert!(30.0 * factor >= 2.0, "zombie's 30 s must leave time for ps");
    for file in FILES {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let examples = knob_examples(&text);
        assert!(!examples.is_empty(), "{file} shows no example");
        for example in examples {
            assert_eq!(example, EXAMPLE, "in {file}");
        }
    }
}

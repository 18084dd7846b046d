//! `nc` is not on a fresh machine (issue 9, item 13): every page, bin
//! header and README that runs it says how to get it on Debian/Ubuntu and
//! which of the twins' own clients can stand in for it.

use std::path::{Path, PathBuf};

/// Where a student may meet an `nc` command line.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut found = vec![root.join("README.md")];
    let mut dirs = vec![root.join("docs/src")];
    for day in ["day1", "day2", "day3"] {
        dirs.push(root.join(day).join("src/bin"));
    }
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md" || e == "rs") {
                found.push(path);
            }
        }
    }
    found
}

/// Does `text` run nc: a shell line that starts with `nc `?
fn runs_nc(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start_matches("//!").trim_start();
        line.starts_with("nc ")
    })
}

#[test]
fn every_document_that_runs_nc_says_how_to_get_it_or_do_without() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    let mut with_nc = 0;
    for path in documents(root) {
        let text = std::fs::read_to_string(&path).unwrap();
        if !runs_nc(&text) {
            continue;
        }
        with_nc += 1;
        let name = path.strip_prefix(root).unwrap_or(&path).display();
        assert!(
            text.contains("sudo apt install netcat-openbsd"),
            "{name} runs nc but does not say how to install it"
        );
        assert!(
            ["instead", "없이도", "대신"]
                .iter()
                .any(|w| text.contains(w)),
            "{name} runs nc but names no twin client to use instead"
        );
    }
    assert!(with_nc >= 10, "only {with_nc} documents run nc");

    // The README, where a newcomer starts, says it once for all pages.
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("sudo apt install netcat-openbsd"), "README");
    assert!(readme.contains("twins' own clients"), "README");
}

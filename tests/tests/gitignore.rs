//! The files the programs and the book write do not dirty the repository
//! (issue 9, item 11): each is ignored by git wherever it is created.

use std::path::Path;
use std::process::{Command, Stdio};

/// What the programs and the book's builds write, in the folders where a
/// student runs them.
const WRITTEN: &[&str] = &[
    "data.txt",       // low_open, in the workspace folder
    "day1/data.txt",  // ... or in a day's folder
    "flags.txt",      // low_flags
    "day1/flags.txt", //
    "test.dat",       // fd_seri
    "receive.dat",    // file_client
    "day3/receive.dat",
    "docs/book/index.html",    // mdbook build docs
    "docs/book/ko/index.html", // README: mdbook serve docs -d docs/book/ko
    "docs/book/en/index.html", // README: ... -d docs/book/en
    "book/en/index.html",      // mdbook build docs -d book/en, from the root
];

#[test]
fn what_the_programs_and_the_book_write_is_ignored_by_git() {
    if !harness::require_tool("git") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root");
    if !root.join(".git").exists() {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"SKIPPED: not a git checkout, so .gitignore was not checked\n",
        );
        return;
    }
    for path in WRITTEN {
        let ignored = Command::new("git")
            .args(["check-ignore", "--quiet", "--no-index", path])
            .current_dir(root)
            .stdout(Stdio::null())
            .status()
            .expect("run git check-ignore");
        assert!(ignored.success(), "{path} is not ignored by git");
    }
}

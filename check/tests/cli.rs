//! The `check` command's own contract: `--help` shows how to use it, an
//! unknown exercise is a clear error with exit 1, and a named exercise is
//! built and checked (exit 0 on the solution, 1 on the untouched
//! starter).

use harness::run;

const CHECK: &str = env!("CARGO_BIN_EXE_check");

#[test]
fn help_shows_the_three_ways_to_use_it() {
    let out = run(CHECK, &["--help"], b"");
    assert_eq!(out.code(), 0, "{}", out.stderr_text());
    for example in [
        "cargo run --bin check -- echo_client2",
        "cargo run --bin check -- --solution echo_client2",
        "cargo run --bin check -- --list",
    ] {
        assert!(out.stdout_text().contains(example), "{}", out.stdout_text());
    }
}

#[test]
fn an_unknown_exercise_is_an_error_that_points_to_the_list() {
    let out = run(CHECK, &["no_such_exercise"], b"");
    out.assert_clean_failure();
    let stderr = out.stderr_text();
    assert!(
        stderr.contains("unknown exercise: \"no_such_exercise\"")
            && stderr.contains("cargo run --bin check -- --list")
            && stderr.contains("echo_client2"),
        "{stderr}"
    );
    assert_eq!(out.stdout_text(), "");
}

#[test]
fn no_exercise_is_a_usage_error() {
    let out = run(CHECK, &[], b"");
    out.assert_clean_failure();
    assert!(
        out.stderr_text().contains("Usage: check"),
        "{}",
        out.stderr_text()
    );
}

#[test]
fn the_solution_passes_and_the_starter_fails() {
    let out = run(CHECK, &["--solution", "fork_fdnum"], b"");
    assert_eq!(
        out.code(),
        0,
        "{}\n{}",
        out.stdout_text(),
        out.stderr_text()
    );
    assert!(out.stdout_text().contains("2/2 통과 / passed"));
    let out = run(CHECK, &["fork_fdnum"], b"");
    assert_eq!(out.code(), 1, "{}", out.stderr_text());
    assert!(
        out.stdout_text().contains(
            "아직 작성하지 않았습니다 / not written yet: C: pid=fork()"
        ),
        "{}",
        out.stdout_text()
    );
}

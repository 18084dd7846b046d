//! `TCPIP_SLEEP_SCALE` is checked once, first thing, by every program that
//! sleeps (issue 9, item 2): a value it cannot honour ends the program
//! with one clear line and exit 1 before any output or `fork`, where it
//! used to panic (`1e300`, `1e19`), skip the sleep silently (`5e17`
//! wrapped negative in the `time_t` cast) or fail only in a child whose
//! parent then exited 0 (waitpid).

use std::process::Command;

use harness::Program;

/// Every day-3 program that sleeps, with the arguments it needs.
const SLEEPERS: &[(&str, &str, &[&str])] = &[
    ("zombie", env!("CARGO_BIN_EXE_zombie"), &[]),
    ("wait", env!("CARGO_BIN_EXE_wait"), &[]),
    ("waitpid", env!("CARGO_BIN_EXE_waitpid"), &[]),
    ("signal", env!("CARGO_BIN_EXE_signal"), &[]),
    ("sigaction", env!("CARGO_BIN_EXE_sigaction"), &[]),
    ("remove_zombie", env!("CARGO_BIN_EXE_remove_zombie"), &[]),
    ("bound_host1", env!("CARGO_BIN_EXE_bound_host1"), &["0"]),
];

/// Values the knob must refuse: too large for any sleep (above the
/// documented bound of 1000), not a number, negative.
const BAD_VALUES: &[&str] = &[
    "1e300", "1e19", "5e17", "1001", "nan", "-1", "fast", "inf", "",
];

#[test]
fn a_bad_sleep_knob_is_one_line_and_exit_1_before_any_output() {
    for (name, path, args) in SLEEPERS {
        for bad in BAD_VALUES {
            let out = Program::spawn(
                Command::new(path).args(*args).env("TCPIP_SLEEP_SCALE", bad),
            )
            .wait_exit();
            out.assert_clean_failure();
            let expected = format!(
                "bad TCPIP_SLEEP_SCALE \"{bad}\": expected a number from 0 \
                 to 1000 such as 1 or 0.1\n"
            );
            assert_eq!(
                out.stderr_text(),
                expected,
                "{name} with TCPIP_SLEEP_SCALE={bad:?}"
            );
            assert_eq!(
                out.stdout_text(),
                "",
                "{name} with TCPIP_SLEEP_SCALE={bad:?}: no output, no fork"
            );
        }
    }
}

/// The bound itself is honoured: 1000 is accepted (the program starts and
/// prints its first line; the test does not wait hours for the rest).
#[test]
fn the_largest_factor_is_accepted() {
    let mut program = Program::spawn(
        Command::new(env!("CARGO_BIN_EXE_zombie"))
            .env("TCPIP_SLEEP_SCALE", "1000"),
    );
    program.wait_for_stdout("Child Process ID: ");
    assert_eq!(program.stderr_so_far(), b"");
}

//! Every exercise is proven both ways: its claims all hold on the solution,
//! and at least one fails on the untouched starter, so no exercise passes
//! on an empty answer.
//!
//! The bins come from `target/<profile>/`, where `cargo test --workspace`
//! builds every day's bins (starters and solutions included) before it
//! runs a test; `cargo test -p check` alone builds them there first (see
//! `Bins::beside_test`). One test per exercise and way, so they run side
//! by side.

use check::{Bins, Version};

/// Runs `name`'s claims on `version`; the failures, as text.
/// `None` when a tool the claims need is missing (outside CI only: under
/// `CI=true` that fails, see `harness::require_tool`).
fn failures(name: &str, version: Version) -> Option<Vec<String>> {
    let exercise =
        check::find(name).unwrap_or_else(|| panic!("no exercise {name}"));
    if !exercise
        .tools
        .iter()
        .all(|tool| harness::require_tool(tool))
    {
        return None;
    }
    check::run_claims(exercise, version, &Bins::beside_test())
        .into_iter()
        .filter_map(|outcome| {
            let why = outcome.failure?;
            Some(format!("{} / {}: {why}", outcome.says.ko, outcome.says.en))
        })
        .collect::<Vec<_>>()
        .into()
}

fn solution_passes(name: &str) {
    let Some(failed) = failures(name, Version::Solution) else {
        return;
    };
    assert!(
        failed.is_empty(),
        "the solution of {name} fails:\n{}",
        failed.join("\n")
    );
}

fn starter_fails(name: &str) {
    let Some(failed) = failures(name, Version::Starter) else {
        return;
    };
    assert!(!failed.is_empty(), "the untouched starter of {name} passes");
    assert!(
        failed
            .iter()
            .any(|why| why.contains("not written yet: C: ")),
        "no claim of {name}'s starter reached a todo!() naming a C call:\n{}",
        failed.join("\n")
    );
}

/// `both_ways!(mod_name: "exercise", ...)`: two tests per exercise.
macro_rules! both_ways {
    ($($exercise:ident),* $(,)?) => {
        $(
            mod $exercise {
                #[test]
                fn solution_passes_every_claim() {
                    super::solution_passes(stringify!($exercise));
                }

                #[test]
                fn untouched_starter_fails_a_claim() {
                    super::starter_fails(stringify!($exercise));
                }
            }
        )*

        /// The list above is every exercise: none goes unproven.
        #[test]
        fn every_exercise_is_proven() {
            let proven = [$(stringify!($exercise)),*];
            for exercise in check::all() {
                assert!(
                    proven.contains(&exercise.name),
                    "{} has no both-ways test",
                    exercise.name
                );
            }
        }
    };
}

both_ways!(
    hello_server,
    tcp_client,
    low_open,
    low_cpy,
    ansi_cpy,
    tcp_serv,
    tcp_clnt,
    echo_client2,
    op_divide,
    hello_itrserv,
    sendrecv_serv,
    recvsend_clnt,
    file_serv,
    file_clnt,
    uecho_timeout,
    reuseaddr_on,
    reap_all,
    uchat_server,
    uchat_client,
    fork_fdnum,
    ctrl_handler,
);

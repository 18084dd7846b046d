//! check: runs an exercise's lesson claims on your starter (or on the
//! solution) and says, in Korean and English, which hold and why not.
//!
//! ```sh
//! cargo run --bin my_echo_client2 -- 127.0.0.1 9190   # your version
//! cargo run --bin check -- echo_client2               # check it
//! cargo run --bin check -- --solution echo_client2    # the solution
//! cargo run --bin check -- --list                     # every exercise
//! ```
//!
//! It first builds what it runs (`cargo build --bin my_<name> ...`, in the
//! same target directory and profile as itself), then runs each claim's
//! programs on 127.0.0.1 in a temporary directory. Exit status 0 only when
//! every claim holds; 1 otherwise, also for an unknown exercise or a
//! starter that does not compile.

use std::path::Path;
use std::process::ExitCode;

use check::{Bins, Exercise, Outcome, Version};
use clap::Parser;

#[derive(Parser)]
#[command(
    name = "check",
    about = "연습문제 확인 / check an exercise: runs its lesson claims on \
             your starter (dayN/exercises/<name>.rs)",
    after_help = "Examples:\n  \
        cargo run --bin check -- echo_client2\n  \
        cargo run --bin check -- --solution echo_client2\n  \
        cargo run --bin check -- --list"
)]
struct Args {
    /// The exercise, e.g. echo_client2 (see --list)
    #[arg(required_unless_present = "list")]
    exercise: Option<String>,

    /// Run the claims on the solution instead of your starter
    #[arg(long)]
    solution: bool,

    /// One line per exercise: its name, its day, and whether your version
    /// passes (runs every check)
    #[arg(long, conflicts_with_all = ["exercise", "solution"])]
    list: bool,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            // --help and --version are not errors; a bad argument is.
            return if err.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    check::silence_claim_panics();
    let passed = if args.list {
        list()
    } else {
        let name = args.exercise.unwrap_or_default();
        let version = if args.solution {
            Version::Solution
        } else {
            Version::Starter
        };
        check_one(&name, version)
    };
    if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn check_one(name: &str, version: Version) -> bool {
    let Some(exercise) = check::find(name) else {
        eprintln!("알 수 없는 연습문제 / unknown exercise: {name:?}");
        eprintln!(
            "목록 / the list: cargo run --bin check -- --list\n  {}",
            names().join(" ")
        );
        return false;
    };
    let Some(bins) = build(&exercise.bins(version)) else {
        return false;
    };
    println!(
        "{} ({}일차 / day {}): {}",
        exercise.name,
        exercise.day,
        exercise.day,
        exercise.bin(version)
    );
    println!("  {} / {}", exercise.task.ko, exercise.task.en);
    let outcomes = check::run_claims(exercise, version, &bins);
    print_outcomes(&outcomes);
    outcomes.iter().all(|outcome| outcome.failure.is_none())
}

fn print_outcomes(outcomes: &[Outcome]) {
    for outcome in outcomes {
        let mark = match outcome.failure {
            None => "통과 / passed",
            Some(_) => "실패 / FAILED",
        };
        println!("\n  [{mark}] {}", outcome.says.ko);
        println!("                  {}", outcome.says.en);
        if let Some(why) = &outcome.failure {
            let mut lines = why.lines();
            println!("      이유 / why: {}", lines.next().unwrap_or(""));
            for line in lines {
                println!("        {line}");
            }
        }
    }
    let passed = outcomes.iter().filter(|o| o.failure.is_none()).count();
    println!(
        "\n{passed}/{} 통과 / passed{}",
        outcomes.len(),
        if passed == outcomes.len() {
            ""
        } else {
            ": 고쳐서 다시 확인하세요 / fix it and check again"
        }
    );
}

fn names() -> Vec<&'static str> {
    check::all().iter().map(|exercise| exercise.name).collect()
}

/// Checks every exercise's starter, side by side, and prints one line
/// each, in the course's order.
fn list() -> bool {
    let all = check::all();
    let mut wanted: Vec<String> =
        all.iter().flat_map(|e| e.bins(Version::Starter)).collect();
    wanted.sort();
    wanted.dedup();
    let Some(bins) = build(&wanted) else {
        return false;
    };
    let passes: Vec<bool> = std::thread::scope(|scope| {
        let running: Vec<_> = all
            .iter()
            .map(|exercise| {
                let bins = &bins;
                scope.spawn(move || {
                    check::run_claims(exercise, Version::Starter, bins)
                        .iter()
                        .all(|outcome| outcome.failure.is_none())
                })
            })
            .collect();
        running
            .into_iter()
            .map(|thread| thread.join().unwrap_or(false))
            .collect()
    });
    let width = all.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for (exercise, passes) in all.iter().zip(&passes) {
        println!("{}", list_line(exercise, *passes, width));
    }
    passes.iter().all(|&passes| passes)
}

fn list_line(exercise: &Exercise, passes: bool, width: usize) -> String {
    let state = if passes {
        "통과 / passes"
    } else {
        "아직 / not yet"
    };
    format!(
        "{:width$}  {}일차 / day {}  {state:14}  {}",
        exercise.name, exercise.day, exercise.day, exercise.task.en
    )
}

/// Builds `bins` into the target directory and profile this program was
/// built in (`target/debug/check` → `target/debug/`).
fn build(bins: &[String]) -> Option<Bins> {
    let exe = std::env::current_exe().ok();
    let Some(dir) = exe.as_deref().and_then(Path::parent) else {
        eprintln!("check: cannot find the directory of its own executable");
        return None;
    };
    check::build(dir, bins)
}

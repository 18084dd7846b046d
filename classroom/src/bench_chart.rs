//! The charts of `echo_bench plot`: the `--json` lines of several `par`
//! runs become one line per label, throughput (or a latency percentile)
//! against the number of concurrent clients, drawn as SVG with plotters.
//!
//! The SVG backend writes text as `<text>` elements and leaves the font to
//! whoever displays the file, so drawing needs no font file on this
//! machine.

use std::path::Path;

use plotters::prelude::*;
use serde_json::Value;

/// What a chart draws against the number of clients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Metric {
    /// Round trips per second, all clients together
    OpsPerSec,
    /// The median round trip, in microseconds
    P50Us,
    /// The 99th percentile round trip, in microseconds
    P99Us,
    /// The slowest round trip, in microseconds
    MaxUs,
}

impl Metric {
    /// The field of a `--json` line.
    pub fn field(self) -> &'static str {
        match self {
            Metric::OpsPerSec => "ops_per_sec",
            Metric::P50Us => "p50_us",
            Metric::P99Us => "p99_us",
            Metric::MaxUs => "max_us",
        }
    }

    /// The y axis's caption.
    pub fn caption(self) -> &'static str {
        match self {
            Metric::OpsPerSec => "round trips per second (all clients)",
            Metric::P50Us => "median round trip (µs)",
            Metric::P99Us => "99th percentile round trip (µs)",
            Metric::MaxUs => "slowest round trip (µs)",
        }
    }
}

/// One `--json` line of a `par` run, the fields a chart needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub label: String,
    pub clients: u64,
    pub line: Value,
}

/// Reads the `par` runs of a file of `--json` lines (other modes and blank
/// lines are skipped); a line that is not JSON is an error naming it.
pub fn parse_runs(text: &str) -> Result<Vec<Run>, String> {
    let mut runs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line)
            .map_err(|err| format!("line {}: not JSON: {err}", i + 1))?;
        if value["mode"] != "par" {
            continue;
        }
        let label = value["label"].as_str().unwrap_or("(no label)");
        let Some(clients) = value["clients"].as_u64() else {
            return Err(format!("line {}: no \"clients\"", i + 1));
        };
        runs.push(Run {
            label: label.to_owned(),
            clients,
            line: value,
        });
    }
    Ok(runs)
}

/// One line of a chart: a label and its points (clients, value), sorted
/// by clients. Runs repeated for the same label and clients are averaged.
pub type ChartLine = (String, Vec<(f64, f64)>);

/// Groups runs into lines, labels in the order they first appear.
pub fn lines_by_label(runs: &[Run], metric: Metric) -> Vec<ChartLine> {
    // Per label: each number of clients with every value measured there.
    type Samples = Vec<(u64, Vec<f64>)>;
    let mut lines: Vec<(String, Samples)> = Vec::new();
    for run in runs {
        let Some(value) = run.line[metric.field()].as_f64() else {
            continue;
        };
        let at = match lines.iter().position(|(l, _)| *l == run.label) {
            Some(at) => at,
            None => {
                lines.push((run.label.clone(), Vec::new()));
                lines.len() - 1
            }
        };
        let points = &mut lines[at].1;
        match points.iter_mut().find(|(c, _)| *c == run.clients) {
            Some((_, values)) => values.push(value),
            None => points.push((run.clients, vec![value])),
        }
    }
    lines
        .into_iter()
        .map(|(label, mut points)| {
            points.sort_by_key(|&(clients, _)| clients);
            let averaged = points
                .into_iter()
                .map(|(c, v)| {
                    (c as f64, v.iter().sum::<f64>() / v.len() as f64)
                })
                .collect();
            (label, averaged)
        })
        .collect()
}

/// Draws the lines to an SVG file: clients on a logarithmic x axis (1, 2,
/// 5, 10, 20, 50 spread evenly), the metric on y from 0.
pub fn draw_svg(
    path: &Path,
    title: &str,
    metric: Metric,
    lines: &[ChartLine],
) -> Result<(), Box<dyn std::error::Error>> {
    let points = lines.iter().flat_map(|(_, p)| p.iter());
    let max_x = points.clone().map(|p| p.0).fold(1.0, f64::max);
    let max_y = points.map(|p| p.1).fold(0.0, f64::max);

    let root = SVGBackend::new(path, (800, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(80)
        .build_cartesian_2d(
            (1.0..max_x.max(2.0) * 1.15).log_scale(),
            0.0..max_y * 1.15 + 1.0,
        )?;
    chart
        .configure_mesh()
        .x_desc("concurrent clients")
        .y_desc(metric.caption())
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", 14))
        .draw()?;
    for (i, (label, points)) in lines.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                color.stroke_width(3),
            ))?
            .label(label.as_str())
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.filled())
            });
        chart.draw_series(
            points.iter().map(|&p| Circle::new(p, 4, color.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 15))
        .draw()?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUNS: &str = concat!(
        r#"{"mode":"par","label":"a","clients":2,"ops_per_sec":10.0}"#,
        "\n",
        r#"{"mode":"rtt","label":"a","clients":1,"ops_per_sec":99.0}"#,
        "\n\n",
        r#"{"mode":"par","label":"b","clients":1,"ops_per_sec":5.0}"#,
        "\n",
        r#"{"mode":"par","label":"a","clients":1,"ops_per_sec":4.0}"#,
        "\n",
        r#"{"mode":"par","label":"a","clients":1,"ops_per_sec":6.0}"#,
    );

    #[test]
    fn par_runs_become_one_sorted_averaged_line_per_label() {
        let runs = parse_runs(RUNS).expect("parses");
        let lines = lines_by_label(&runs, Metric::OpsPerSec);
        assert_eq!(
            lines,
            [
                ("a".to_owned(), vec![(1.0, 5.0), (2.0, 10.0)]),
                ("b".to_owned(), vec![(1.0, 5.0)]),
            ]
        );
    }

    #[test]
    fn a_line_that_is_not_json_is_named() {
        let err = parse_runs("{}\nnot json").expect_err("refused");
        assert!(err.starts_with("line 2: not JSON"), "{err}");
    }
}

//! The charts of `echo_bench plot`: the `--json` lines of several runs
//! become one line per label, throughput or a latency percentile against
//! the number of concurrent clients (`par` runs) or against the message
//! size (`rtt` runs), drawn as SVG with plotters.
//!
//! The SVG backend writes text as `<text>` elements and leaves the font to
//! whoever displays the file, so drawing needs no font file on this
//! machine.

use std::path::Path;

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use serde_json::Value;

/// What a chart's x axis counts, and so which runs it draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum XAxis {
    /// Concurrent clients, from `par` runs
    Clients,
    /// Message size in bytes, from `rtt` runs
    Size,
}

impl XAxis {
    /// The field of a `--json` line.
    pub fn field(self) -> &'static str {
        match self {
            XAxis::Clients => "clients",
            XAxis::Size => "size",
        }
    }

    /// The runs this axis draws.
    pub fn mode(self) -> &'static str {
        match self {
            XAxis::Clients => "par",
            XAxis::Size => "rtt",
        }
    }

    /// The x axis's caption.
    pub fn caption(self) -> &'static str {
        match self {
            XAxis::Clients => "concurrent clients",
            XAxis::Size => "message size (bytes)",
        }
    }
}

/// What a chart's y axis shows.
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
            Metric::OpsPerSec => "round trips per second, all clients together",
            Metric::P50Us => "median round trip",
            Metric::P99Us => "99th percentile round trip",
            Metric::MaxUs => "slowest round trip",
        }
    }
}

/// One `--json` line of a run, with its label and its x.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub label: String,
    pub x: u64,
    pub line: Value,
}

/// Reads the runs an x axis draws from a file of `--json` lines (other
/// modes and blank lines are skipped); a line that is not JSON is an
/// error naming it.
pub fn parse_runs(text: &str, x: XAxis) -> Result<Vec<Run>, String> {
    let mut runs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line)
            .map_err(|err| format!("line {}: not JSON: {err}", i + 1))?;
        if value["mode"] != x.mode() {
            continue;
        }
        let label = value["label"].as_str().unwrap_or("(no label)");
        let Some(at) = value[x.field()].as_u64() else {
            return Err(format!("line {}: no \"{}\"", i + 1, x.field()));
        };
        runs.push(Run {
            label: label.to_owned(),
            x: at,
            line: value,
        });
    }
    Ok(runs)
}

/// One line of a chart: a label and its points (x, value), sorted by x.
/// Runs repeated for the same label and x count by their median (on a
/// shared machine one run may be slowed down by something else).
pub type ChartLine = (String, Vec<(f64, f64)>);

/// Groups runs into lines, labels in the order they first appear.
pub fn lines_by_label(runs: &[Run], metric: Metric) -> Vec<ChartLine> {
    // Per label: each x with every value measured there.
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
        match points.iter_mut().find(|(x, _)| *x == run.x) {
            Some((_, values)) => values.push(value),
            None => points.push((run.x, vec![value])),
        }
    }
    lines
        .into_iter()
        .map(|(label, mut points)| {
            points.sort_by_key(|&(x, _)| x);
            let medians =
                points.into_iter().map(|(x, v)| (x as f64, median(v)));
            (label, medians.collect())
        })
        .collect()
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Where the legend goes: where the lines leave room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Legend {
    /// Top left corner of the plot
    UpperLeft,
    /// Top right corner
    UpperRight,
    /// Halfway down the right side
    MiddleRight,
    /// Bottom right corner
    LowerRight,
    /// Bottom left corner
    LowerLeft,
}

impl Legend {
    fn position(self) -> SeriesLabelPosition {
        match self {
            Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
            Legend::UpperRight => SeriesLabelPosition::UpperRight,
            Legend::MiddleRight => SeriesLabelPosition::MiddleRight,
            Legend::LowerRight => SeriesLabelPosition::LowerRight,
            Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
        }
    }
}

/// Colours that stay apart on a projector (the "tab10" palette).
const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// A y value as a person reads it: `40 ms` rather than `40000`.
fn y_label(metric: Metric, y: f64) -> String {
    match metric {
        Metric::OpsPerSec if y >= 1000.0 => format!("{:.0}k", y / 1000.0),
        Metric::OpsPerSec => format!("{y:.0}"),
        _ if y >= 1_000_000.0 => format!("{} s", short(y / 1_000_000.0)),
        _ if y >= 1000.0 => format!("{} ms", short(y / 1000.0)),
        _ => format!("{} µs", short(y)),
    }
}

/// `2`, `2.5` or `0.25`: no trailing zeros.
fn short(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// How a chart looks: its title and its axes.
pub struct Chart<'a> {
    pub title: &'a str,
    pub x: XAxis,
    pub y: Metric,
    /// A logarithmic y axis, for values that span powers of ten.
    pub log_y: bool,
    pub legend: Legend,
}

/// Draws the lines to an SVG file: x on a logarithmic axis (1, 2, 5, 10,
/// 20, 50 clients, or 16 to 4096 bytes, spread evenly), y from 0 or
/// logarithmic.
pub fn draw_svg(
    path: &Path,
    chart: &Chart,
    lines: &[ChartLine],
) -> Result<(), String> {
    let points = || lines.iter().flat_map(|(_, p)| p.iter());
    let min_x = points().map(|p| p.0).fold(f64::MAX, f64::min);
    let max_x = points().map(|p| p.0).fold(1.0, f64::max);
    let min_y = points().map(|p| p.1).fold(f64::MAX, f64::min);
    let max_y = points().map(|p| p.1).fold(0.0, f64::max);
    let x_range = (min_x.clamp(1.0, max_x) / 1.2)..(max_x.max(2.0) * 1.2);

    let root = SVGBackend::new(path, (800, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut builder = ChartBuilder::on(&root);
    builder
        .caption(chart.title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(80);
    if chart.log_y {
        let y_range = (min_y.max(0.1) / 2.0)..(max_y.max(1.0) * 2.0);
        let cartesian = builder
            .build_cartesian_2d(x_range.log_scale(), y_range.log_scale())
            .map_err(|e| e.to_string())?;
        draw_lines(cartesian, chart, lines)?;
    } else {
        let y_range: RangedCoordf64 = (0.0..max_y * 1.15 + 1.0).into();
        let cartesian = builder
            .build_cartesian_2d(x_range.log_scale(), y_range)
            .map_err(|e| e.to_string())?;
        draw_lines(cartesian, chart, lines)?;
    }
    root.present().map_err(|e| e.to_string())
}

/// The mesh, one line with dots per label, and the legend.
fn draw_lines<'a, Y>(
    mut cartesian: ChartContext<
        'a,
        SVGBackend<'a>,
        Cartesian2d<LogCoord<f64>, Y>,
    >,
    chart: &Chart,
    lines: &[ChartLine],
) -> Result<(), String>
where
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    cartesian
        .configure_mesh()
        .x_desc(chart.x.caption())
        .y_desc(chart.y.caption())
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| y_label(chart.y, *y))
        .label_style(("sans-serif", 14))
        .bold_line_style(RGBColor(200, 200, 200))
        .light_line_style(RGBColor(240, 240, 240))
        .max_light_lines(4)
        .draw()
        .map_err(|e| e.to_string())?;
    for (i, (label, points)) in lines.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        // Earlier lines are wider, so a line drawn over another one with
        // the same values still shows the one below as a border.
        let width = 3 + 2 * (lines.len() - 1 - i) as u32;
        cartesian
            .draw_series(LineSeries::new(
                points.iter().copied(),
                color.stroke_width(width),
            ))
            .map_err(|e| e.to_string())?
            .label(label.as_str())
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.filled())
            });
        cartesian
            .draw_series(
                points.iter().map(|&p| Circle::new(p, 4, color.filled())),
            )
            .map_err(|e| e.to_string())?;
    }
    cartesian
        .configure_series_labels()
        .position(chart.legend.position())
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 15))
        .draw()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUNS: &str = concat!(
        r#"{"mode":"par","label":"a","clients":2,"ops_per_sec":10.0}"#,
        "\n",
        r#"{"mode":"rtt","label":"a","clients":1,"size":16,"p50_us":9.0}"#,
        "\n\n",
        r#"{"mode":"par","label":"b","clients":1,"ops_per_sec":5.0}"#,
        "\n",
        r#"{"mode":"par","label":"a","clients":1,"ops_per_sec":4.0}"#,
        "\n",
        r#"{"mode":"par","label":"a","clients":1,"ops_per_sec":6.0}"#,
    );

    #[test]
    fn par_runs_become_one_sorted_averaged_line_per_label() {
        let runs = parse_runs(RUNS, XAxis::Clients).expect("parses");
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
    fn rtt_runs_are_drawn_against_their_size() {
        let runs = parse_runs(RUNS, XAxis::Size).expect("parses");
        let lines = lines_by_label(&runs, Metric::P50Us);
        assert_eq!(lines, [("a".to_owned(), vec![(16.0, 9.0)])]);
    }

    #[test]
    fn a_line_that_is_not_json_is_named() {
        let err = parse_runs("{}\nnot json", XAxis::Clients).expect_err("no");
        assert!(err.starts_with("line 2: not JSON"), "{err}");
    }
}

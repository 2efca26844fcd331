//! Server-rendered SVG charts: line and bar charts laid out here, drawn by
//! the `chart` macro in `figures.html`. No script, no client library. The
//! SVG is `role="img"` with an `aria-label` saying what it shows; the
//! numbers themselves are in the table next to every chart.

/// Colours that stay apart for colour-blind readers (Okabe–Ito), dark
/// enough against white; series also differ by dash pattern.
const PALETTE: [&str; 6] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00"];
const DASHES: [&str; 6] = ["", "6 3", "", "6 3", "", "6 3"];

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;

/// One series of values, one per category (`None`: no value there).
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

pub struct GridLine {
    pub y: f64,
    pub label: String,
}

pub struct XLabel {
    pub x: f64,
    pub text: String,
}

pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub color: &'static str,
}

pub struct Line {
    pub points: String,
    pub color: &'static str,
    pub dash: &'static str,
}

pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub color: &'static str,
}

/// A horizontal reference line, e.g. a target.
pub struct Rule {
    pub y: f64,
    pub label: String,
}

pub struct Legend {
    pub name: String,
    pub color: &'static str,
    pub dash: &'static str,
}

pub struct Chart {
    pub id: String,
    /// What the chart shows, for screen readers (`aria-label`).
    pub label: String,
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub grid: Vec<GridLine>,
    pub x_labels: Vec<XLabel>,
    pub bars: Vec<Bar>,
    pub lines: Vec<Line>,
    pub dots: Vec<Dot>,
    pub rules: Vec<Rule>,
    pub legend: Vec<Legend>,
}

fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A round upper bound for counts (1, 2 or 5 × 10ⁿ) and its tick step.
fn nice_max(max: f64) -> (f64, f64) {
    let max = max.max(1.0);
    let magnitude = 10f64.powf(max.log10().floor());
    let top = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|t| *t >= max).unwrap_or(10.0 * magnitude);
    // Four or five steps: 2 in halves, 1, 5 and 10 in fifths.
    let step = if top / magnitude == 2.0 { magnitude / 2.0 } else { top / 5.0 };
    (top, step.max(1.0))
}

impl Chart {
    fn new(id: &str, label: String, categories: &[String], series: &[Series]) -> Chart {
        let n = categories.len().max(1) as f64;
        let band = (WIDTH - LEFT - RIGHT) / n;
        Chart {
            id: id.into(),
            label,
            width: WIDTH,
            height: HEIGHT,
            left: LEFT,
            right: WIDTH - RIGHT,
            top: TOP,
            bottom: HEIGHT - BOTTOM,
            grid: vec![],
            x_labels: categories
                .iter()
                .enumerate()
                .map(|(i, c)| XLabel { x: r1(LEFT + band * (i as f64 + 0.5)), text: c.clone() })
                .collect(),
            bars: vec![],
            lines: vec![],
            dots: vec![],
            rules: vec![],
            legend: series
                .iter()
                .enumerate()
                .map(|(i, s)| Legend { name: s.name.clone(), color: PALETTE[i % 6], dash: DASHES[i % 6] })
                .collect(),
        }
    }

    fn band(&self) -> f64 {
        (self.right - self.left) / self.x_labels.len().max(1) as f64
    }

    fn y_of(&self, v: f64, lo: f64, hi: f64) -> f64 {
        r1(self.bottom - (v - lo) / (hi - lo) * (self.bottom - self.top))
    }

    fn grid(&mut self, lo: f64, hi: f64, step: f64, unit: &str) {
        let mut v = lo;
        while v <= hi + 1e-9 {
            self.grid.push(GridLine { y: self.y_of(v, lo, hi), label: format!("{}{unit}", v.round() as i64) });
            v += step;
        }
    }

    /// Percentages as lines over the categories, from `lo` to 100, with reference `rules` (e.g. targets).
    pub fn percent_lines(
        id: &str,
        label: String,
        categories: &[String],
        series: &[Series],
        rules: &[(f64, String)],
    ) -> Chart {
        let mut c = Chart::new(id, label, categories, series);
        let lowest = series.iter().flat_map(|s| s.values.iter().flatten()).fold(100.0f64, |a, b| a.min(*b));
        let lo = ((lowest.min(90.0) - 1.0) / 5.0).floor().max(0.0) * 5.0;
        let step = if 100.0 - lo <= 20.0 {
            2.0
        } else if 100.0 - lo <= 50.0 {
            5.0
        } else {
            10.0
        };
        c.grid(lo, 100.0, step, " %");
        let band = c.band();
        for (i, s) in series.iter().enumerate() {
            let color = PALETTE[i % 6];
            // A gap (no deliveries) breaks the line.
            let mut run: Vec<String> = vec![];
            for (j, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) => {
                        let (x, y) = (r1(c.left + band * (j as f64 + 0.5)), c.y_of(*v, lo, 100.0));
                        c.dots.push(Dot { x, y, color });
                        run.push(format!("{x},{y}"));
                    }
                    None => c.flush_line(&mut run, i),
                }
            }
            c.flush_line(&mut run, i);
        }
        for (v, text) in rules {
            c.rules.push(Rule { y: c.y_of(*v, lo, 100.0), label: text.clone() });
        }
        c
    }

    /// Measured values as lines over the categories (e.g. times), on an axis
    /// from a round number below the lowest value or rule to one above the
    /// highest, with reference `rules` (e.g. alarm limits) drawn across.
    pub fn value_lines(
        id: &str,
        label: String,
        categories: &[String],
        series: &[Series],
        rules: &[(f64, String)],
    ) -> Chart {
        let mut c = Chart::new(id, label, categories, series);
        let all = series.iter().flat_map(|s| s.values.iter().flatten().copied()).chain(rules.iter().map(|r| r.0));
        let (min, max) = all.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (min, max) = if min > max { (0.0, 1.0) } else { (min, max) };
        let (_, step) = nice_max((max - min).max(1.0));
        let lo = (min / step).floor() * step;
        let hi = (lo + ((max - lo) / step).ceil() * step).max(lo + step);
        c.grid(lo, hi, step, "");
        let band = c.band();
        for (i, s) in series.iter().enumerate() {
            let mut run: Vec<String> = vec![];
            for (j, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) => {
                        let (x, y) = (r1(c.left + band * (j as f64 + 0.5)), c.y_of(*v, lo, hi));
                        c.dots.push(Dot { x, y, color: PALETTE[i % 6] });
                        run.push(format!("{x},{y}"));
                    }
                    None => c.flush_line(&mut run, i),
                }
            }
            c.flush_line(&mut run, i);
        }
        for (v, text) in rules {
            c.rules.push(Rule { y: c.y_of(*v, lo, hi), label: text.clone() });
        }
        c
    }

    fn flush_line(&mut self, run: &mut Vec<String>, series: usize) {
        if run.len() > 1 {
            self.lines.push(Line { points: run.join(" "), color: PALETTE[series % 6], dash: DASHES[series % 6] });
        }
        run.clear();
    }

    /// Bars side by side per category (`stacked`: on top of each other).
    /// `percent`: the axis runs 0–100 %; otherwise from 0 to a round count.
    pub fn bars(
        id: &str,
        label: String,
        categories: &[String],
        series: &[Series],
        stacked: bool,
        percent: bool,
    ) -> Chart {
        let mut c = Chart::new(id, label, categories, series);
        let value = |s: &Series, j: usize| s.values.get(j).copied().flatten().unwrap_or(0.0);
        let max = (0..categories.len())
            .map(|j| {
                if stacked {
                    series.iter().map(|s| value(s, j)).sum::<f64>()
                } else {
                    series.iter().map(|s| value(s, j)).fold(0.0, f64::max)
                }
            })
            .fold(0.0, f64::max);
        let (hi, step) = if percent { (100.0, 20.0) } else { nice_max(max) };
        c.grid(0.0, hi, step, if percent { " %" } else { "" });
        let band = c.band();
        let inner = band * 0.7;
        let width = if stacked || series.is_empty() { inner } else { inner / series.len() as f64 };
        for j in 0..categories.len() {
            let start = c.left + band * j as f64 + (band - inner) / 2.0;
            let mut base = 0.0;
            for (i, s) in series.iter().enumerate() {
                let v = value(s, j);
                if v <= 0.0 {
                    continue;
                }
                let (x, low) = if stacked { (start, base) } else { (start + width * i as f64, 0.0) };
                let (y_top, y_low) = (c.y_of(low + v, 0.0, hi), c.y_of(low, 0.0, hi));
                c.bars.push(Bar {
                    x: r1(x),
                    y: y_top,
                    w: r1(width.max(1.0)),
                    h: r1(y_low - y_top),
                    color: PALETTE[i % 6],
                });
                base += v;
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_maxima_are_1_2_or_5_times_a_power_of_ten() {
        assert_eq!(nice_max(0.0), (1.0, 1.0));
        assert_eq!(nice_max(7.0), (10.0, 2.0));
        assert_eq!(nice_max(130.0), (200.0, 50.0));
        assert_eq!(nice_max(4_100.0), (5_000.0, 1_000.0));
    }

    #[test]
    fn a_missing_month_breaks_the_line_and_values_map_into_the_plot() {
        let cats: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let s = Series { name: "x".into(), values: vec![Some(100.0), Some(95.0), None, Some(99.0)] };
        let c = Chart::percent_lines("c", "l".into(), &cats, &[s], &[(98.0, "mål".into())]);
        assert_eq!(c.lines.len(), 1, "a single point after the gap draws no line");
        assert_eq!(c.dots.len(), 3);
        assert!(c.dots.iter().all(|d| d.y >= c.top && d.y <= c.bottom && d.x >= c.left && d.x <= c.right));
        assert_eq!(c.dots[0].y, c.top, "100 % is the top of the plot");
    }

    #[test]
    fn measured_values_and_their_limits_fit_the_plot() {
        let cats: Vec<String> = ["1", "2", "3"].iter().map(|s| s.to_string()).collect();
        let s = Series { name: "systolic".into(), values: vec![Some(128.0), Some(185.0), Some(140.0)] };
        let c =
            Chart::value_lines("c", "l".into(), &cats, &[s], &[(180.0, "övre gräns".into()), (85.0, "nedre".into())]);
        assert_eq!(c.dots.len(), 3);
        let inside = |y: f64| y >= c.top && y <= c.bottom;
        assert!(c.dots.iter().all(|d| inside(d.y)) && c.rules.iter().all(|r| inside(r.y)));
        assert_eq!(c.rules.len(), 2);
        assert!(c.rules[0].y < c.rules[1].y, "the upper limit is drawn above the lower");
    }

    #[test]
    fn stacked_bars_sit_on_each_other() {
        let cats = vec!["k".to_string()];
        let series = [
            Series { name: "a".into(), values: vec![Some(3.0)] },
            Series { name: "b".into(), values: vec![Some(2.0)] },
        ];
        let c = Chart::bars("c", "l".into(), &cats, &series, true, false);
        assert_eq!(c.bars.len(), 2);
        assert!((c.bars[1].y + c.bars[1].h - c.bars[0].y).abs() < 0.2, "b starts where a ends");
    }
}

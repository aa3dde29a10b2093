//! The result table: rows printed as they are measured, or, for a group run
//! several times on fresh servers, once per row with the median of the runs
//! and their spread (so a figure that moves with what ran before it shows
//! as a wide spread, not as a result).

use serde_json::{Value, json};

/// One row of the result table.
pub(crate) struct Row {
    pub group: &'static str,
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    pub baseline: String,
    pub ratio: Option<f64>,
    pub target: Option<&'static str>,
    /// Of a repeated group: (lowest, highest) value of the runs.
    pub spread: Option<(f64, f64)>,
}

impl Row {
    fn print(&self) {
        let spread = match self.spread {
            Some((low, high)) if self.value != 0.0 => {
                format!("  (runs {low:.2}-{high:.2}, ±{:.0}%)", (high - low) / 2.0 / self.value.abs() * 100.0)
            }
            _ => String::new(),
        };
        println!(
            "{:<8} {:<46} {:>10.2} {:<6} {:>7} vs {}{}{spread}",
            self.group,
            self.name,
            self.value,
            self.unit,
            self.ratio.map_or("-".to_owned(), |r| format!("{r:.2}")),
            self.baseline,
            self.target.map_or(String::new(), |t| format!("  (target {t})"))
        );
    }

    pub(crate) fn json(&self) -> Value {
        json!({"group": self.group, "name": self.name, "value": self.value, "unit": self.unit,
            "baseline": self.baseline, "ratio": self.ratio, "target": self.target,
            "runs": self.spread.map(|(low, high)| json!({"lowest": low, "highest": high}))})
    }
}

#[derive(Default)]
pub(crate) struct Report {
    pub rows: Vec<Row>,
    /// CPU seconds per GiB of the raw AES-256-CTR keystream, once measured.
    pub aes_s_per_gib: Option<f64>,
    /// Rows are kept, not printed, while a repeated group runs.
    quiet: bool,
}

impl Report {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add(
        &mut self,
        group: &'static str,
        name: impl Into<String>,
        value: f64,
        unit: &'static str,
        baseline: impl Into<String>,
        ratio: Option<f64>,
        target: Option<&'static str>,
    ) {
        let row = Row { group, name: name.into(), value, unit, baseline: baseline.into(), ratio, target, spread: None };
        if !self.quiet {
            row.print();
        }
        self.rows.push(row);
    }

    /// An empty report for one run of a repeated group.
    pub(crate) fn for_one_run(&self) -> Self {
        Self { rows: Vec::new(), aes_s_per_gib: self.aes_s_per_gib, quiet: true }
    }

    /// Adds the rows of the runs of one group (each a report from
    /// [`for_one_run`](Self::for_one_run), rows in the same order): each
    /// row's median value and ratio, and the spread of its values.
    pub(crate) fn add_runs(&mut self, runs: Vec<Report>) {
        let Some(first) = runs.first() else { return };
        for (index, row) in first.rows.iter().enumerate() {
            let same: Vec<&Row> =
                runs.iter().filter_map(|run| run.rows.get(index)).filter(|r| r.name == row.name).collect();
            let values: Vec<f64> = same.iter().map(|r| r.value).collect();
            let ratios: Vec<f64> = same.iter().filter_map(|r| r.ratio).collect();
            let merged = Row {
                group: row.group,
                name: row.name.clone(),
                value: median(&values),
                unit: row.unit,
                baseline: row.baseline.clone(),
                ratio: (!ratios.is_empty()).then(|| median(&ratios)),
                target: row.target,
                spread: (values.len() > 1).then(|| {
                    (
                        values.iter().copied().fold(f64::INFINITY, f64::min),
                        values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    )
                }),
            };
            merged.print();
            self.rows.push(merged);
        }
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_runs_give_the_median_and_the_spread() {
        let mut report = Report::default();
        let runs = [3.0, 1.0, 2.0]
            .into_iter()
            .map(|value| {
                let mut run = report.for_one_run();
                run.add("g", "row", value, "MB/s", "base", Some(value / 2.0), None);
                run
            })
            .collect();
        report.add_runs(runs);
        let row = &report.rows[0];
        assert_eq!((row.value, row.ratio, row.spread), (2.0, Some(1.0), Some((1.0, 3.0))));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }
}

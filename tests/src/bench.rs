//! The small measuring kit the benchmarks share (`harness = false`, no benchmarking dependency):
//! per-iteration samples summarised as median, min and max, and human-readable durations.

/// Median, minimum and maximum of per-iteration samples, in nanoseconds.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    /// The middle sample.
    pub median: f64,
    /// The fastest sample.
    pub min: f64,
    /// The slowest sample.
    pub max: f64,
}

/// Summarises samples (nanoseconds per iteration); all zero for no samples.
pub fn summarize(mut samples: Vec<f64>) -> Summary {
    samples.sort_by(f64::total_cmp);
    let at = |i: usize| samples.get(i).copied().unwrap_or(0.0);
    Summary {
        median: at(samples.len() / 2),
        min: at(0),
        max: at(samples.len().saturating_sub(1)),
    }
}

/// `412 ns`, `5.72 µs`, `2.72 ms`.
pub fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

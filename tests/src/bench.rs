//! The small measuring kit the benchmarks share (`harness = false`, no benchmarking dependency):
//! per-iteration samples summarised as median, min and max, human-readable durations, and
//! batch timing (size a batch to about 10 ms, then time batches of it).

use std::time::{Duration, Instant};

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

/// Warms `f` up and returns how many calls take about 10 ms (a power of two, at least 1).
pub fn batch_size(f: &mut impl FnMut()) -> u64 {
    let mut batch: u64 = 1;
    loop {
        let start = Instant::now();
        for _ in 0..batch {
            f();
        }
        if start.elapsed() >= Duration::from_millis(10) || batch >= 1 << 30 {
            return batch;
        }
        batch *= 2;
    }
}

/// Runs `f` `batch` times and returns the nanoseconds per call.
pub fn time_batch(batch: u64, f: &mut impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..batch {
        f();
    }
    start.elapsed().as_nanos() as f64 / batch as f64
}

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

fn print(name: &str, summary: Summary, samples: usize, batch: u64) {
    let Summary { median, min, max } = summary;
    println!(
        "{name:<44} median {:>12} per iter (min {}, max {}, {samples} samples of {batch})",
        human(median),
        human(min),
        human(max),
    );
}

/// Times `f` in batches of about 10 ms for about `target` and prints median, min and max per
/// iteration.
pub fn bench(name: &str, target: Duration, mut f: impl FnMut()) {
    let batch = batch_size(&mut f);
    let mut samples = Vec::new();
    let started = Instant::now();
    while started.elapsed() < target || samples.len() < 10 {
        samples.push(time_batch(batch, &mut f));
    }
    let len = samples.len();
    print(name, summarize(samples), len, batch);
}

/// Times `a` and `b` in alternating batches for about `target`, so that a change in the
/// machine's load hits both alike; prints both, and as `ratio_name` the median of the
/// per-pair ratios a/b with its spread and the overhead of `a` per call. Returns that median.
pub fn compare(
    (name_a, mut a): (&str, impl FnMut()),
    (name_b, mut b): (&str, impl FnMut()),
    ratio_name: &str,
    target: Duration,
) -> f64 {
    let batch_a = batch_size(&mut a);
    let batch_b = batch_size(&mut b);
    let (mut samples_a, mut samples_b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let started = Instant::now();
    while started.elapsed() < target || ratios.len() < 10 {
        let ta = time_batch(batch_a, &mut a);
        let tb = time_batch(batch_b, &mut b);
        samples_a.push(ta);
        samples_b.push(tb);
        ratios.push(ta / tb);
    }
    let pairs = ratios.len();
    let (a, b) = (summarize(samples_a), summarize(samples_b));
    print(name_a, a, pairs, batch_a);
    print(name_b, b, pairs, batch_b);
    let ratio = summarize(ratios);
    println!(
        "{ratio_name:<44} median {:>10.3}× (min {:.3}×, max {:.3}×, {pairs} pairs); overhead {} per call",
        ratio.median,
        ratio.min,
        ratio.max,
        human(a.median - b.median),
    );
    ratio.median
}

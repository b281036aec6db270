//! Requests checked by an independent validator: every operation, sent through the blocking
//! client with (a) only its required inputs and (b) every optional input set, to Prism
//! (`@stoplight/prism-cli`, mock mode, 127.0.0.1). Any request violation Prism reports in its
//! `sl-violations` header fails the test. Prism's warnings (severity `Warning`: the use of a
//! parameter the spec marks deprecated, which the all-optional requests do on purpose) and its
//! complaints about its own mock responses are not request violations and are not counted. Prism is installed from `tests/prism/package.json`
//! (`npm ci`) when it is missing, and started here.

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clerk_backend_core::{Config, RetryPolicy};
use clerk_backend_tests::generated::conformance::{Build, CASES};
use serde_json::Value;

struct Prism {
    child: Child,
    port: u16,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn start_prism() -> Prism {
    let dir = root().join("tests/prism");
    let bin = dir.join("node_modules/.bin/prism");
    if !bin.exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .expect("npm is needed to install Prism (tests/prism)");
        assert!(status.success(), "npm ci in tests/prism failed");
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let log = std::fs::File::create(std::env::temp_dir().join(format!("prism-{port}.log")))
        .expect("log file");
    let child = Command::new(&bin)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(root().join(clerk_backend_tests::generated::spec::SPEC_PATH))
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .expect("start Prism");
    let prism = Prism { child, port };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "Prism did not start listening"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    prism
}

/// The request violations Prism reports for one request (response violations are Prism's own
/// mock data disagreeing with the spec, not ours).
fn violations(client: &clerk_backend_ureq::Client, build: Build) -> Result<Vec<String>, String> {
    let request = build(client.config()).map_err(|e| format!("request not built: {e}"))?;
    let response = client
        .execute(request)
        .map_err(|e| format!("not sent: {e}"))?;
    let Some(header) = response.headers().get("sl-violations") else {
        return Ok(Vec::new());
    };
    let text = String::from_utf8_lossy(header.as_bytes());
    Ok(request_errors(&text))
}

/// The request entries of severity `Error` in an `sl-violations` header. Prism truncates a long
/// list (`Too many violations! [...` cut short), so entries are read one by one.
fn request_errors(header: &str) -> Vec<String> {
    let mut found = Vec::new();
    for chunk in header.split("{\"location\":").skip(1) {
        let entry = format!(
            "{{\"location\":{}",
            chunk.trim_end().trim_end_matches(',').trim_end_matches(']')
        );
        match serde_json::from_str::<Value>(&entry) {
            Ok(v) if v["location"][0] == "request" && v["severity"] == "Error" => {
                found.push(format!(
                    "{} ({})",
                    v["message"].as_str().unwrap_or(""),
                    v["location"]
                ));
            }
            Ok(_) => {}
            // A cut-off last entry: only a request entry matters, and those come first.
            Err(_) if chunk.starts_with("[\"request\"") && chunk.contains("\"Error\"") => {
                found.push(format!("unreadable request violation: {chunk}"));
            }
            Err(_) => {}
        }
    }
    found
}

#[test]
fn violation_headers_are_read_even_when_truncated() {
    let full = r#"[{"location":["request","query","limit"],"severity":"Error","code":"type","message":"limit must be integer"},{"location":["response","body"],"severity":"Error","code":"x","message":"m"}]"#;
    assert_eq!(request_errors(full).len(), 1);
    let warning = r#"[{"location":["request","query","x"],"severity":"Warning","code":"deprecated","message":"deprecated"}]"#;
    assert!(request_errors(warning).is_empty());
    let cut = r#"Too many violations! [{"location":["request","body","a"],"severity":"Error","code":"type","message":"a"},{"location":["response","body","0"],"sev"#;
    assert_eq!(request_errors(cut).len(), 1);
}

#[test]
fn every_operation_passes_prism_request_validation() {
    let prism = start_prism();
    // Both keys, so that `createM2MToken` (machine key only) is built and sent too.
    let config = Config::new("sk_test_conformance")
        .and_then(|c| c.with_machine_secret_key("ak_conformance"))
        .and_then(|c| c.with_api_root(&format!("http://127.0.0.1:{}", prism.port)))
        .expect("config");
    let client = clerk_backend_ureq::Client::builder(config)
        .retry_policy(RetryPolicy::never())
        .build();

    let mut per_tag: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in CASES {
        let entry = per_tag.entry(case.tag).or_default();
        entry.0 += 1;
        for (label, build, count) in [
            ("required-only", case.minimal, &mut entry.1),
            ("all-optional", case.full, &mut entry.2),
        ] {
            match violations(&client, build) {
                Ok(v) if v.is_empty() => *count += 1,
                Ok(v) => failures.push(format!("{} {label}: {}", case.id, v.join("; "))),
                Err(e) => failures.push(format!("{} {label}: {e}", case.id)),
            }
        }
    }
    println!(
        "Prism request validation, per tag (operations: required-only clean / all-optional clean):"
    );
    let (mut ops, mut min, mut full) = (0, 0, 0);
    for (tag, (n, a, b)) in &per_tag {
        println!("  {tag:<28} {n:>3}: {a:>3} / {b:>3}");
        ops += n;
        min += a;
        full += b;
    }
    println!("  {:<28} {ops:>3}: {min:>3} / {full:>3}", "all");
    assert_eq!(ops, 249);
    assert!(
        failures.is_empty(),
        "{} request(s) with violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

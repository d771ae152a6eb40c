//! Times extraction of one text file with the gazetteer of a data folder:
//! what `bench/extract.sh` runs on its generated 1 MB text.
//!
//! ```text
//! cargo run --release -p coopgraph-extract --example speed -- FILE [--data data] [--runs 5]
//! ```
//!
//! Prints the text's size, the time to build the extractor, the best and
//! median wall time of the runs, MB/s (from the median), the CPU time of
//! the best run (Linux; on a shared machine the wall time also counts the
//! waits for a core) and the candidates found.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use coopgraph_extract::{ExtractOptions, Extractor};

const USAGE: &str = "usage: speed FILE [--data DIR] [--runs N]\n";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "speed: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (mut data, mut file, mut runs) = (PathBuf::from("data"), None, 5usize);
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--data") => data = args.next().map(PathBuf::from).ok_or(USAGE)?,
            Some("--runs") => runs = args.next().and_then(|n| n.to_str()?.parse().ok()).ok_or(USAGE)?,
            Some(s) if !s.starts_with('-') && file.is_none() => file = Some(PathBuf::from(s)),
            _ => return Err(USAGE.into()),
        }
    }
    let file = file.ok_or(USAGE)?;
    let text = std::fs::read_to_string(&file)?;
    let dataset = coopgraph_load::load_dir(&data)?;
    let started = Instant::now();
    let extractor = Extractor::new(&dataset);
    let setup = started.elapsed();
    let options = ExtractOptions { source: "999".into(), ..ExtractOptions::default() };
    let mut times: Vec<Duration> = Vec::new();
    let mut cpu: Option<f64> = None;
    let mut candidates = 0;
    for _ in 0..runs.max(1) {
        let (started, cpu_started) = (Instant::now(), cpu_seconds());
        let extraction = extractor.extract(&text, &options);
        times.push(started.elapsed());
        if let (Some(a), Some(b)) = (cpu_started, cpu_seconds()) {
            cpu = Some(cpu.map_or(b - a, |c: f64| c.min(b - a)));
        }
        candidates = extraction.candidates.len();
    }
    times.sort();
    let best = times.first().copied().unwrap_or_default();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let mb = text.len() as f64 / 1_000_000.0;
    let line = format!(
        "{:.2} MB ({} paragraphs), extractor built in {:.3} s; extract: best {:.3} s, median {:.3} s of {} runs, {:.2} MB/s, CPU {}; {} candidates\n",
        mb,
        text.lines().filter(|l| !l.trim().is_empty()).count(),
        setup.as_secs_f64(),
        best.as_secs_f64(),
        median.as_secs_f64(),
        times.len(),
        mb / median.as_secs_f64().max(1e-9),
        cpu.map_or_else(|| "unknown".to_owned(), |c| format!("{c:.2} s")),
        candidates
    );
    std::io::stdout().lock().write_all(line.as_bytes())?;
    Ok(())
}

/// User and system CPU time of this process so far, from `/proc/self/stat`
/// (in clock ticks of 1/100 s); `None` off Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

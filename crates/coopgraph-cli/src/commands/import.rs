//! `coopgraph import DIR -o FILE.nt`: streaming CSV to N-Triples.

use std::io::{BufWriter, IsTerminal};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use coopgraph_load::Diagnostics;
use coopgraph_load::stream::{stream_entities, stream_relations};
use coopgraph_rdf::stream::NTriplesStream;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Cli, ImportArgs};
use crate::output::{Failure, GOOD};

fn bar(cli: &Cli, bytes: u64, what: &str) -> ProgressBar {
    if cli.quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(bytes);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:10} {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}")
    {
        bar.set_style(style);
    }
    bar.set_message(what.to_owned());
    bar
}

pub fn run(cli: &Cli, args: &ImportArgs) -> Result<ExitCode, Failure> {
    let ns = super::namespaces(cli)?;
    let started = Instant::now();
    let entities = args.dir.join("entities.csv");
    let relations = args.dir.join("relations.csv");
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let parent = match args.output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = args.output.file_name().map_or_else(|| "import.nt".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let mut out = NTriplesStream::new(BufWriter::with_capacity(1 << 20, file), &ns);
    let mut d = Diagnostics::with_cap(cli.max_errors);

    let result = (|| -> std::io::Result<()> {
        let b = bar(cli, size(&entities), "entities");
        let ids = stream_entities(&entities, &mut d, &mut |p| b.set_position(p), |row| {
            out.entity(row.id, row.kind, row.label_en, row.label_zh, row.wikidata)
        })?;
        b.finish_and_clear();
        let b = bar(cli, size(&relations), "relations");
        stream_relations(&relations, &ids, &mut d, &mut |p| b.set_position(p), |row| {
            out.relation(row.subject, row.relation_type, row.object)
        })?;
        b.finish_and_clear();
        Ok(())
    })();
    let triples = out.triples();
    let finished = result.and_then(|()| out.finish().map(drop));
    if let Err(e) = finished {
        let _ = std::fs::remove_file(&tmp);
        return Err(Failure::Run(anyhow::Error::from(e).context(format!("cannot write {}", args.output.display()))));
    }
    if !d.is_empty() {
        let _ = std::fs::remove_file(&tmp);
        return Err(Failure::Data(d));
    }
    std::fs::rename(&tmp, &args.output)
        .with_context(|| format!("cannot move the output into {}", args.output.display()))?;
    let elapsed = started.elapsed().as_secs_f64();
    if !cli.quiet {
        anstream::eprintln!("{GOOD}imported{GOOD:#} {} into {}", args.dir.display(), args.output.display());
    }
    // Machine-readable figures, as the benchmark harness reads them.
    anstream::println!("triples={triples}");
    anstream::println!("elapsed_s={elapsed:.3}");
    Ok(ExitCode::SUCCESS)
}

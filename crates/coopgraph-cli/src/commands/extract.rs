//! `coopgraph extract`: glue over `coopgraph_extract`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use coopgraph_extract::{ExtractOptions, Extractor, Fact, draft, evaluate};
use coopgraph_model::PartialDate;

use crate::cli::{Cli, ExtractArgs};
use crate::output::{Failure, Progress, write_file_atomically};

pub fn run(cli: &Cli, args: &ExtractArgs) -> Result<ExitCode, Failure> {
    let progress = Progress::start(cli.quiet || args.json);
    let dataset = super::load(cli, &progress)?;
    progress.finish();
    if args.evaluate {
        return run_evaluation(&dataset, args);
    }
    let (Some(file), Some(source)) = (&args.file, &args.source) else {
        return Err(Failure::Usage("extract needs FILE and --source ID (or --evaluate)".into()));
    };
    if !coopgraph_model::SourceId::is_valid(source) {
        return Err(Failure::Usage(format!("malformed source id {source:?}: expected a slug such as \"005\"")));
    }
    let date = match &args.date {
        Some(d) => Some(d.parse::<PartialDate>().map_err(|e| Failure::Usage(format!("--date {d:?}: {e}")))?),
        None => None,
    };
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| Failure::Usage(format!("{} is not UTF-8 text", file.display())))?;
    let mut extraction = Extractor::new(&dataset)
        .extract(&text, &ExtractOptions { source: source.clone(), date, read_as: args.read_as.clone() });
    if let Some(path) = &args.draft {
        let old = std::fs::read_to_string(path).with_context(|| format!("cannot read the draft {}", path.display()))?;
        let decisions = draft::decisions(&old).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
        draft::apply_decisions(&mut extraction, &decisions);
    }
    if let Some(path) = &args.output {
        let toml = draft::draft_toml(&extraction, Some(&file.display().to_string()));
        write_file_atomically(path, toml.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let out = if args.json {
        draft::json_lines(&extraction)
    } else if args.output.is_some() {
        if cli.quiet { String::new() } else { summary_line(&extraction, args) }
    } else {
        text_lines(&extraction)
    };
    let mut stdout = anstream::stdout().lock();
    stdout.write_all(out.as_bytes()).context("cannot write the output")?;
    Ok(ExitCode::SUCCESS)
}

fn summary_line(extraction: &coopgraph_extract::Extraction, args: &ExtractArgs) -> String {
    let pending = extraction.candidates.iter().filter(|c| c.status == coopgraph_extract::Status::Pending).count();
    format!(
        "wrote {} candidates ({pending} pending) to {}\n",
        extraction.candidates.len(),
        args.output.as_ref().map_or_else(String::new, |p| p.display().to_string())
    )
}

/// One line per candidate.
fn text_lines(extraction: &coopgraph_extract::Extraction) -> String {
    let mut out = String::new();
    for c in &extraction.candidates {
        let what = match &c.fact {
            Fact::Source { paragraphs, languages, defects, injected, .. } => format!(
                "{paragraphs} paragraphs, {}; {} defects; injected: {}",
                languages.join("+"),
                defects.len(),
                injected.iter().map(|i| i.token.as_str()).collect::<Vec<_>>().join(", ")
            ),
            Fact::Entity { id, alternatives, .. } if alternatives.is_empty() => id.clone(),
            Fact::Entity { id, alternatives, .. } => format!("{id} (or {})", alternatives.join(", ")),
            Fact::NewEntity { proposed_id, entity_kind, category, .. } => {
                format!("new {entity_kind}/{category} {proposed_id}")
            }
            Fact::Figure { subject, measure, value_text, unit, comparator, .. } => format!(
                "{} {} = {}{value_text} {unit}",
                subject.as_deref().unwrap_or("?"),
                measure.as_deref().unwrap_or("?"),
                comparator.map(|c| format!("{c} ")).unwrap_or_default()
            ),
            Fact::Date { date, .. } => date.clone(),
            Fact::Relation { subject, predicate, object, role, .. } => {
                format!("{subject} {predicate} {object}{}", role.map(|r| format!(" ({r})")).unwrap_or_default())
            }
        };
        let _ = writeln!(
            out,
            "{:>4} {:<10} {:<8} {:.2} {} [{},{}) {} {what}",
            c.candidate,
            c.fact.kind_name(),
            c.status.name(),
            c.score,
            c.citation(&extraction.source),
            c.span.0,
            c.span.1,
            draft::quote(&c.text)
        );
    }
    out
}

fn run_evaluation(dataset: &coopgraph_model::Dataset, args: &ExtractArgs) -> Result<ExitCode, Failure> {
    let Some(dir) = &args.documents else { return Err(Failure::Usage("--evaluate needs --documents DIR".into())) };
    let documents = evaluate::documents_in(dataset, dir).map_err(anyhow::Error::from)?;
    let evaluation = evaluate::Evaluation::run(dataset, &documents);
    let out = if args.json { evaluation.json_lines() } else { evaluation.text() };
    let mut stdout = anstream::stdout().lock();
    stdout.write_all(out.as_bytes()).context("cannot write the output")?;
    Ok(ExitCode::SUCCESS)
}

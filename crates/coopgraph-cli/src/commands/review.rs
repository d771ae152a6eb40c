//! `coopgraph review`: glue over `coopgraph_extract::review`. Decisions
//! are saved in the draft after each one, and accepted records written
//! into the data files at once, each through a temporary file renamed into
//! place: an interrupted review loses no decision and leaves no file
//! half-written.

use std::collections::BTreeMap;
use std::io::BufRead as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use coopgraph_extract::Status;
use coopgraph_extract::review::{Entry, Outcome, Review};

use crate::cli::{Cli, ReviewArgs};
use crate::output::{Failure, HEADING, write_file_atomically};

/// Reads every `*.toml` data file of `dir` (name -> text).
fn read_data(dir: &Path) -> Result<BTreeMap<String, String>, Failure> {
    let mut files = BTreeMap::new();
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read the data folder {}", dir.display()))?;
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") && e.file_type().is_ok_and(|t| t.is_file()) {
            let text =
                std::fs::read_to_string(e.path()).with_context(|| format!("cannot read {}", e.path().display()))?;
            files.insert(name, text);
        }
    }
    Ok(files)
}

/// Applies the accepted decisions, writes the changed data files, then the
/// draft; prints what became of each record.
fn apply_and_save(
    review: &mut Review,
    cli: &Cli,
    draft: &Path,
    out: &mut impl std::io::Write,
) -> Result<usize, Failure> {
    let mut files = read_data(&cli.data)?;
    let before = files.clone();
    let outcomes = review.apply(&mut files);
    for (name, text) in &files {
        if before.get(name) != Some(text) {
            let path = cli.data.join(name);
            write_file_atomically(&path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    write_file_atomically(draft, review.draft_text().as_bytes())
        .with_context(|| format!("cannot write {}", draft.display()))?;
    let mut invalid = 0;
    for (n, o) in outcomes {
        let line = match o {
            Outcome::Added(f) => format!("{n}: added to {f}"),
            Outcome::Merged(f) => format!("{n}: citation merged in {f}"),
            Outcome::Nothing => format!("{n}: nothing to write (a date goes with the facts of its sentence)"),
            Outcome::Invalid(why) => {
                invalid += 1;
                format!("{n}: not written, it would not validate:\n    {}", why.join("\n    "))
            }
        };
        writeln!(out, "{line}").context("cannot write the output")?;
    }
    Ok(invalid)
}

fn parse_numbers(list: &[String], review: &Review) -> Result<Vec<i64>, Failure> {
    let mut out = Vec::new();
    for item in list {
        if item == "all" {
            out.extend(review.entries().iter().filter(|e| e.status == Status::Pending).map(|e| e.number));
            continue;
        }
        let n: i64 = item.trim().parse().map_err(|_| Failure::Usage(format!("{item:?} is not a candidate number")))?;
        if !review.entries().iter().any(|e| e.number == n) {
            return Err(Failure::Usage(format!("the draft has no candidate {n}")));
        }
        out.push(n);
    }
    Ok(out)
}

pub fn run(cli: &Cli, args: &ReviewArgs) -> Result<ExitCode, Failure> {
    let text = std::fs::read_to_string(&args.draft)
        .with_context(|| format!("cannot read the draft {}", args.draft.display()))?;
    let mut review = Review::new(&text).map_err(|e| Failure::Usage(format!("{}: {e}", args.draft.display())))?;
    let mut stdout = anstream::stdout().lock();
    let batch = !args.accept.is_empty() || !args.reject.is_empty() || args.accept_above.is_some();
    if batch {
        for n in parse_numbers(&args.reject, &review)? {
            review.decide(n, Status::Rejected);
        }
        let mut accept = parse_numbers(&args.accept, &review)?;
        if let Some(min) = args.accept_above {
            accept.extend(
                review.entries().iter().filter(|e| e.status == Status::Pending && e.score >= min).map(|e| e.number),
            );
        }
        for n in accept {
            if review.entries().iter().any(|e| e.number == n && e.status == Status::Pending) {
                review.decide(n, Status::Accepted);
            }
        }
        let invalid = apply_and_save(&mut review, cli, &args.draft, &mut stdout)?;
        return Ok(if invalid > 0 { ExitCode::from(crate::output::EXIT_DATA) } else { ExitCode::SUCCESS });
    }
    interactive(&mut review, cli, &args.draft, &mut stdout)
}

/// The paragraphs of the draft's document, if it can be read.
fn document_paragraphs(review: &Review) -> Vec<String> {
    review
        .document()
        .and_then(|d| std::fs::read_to_string(d).ok())
        .map(|t| t.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

fn show(
    review: &Review,
    entry: &Entry,
    paragraphs: &[String],
    position: usize,
    total: usize,
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let counts = |s: Status| review.entries().iter().filter(|e| e.status == s).count();
    writeln!(out)?;
    writeln!(
        out,
        "{HEADING}[{position}/{total}] candidate {} {} (score {}){HEADING:#}  decided: {} accepted or written, {} rejected, {} pending",
        entry.number,
        entry.kind,
        entry.score,
        counts(Status::Accepted) + counts(Status::Known),
        counts(Status::Rejected),
        counts(Status::Pending)
    )?;
    let record = review.record(entry.number);
    let span = review.span(entry.number);
    let paragraph =
        usize::try_from(entry.paragraph).ok().and_then(|p| p.checked_sub(1)).and_then(|i| paragraphs.get(i));
    if let (Some(text), Some(span)) = (paragraph, span) {
        let chars: Vec<char> = text.chars().collect();
        let s = span.0.min(chars.len());
        let e = span.1.clamp(s, chars.len());
        let from = s.saturating_sub(120);
        let to = (e + 120).min(chars.len());
        let piece = |a: usize, b: usize| chars.get(a..b).map(|c| c.iter().collect::<String>()).unwrap_or_default();
        writeln!(out, "  paragraph {}: ...{}»{}«{}...", entry.paragraph, piece(from, s), piece(s, e), piece(e, to))?;
    }
    if let Some(r) = record {
        for (k, v) in r.iter() {
            if k != "candidate" {
                writeln!(out, "  {k} = {}", v.to_string().trim())?;
            }
        }
    }
    writeln!(out, "a accept · e FIELD=VALUE ... edit and accept · r reject · s skip · b back · q quit")?;
    write!(out, "> ")?;
    out.flush()
}

fn interactive(
    review: &mut Review,
    cli: &Cli,
    draft: &Path,
    out: &mut impl std::io::Write,
) -> Result<ExitCode, Failure> {
    let paragraphs = document_paragraphs(review);
    let queue: Vec<i64> = review.entries().iter().filter(|e| e.status == Status::Pending).map(|e| e.number).collect();
    let total = queue.len();
    let mut i = 0;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    while i < queue.len() {
        let Some(&number) = queue.get(i) else { break };
        let Some(entry) = review.entries().iter().find(|e| e.number == number).cloned() else { break };
        show(review, &entry, &paragraphs, i + 1, total, out).context("cannot write the output")?;
        let Some(Ok(line)) = lines.next() else { break };
        let line = line.trim();
        let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
        match command {
            "a" | "accept" | "e" | "edit" => {
                if command.starts_with('e') {
                    for pair in rest.split_whitespace() {
                        let Some((field, value)) = pair.split_once('=') else {
                            writeln!(out, "edits are FIELD=VALUE, e.g. e id=harbour_forum role=host")
                                .context("output")?;
                            continue;
                        };
                        review.edit(number, field, value);
                    }
                }
                review.decide(number, Status::Accepted);
                apply_and_save(review, cli, draft, out)?;
                i += 1;
            }
            "r" | "reject" => {
                review.decide(number, Status::Rejected);
                write_file_atomically(draft, review.draft_text().as_bytes()).context("cannot write the draft")?;
                i += 1;
            }
            "s" | "skip" => i += 1,
            "b" | "back" => i = i.saturating_sub(1),
            "q" | "quit" => break,
            _ => writeln!(out, "unknown key {command:?}").context("cannot write the output")?,
        }
    }
    let counts = |s: Status| review.entries().iter().filter(|e| e.status == s).count();
    writeln!(
        out,
        "\nreview saved in {}: {} written, {} rejected, {} pending",
        draft.display(),
        counts(Status::Known),
        counts(Status::Rejected),
        counts(Status::Pending)
    )
    .context("cannot write the output")?;
    Ok(ExitCode::SUCCESS)
}

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

/// When a data file is written in a review: files holding sources first,
/// then those holding entities, then the rest.
fn write_rank(text: &str) -> u8 {
    let holds = |table: &str| text.lines().any(|l| l.trim_start().starts_with(&format!("[[{table}]]")));
    if holds("source") {
        0
    } else if coopgraph_model::schema::EntityKind::ALL.iter().any(|k| holds(k.name())) {
        1
    } else {
        2
    }
}

/// Applies the accepted decisions, writes the changed data files, then the
/// draft; prints what became of each record.
fn apply_and_save(
    review: &mut Review,
    cli: &Cli,
    draft: &Path,
    out: &mut impl std::io::Write,
) -> Result<usize, Failure> {
    // The decisions first: a review killed while the data files are being
    // written finds them accepted, and applies them again when it starts.
    save_draft(review, draft)?;
    let mut files = read_data(&cli.data)?;
    let before = files.clone();
    let outcomes = review.apply(&mut files);
    // Each file is renamed into place on its own, so the order is what a
    // kill between two renames leaves: sources before the records that
    // cite them, entities before the relations and figures that name them.
    let mut changed: Vec<(&String, &String)> =
        files.iter().filter(|(name, text)| before.get(*name) != Some(*text)).collect();
    changed.sort_by_key(|(name, text)| (write_rank(text), name.as_str()));
    for (name, text) in changed {
        let path = cli.data.join(name);
        write_file_atomically(&path, text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    }
    save_draft(review, draft)?;
    let mut invalid = 0;
    for (n, o) in outcomes {
        let line = match o {
            Outcome::Added(f) => format!("{n}: added to {f}"),
            Outcome::Merged(f) => format!("{n}: citation merged in {f}"),
            Outcome::Nothing => format!("{n}: nothing to write (a date goes with the facts of its sentence)"),
            Outcome::Waiting(on) => {
                invalid += 1;
                let names: Vec<String> = on.iter().map(|(m, id)| format!("{id} (candidate {m})")).collect();
                format!("{n}: accepted, written once the new entity it names is accepted: {}", names.join(", "))
            }
            Outcome::Invalid(why) => {
                invalid += 1;
                // A file that no longer loads makes every reference into it an
                // error too: the first few say enough.
                const SHOWN: usize = 5;
                let mut text = format!("{n}: not written, it would not validate:");
                for m in why.iter().take(SHOWN) {
                    text.push_str("\n    ");
                    text.push_str(m);
                }
                if why.len() > SHOWN {
                    text.push_str(&format!("\n    ... and {} more", why.len() - SHOWN));
                }
                text
            }
        };
        writeln!(out, "{line}").context("cannot write the output")?;
    }
    Ok(invalid)
}

/// Writes the draft with its decisions, through a temporary file.
fn save_draft(review: &Review, draft: &Path) -> Result<(), Failure> {
    write_file_atomically(draft, review.draft_text().as_bytes())
        .with_context(|| format!("cannot write {}", draft.display()))?;
    Ok(())
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

/// The paragraphs of the draft's document, if it can be read (paragraph N
/// is the N-th line that is not blank, the rule of data/README.md).
fn document_paragraphs(review: &Review, draft: &Path) -> Option<Vec<String>> {
    let dir = draft.parent().unwrap_or_else(|| Path::new("."));
    let path = review.document_paths(dir).into_iter().find(|p| p.is_file())?;
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.trim_end_matches('\r').to_owned()).collect())
}

const KEYS: &str =
    "a accept · e FIELD=VALUE ... edit and accept · r reject · s skip · b back · g N go to · q quit · ? help";

const HELP: &str = "\
  a                  accept the record as shown: it is checked, then written into its data file
  e FIELD=VALUE ...  edit, then accept: e id=harbour_forum label.en=Harbour Police Forum role=host
                     (a value runs to the next FIELD=; dates and names stay text, value is a number;
                     FIELD= with nothing removes the field; a new entity's new id follows into
                     the draft's relations and figures; fields: id, category, label.en, label.zh,
                     aliases, description, role, date, start, end, as_of, subject, object,
                     measure, value, unit, note, ...)
  r                  reject: extract --draft will not propose it again
  s                  skip: decide later (it stays pending)
  b                  back to the candidate before
  g N                go to candidate N
  q                  quit; every decision so far is saved in the draft
  Ctrl-C or a kill loses no decision: each one is saved when it is made.";

/// Splits `FIELD=VALUE FIELD=VALUE ...`, a value running to the next
/// `FIELD=` (so labels keep their spaces).
fn parse_edits(rest: &str) -> Result<Vec<(String, String)>, String> {
    let is_field = |f: &str| !f.is_empty() && f.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
    // `FIELD=` alone (removing the field) is a pair with an empty value.
    let mut out: Vec<(String, String)> = Vec::new();
    for word in rest.split_whitespace() {
        match word.split_once('=') {
            Some((field, value)) if is_field(field) => out.push((field.to_owned(), value.to_owned())),
            _ => match out.last_mut() {
                Some((_, value)) => {
                    value.push(' ');
                    value.push_str(word);
                }
                None => {
                    return Err(format!("edits are FIELD=VALUE, such as e id=harbour_forum role=host, not {word:?}"));
                }
            },
        }
    }
    if out.is_empty() {
        return Err("e needs FIELD=VALUE pairs, such as e id=harbour_forum role=host (a accepts as shown)".into());
    }
    Ok(out)
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
    let decided = match entry.status {
        Status::Pending => String::new(),
        Status::Known => " — already written to the data".to_owned(),
        other => format!(" — {}", other.name()),
    };
    writeln!(
        out,
        "{HEADING}[{position}/{total}] candidate {} {} (score {}){decided}{HEADING:#}  so far: {} written, {} rejected, {} pending",
        entry.number,
        entry.kind,
        entry.score,
        counts(Status::Accepted) + counts(Status::Known),
        counts(Status::Rejected),
        counts(Status::Pending)
    )?;
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
        let (dots_before, dots_after) = (if from > 0 { "..." } else { "" }, if to < chars.len() { "..." } else { "" });
        writeln!(
            out,
            "  paragraph {}: {dots_before}{}»{}«{}{dots_after}",
            entry.paragraph,
            piece(from, s),
            piece(s, e),
            piece(e, to)
        )?;
    }
    for line in review.evidence(entry.number).iter().skip(1) {
        writeln!(out, "  ({line})")?;
    }
    for (k, v) in review.fields(entry.number) {
        writeln!(out, "  {k} = {v}")?;
    }
    if !entry.alternatives.is_empty() {
        writeln!(out, "  the same words could name: {} (e id=... to choose one)", entry.alternatives.join(", "))?;
    }
    writeln!(out, "{KEYS}")?;
    write!(out, "> ")?;
    out.flush()
}

fn interactive(
    review: &mut Review,
    cli: &Cli,
    draft: &Path,
    out: &mut impl std::io::Write,
) -> Result<ExitCode, Failure> {
    let paragraphs = match document_paragraphs(review, draft) {
        Some(p) => p,
        None => {
            writeln!(
                out,
                "note: the document {} cannot be read from here; candidates are shown without their paragraph",
                review.document().unwrap_or("(not named in the draft)")
            )
            .context("cannot write the output")?;
            Vec::new()
        }
    };
    // Accepted but not written: a review that was interrupted while writing.
    if review.entries().iter().any(|e| e.status == Status::Accepted) {
        writeln!(out, "writing the records accepted before the last review was interrupted:")
            .context("cannot write the output")?;
        apply_and_save(review, cli, draft, out)?;
    }
    // Dates are not walked: they write nothing, and the facts of their
    // sentence carry them (edit a fact's date there).
    let pending = |e: &&Entry| e.status == Status::Pending;
    let dates = review.entries().iter().filter(pending).filter(|e| e.kind == "date").count();
    let queue: Vec<i64> =
        review.entries().iter().filter(pending).filter(|e| e.kind != "date").map(|e| e.number).collect();
    let total = queue.len();
    if total == 0 {
        writeln!(out, "nothing to review: every candidate of {} is decided", draft.display())
            .context("cannot write the output")?;
    } else if dates > 0 {
        writeln!(
            out,
            "{total} candidates to review ({dates} dates are not shown: each fact carries the date of its sentence)"
        )
        .context("cannot write the output")?;
    }
    // After a decision, the next candidate still pending.
    let next_pending = |review: &Review, from: usize| {
        (from + 1..queue.len())
            .find(|&j| {
                queue
                    .get(j)
                    .is_some_and(|n| review.entries().iter().any(|e| e.number == *n && e.status == Status::Pending))
            })
            .unwrap_or(queue.len())
    };
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
        let say = |out: &mut dyn std::io::Write, text: &str| writeln!(out, "{text}").context("cannot write the output");
        match command {
            "a" | "accept" | "e" | "edit" | "r" | "reject" if entry.status == Status::Known => {
                say(out, "already written to the data: change it there (the draft keeps it as known)")?;
                i = next_pending(review, i);
            }
            "a" | "accept" | "e" | "edit" => {
                if command.starts_with('e') {
                    match parse_edits(rest) {
                        Ok(edits) => {
                            for (field, value) in edits {
                                review.edit(number, &field, &value);
                            }
                        }
                        Err(message) => {
                            say(out, &message)?;
                            continue;
                        }
                    }
                }
                review.decide(number, Status::Accepted);
                apply_and_save(review, cli, draft, out)?;
                // A record that would not validate is pending again: stay on it.
                if review.entries().iter().any(|e| e.number == number && e.status != Status::Pending) {
                    i = next_pending(review, i);
                } else {
                    say(out, "edit it (e FIELD=VALUE ...), reject it (r) or skip it (s)")?;
                }
            }
            "r" | "reject" => {
                review.decide(number, Status::Rejected);
                save_draft(review, draft)?;
                i = next_pending(review, i);
            }
            "s" | "skip" => i += 1,
            "b" | "back" => i = i.saturating_sub(1),
            "g" | "go" => match rest.trim().parse::<i64>().ok().and_then(|n| queue.iter().position(|q| *q == n)) {
                Some(j) => i = j,
                None => say(out, &format!("g N goes to candidate N of this review, not {:?}", rest.trim()))?,
            },
            "q" | "quit" => break,
            "?" | "h" | "help" => say(out, HELP)?,
            "" => {}
            _ => say(out, &format!("unknown key {command:?}; ? shows the keys"))?,
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{parse_edits, write_rank};

    #[test]
    fn sources_are_written_before_entities_and_entities_before_what_names_them() {
        // A kill between two renames then leaves data that validates: seen
        // as "unknown source" in entities.toml when files went by name.
        let sources = "# Sources.\n\n[[source]]\nid = \"801\"\n";
        let entities = "[[country]]\nid = \"china\"\n\n[[organization]]\nid = \"sco\"\n";
        let relations = "[[relation]]\nsubject = \"china\"\n";
        assert!(write_rank(sources) < write_rank(entities));
        assert!(write_rank(entities) < write_rank(relations));
    }

    #[test]
    fn edits_keep_the_spaces_of_their_values() {
        let edits = parse_edits("id=harbour_forum label.en=Harbour Police Forum role=host").unwrap();
        let pairs: Vec<(&str, &str)> = edits.iter().map(|(f, v)| (f.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("id", "harbour_forum"), ("label.en", "Harbour Police Forum"), ("role", "host")]);
        assert!(parse_edits("").is_err());
        assert!(parse_edits("Harbour").is_err());
        // An equals sign inside a value does not start a field.
        let edits = parse_edits("note=a=b c").unwrap();
        assert_eq!(edits, [("note".to_owned(), "a=b c".to_owned())]);
    }
}

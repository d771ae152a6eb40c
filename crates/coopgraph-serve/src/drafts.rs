//! Drafts of `coopgraph extract`, shown read-only for reviewing on a wide
//! screen (`serve --drafts DIR`): `/drafts` lists the drafts of DIR, and
//! `/drafts/ID` shows the document of `DIR/ID.toml` paragraph by
//! paragraph, each candidate highlighted in place with its status, beside
//! the records proposed. The draft and the document are read from the
//! curator's files at every request (nothing of the document is kept), so
//! the page follows a review under way; these pages are outside the
//! store's cache validators and are never cached.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use coopgraph_extract::Status;
use coopgraph_extract::document::paragraphs;
use coopgraph_extract::review::{Entry, Review};
use maud::{Markup, PreEscaped, html};

use crate::error::HttpError;
use crate::{AppState, Shared};

/// The routes of the drafts pages (answering 404 without `--drafts`).
pub(crate) fn routes() -> Router<Shared> {
    Router::new().route("/drafts", get(index)).route("/drafts/{id}", get(page))
}

const STYLE: &str = r#"
.draft-grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:.4em 1.4em;align-items:start}
.draft-grid>.para{background:#fff;border:1px solid #e1e1e1;border-radius:.3em;padding:.3em .7em;margin:0}
.draft-grid>.para .n{color:#666;font-size:.8em;margin-right:.5em}
.draft-grid>.cands{font-size:.88em}
.draft-grid>.cands table{margin:0}
mark{border-radius:.2em;padding:0 .1em}
mark.pending{background:#fff3b0} mark.known,mark.accepted{background:#c9f0d3} mark.rejected{background:#f8d0d0;text-decoration:line-through}
.status{font-weight:600;font-size:.85em} .status.pending{color:#8a6d00} .status.known,.status.accepted{color:#1d6b34} .status.rejected{color:#9b1c1c}
sup.cn{font-size:.7em;color:#555;margin:0 .1em}
code.rec{white-space:pre-wrap;font-size:.9em}
@media (max-width:60em){.draft-grid{grid-template-columns:1fr}}
"#;

/// A draft id: the file stem of `DIR/ID.toml`, a slug (nothing that
/// could leave DIR).
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && !id.starts_with('.')
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn no_store(page: Markup) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Html(page.into_string())).into_response()
}

/// The drafts folder, or the 404 answer when none is served (boxed: a
/// `Response` is large).
fn drafts_dir(state: &AppState, headers: &HeaderMap) -> Result<PathBuf, Box<Response>> {
    state.config.drafts.clone().ok_or_else(|| {
        Box::new(
            HttpError::new(StatusCode::NOT_FOUND, "no drafts are served here (start the server with --drafts DIR)")
                .for_request(headers)
                .into_response(),
        )
    })
}

/// One draft of the folder, as the index lists it.
struct Listed {
    id: String,
    source: String,
    counts: [usize; 4],
}

fn counts(review: &Review) -> [usize; 4] {
    let n = |s: Status| review.entries().iter().filter(|e| e.status == s).count();
    [n(Status::Pending), n(Status::Accepted), n(Status::Known), n(Status::Rejected)]
}

fn list(dir: &Path) -> std::io::Result<Vec<Listed>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)?.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(id) = name.strip_suffix(".toml").filter(|id| valid_id(id)) else { continue };
        let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
        let Ok(review) = Review::new(&text) else { continue };
        out.push(Listed {
            id: id.to_owned(),
            source: review.source().unwrap_or("?").to_owned(),
            counts: counts(&review),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// `GET /drafts`: the drafts of the folder with their progress.
async fn index(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let dir = match drafts_dir(&state, &headers) {
        Ok(d) => d,
        Err(answer) => return *answer,
    };
    let listed = tokio::task::spawn_blocking(move || list(&dir)).await;
    let drafts = match listed {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            return HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("cannot read the drafts folder: {e}"))
                .for_request(&headers)
                .into_response();
        }
        Err(e) => return HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let body = html! {
        h1 { "Drafts" }
        p.muted { "Candidate facts proposed by " code { "coopgraph extract" } ", as decided so far with "
            code { "coopgraph review" } ". Read-only; nothing here is in the data until it is accepted." }
        @if drafts.is_empty() {
            p { "The drafts folder holds no draft." }
        } @else {
            table {
                tr { th { "draft" } th { "source" } th { "pending" } th { "accepted" } th { "written (known)" } th { "rejected" } }
                @for d in &drafts {
                    tr {
                        td { a href={ "/drafts/" (d.id) } { (d.id) } }
                        td { (d.source) }
                        @for c in d.counts { td { (c) } }
                    }
                }
            }
        }
    };
    no_store(crate::templates::layout(&state, "Drafts", body))
}

/// What a draft page shows.
struct View {
    id: String,
    review: Review,
    document: Option<String>,
    /// The document's paragraphs (number, language, characters), when it was read.
    paragraphs: Option<Vec<(u32, &'static str, Vec<char>)>>,
}

#[derive(Debug)]
enum ReadError {
    NotFound,
    Bad(String),
}

fn read_view(dir: &Path, id: &str) -> Result<View, ReadError> {
    let path = dir.join(format!("{id}.toml"));
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::NotFound),
        Err(e) => return Err(ReadError::Bad(format!("cannot read the draft: {e}"))),
    };
    let review = Review::new(&text).map_err(|e| ReadError::Bad(format!("the draft is not TOML: {e}")))?;
    let document = review.document().map(str::to_owned);
    let paragraphs = review
        .document_paths(dir)
        .into_iter()
        .find(|p| p.is_file())
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|t| paragraphs(&t).into_iter().map(|p| (p.number, p.lang, p.chars)).collect());
    Ok(View { id: id.to_owned(), review, document, paragraphs })
}

/// `GET /drafts/{id}`: the document with its candidates in place.
async fn page(State(state): State<Shared>, UrlPath(id): UrlPath<String>, headers: HeaderMap) -> Response {
    let dir = match drafts_dir(&state, &headers) {
        Ok(d) => d,
        Err(answer) => return *answer,
    };
    let not_found = || {
        HttpError::new(StatusCode::NOT_FOUND, format!("no draft {id:?} in the drafts folder"))
            .for_request(&headers)
            .into_response()
    };
    if !valid_id(&id) {
        return not_found();
    }
    let asked = id.clone();
    match tokio::task::spawn_blocking(move || read_view(&dir, &asked)).await {
        Ok(Ok(view)) => no_store(crate::templates::layout(&state, &format!("Draft {}", view.id), render(&view))),
        Ok(Err(ReadError::NotFound)) => not_found(),
        Ok(Err(ReadError::Bad(message))) => {
            HttpError::new(StatusCode::UNPROCESSABLE_ENTITY, message).for_request(&headers).into_response()
        }
        Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn status_badge(status: Status) -> Markup {
    html! { span class={ "status " (status.name()) } { (status.name()) } }
}

/// A candidate's row: number, kind, status, score, the record proposed.
fn candidate_row(review: &Review, e: &Entry) -> Markup {
    let fields: Vec<String> = review.fields(e.number).into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
    html! {
        tr id={ "c" (e.number) } {
            td { (e.number) } td { (e.kind) } td { (status_badge(e.status)) } td { (e.score) }
            td {
                code.rec { (fields.join("\n")) }
                @if !e.alternatives.is_empty() { br; span.muted { "or " (e.alternatives.join(", ")) } }
            }
        }
    }
}

fn candidates_table(review: &Review, entries: &[&Entry]) -> Markup {
    html! {
        @if !entries.is_empty() {
            table {
                tr { th { "#" } th { "kind" } th { "status" } th { "score" } th { "record proposed" } }
                @for e in entries { (candidate_row(review, e)) }
            }
        }
    }
}

/// The paragraph's text, cut at every span boundary; each piece a
/// candidate covers is marked with the status of the narrowest one, and
/// each span starts with its candidate's number.
fn highlighted(review: &Review, chars: &[char], entries: &[&Entry]) -> Markup {
    let len = chars.len();
    let spans: Vec<(usize, usize, &Entry)> = entries
        .iter()
        .filter_map(|e| review.span(e.number).map(|(s, t)| (s.min(len), t.min(len), *e)))
        .filter(|(s, t, _)| s < t)
        .collect();
    let mut cuts: Vec<usize> = spans.iter().flat_map(|(s, t, _)| [*s, *t]).chain([0, len]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let piece = |a: usize, b: usize| chars.get(a..b).map(|c| c.iter().collect::<String>()).unwrap_or_default();
    html! {
        @for pair in cuts.windows(2) {
            @if let [a, b] = *pair {
                @for (_, _, e) in spans.iter().filter(|(s, _, _)| *s == a) {
                    sup.cn { a href={ "#c" (e.number) } { (e.number) } }
                }
                @let covering: Vec<&(usize, usize, &Entry)> = spans.iter().filter(|(s, t, _)| *s <= a && b <= *t).collect();
                @match covering.iter().min_by_key(|(s, t, e)| (t - s, e.number)) {
                    Some((_, _, narrowest)) => {
                        @let title: Vec<String> = covering.iter().map(|(_, _, e)| format!("#{} {} {}", e.number, e.kind, e.status.name())).collect();
                        mark class=(narrowest.status.name()) title=(title.join("; ")) { (piece(a, b)) }
                    }
                    None => { (piece(a, b)) }
                }
            }
        }
    }
}

fn render(view: &View) -> Markup {
    let review = &view.review;
    let [pending, accepted, known, rejected] = counts(review);
    let unplaced: Vec<&Entry> = review
        .entries()
        .iter()
        .filter(|e| {
            let in_text =
                view.paragraphs.as_ref().is_some_and(|ps| ps.iter().any(|(n, _, _)| i64::from(*n) == e.paragraph));
            !in_text || review.span(e.number).is_none_or(|(s, t)| s >= t)
        })
        .collect();
    html! {
        style { (PreEscaped(STYLE)) }
        h1 { "Draft " (view.id) }
        dl.meta {
            dt { "source" } dd { (review.source().unwrap_or("?")) }
            dt { "document" } dd { (view.document.as_deref().unwrap_or("(not named in the draft)")) }
            dt { "candidates" } dd {
                (review.entries().len()) ": " (pending) " pending, " (accepted) " accepted, "
                (known) " written (known), " (rejected) " rejected"
            }
        }
        p.muted { "Read-only, from the curator's files at each request; decide with "
            code { "coopgraph review" } ". Highlights: " mark.pending { "pending" } " " mark.known { "written" } " "
            mark.rejected { "rejected" } "; the small number before a highlight is its candidate." }
        @if view.paragraphs.is_none() {
            p.conflict { "The document named by the draft cannot be read here: only the candidates are listed." }
        }
        @if !unplaced.is_empty() {
            h2 { "Not placed in the text" }
            (candidates_table(review, &unplaced))
        }
        @if let Some(ps) = &view.paragraphs {
            h2 { "The document, paragraph by paragraph" }
            div.draft-grid {
                @for (number, lang, chars) in ps {
                    @let here: Vec<&Entry> = review.entries().iter()
                        .filter(|e| e.paragraph == i64::from(*number) && !unplaced.iter().any(|u| u.number == e.number))
                        .collect();
                    p.para id={ "p" (number) } lang=(lang) {
                        span.n lang="en" { "¶" (number) }
                        (highlighted(review, chars, &here))
                    }
                    div.cands { (candidates_table(review, &here)) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn ids_stay_inside_the_folder() {
        assert!(valid_id("801"));
        assert!(valid_id("report-2016.v2"));
        for bad in ["", "..", ".hidden", "a/b", "a\\b", "%2e%2e"] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    const DRAFT: &str = r#"
document = "doc.txt"

[[relation]]
subject = "china"
predicate = "member_of"
object = "sco"
sources = ["900#1@en"]
candidate = { number = 2, key = "r", kind = "relation", status = "rejected", paragraph = 1, lang = "en", span = [0, 30], score = 0.6 }

[[country]]
id = "china"
sources = ["900#1@en"]
candidate = { number = 1, key = "e", kind = "entity", status = "known", paragraph = 1, lang = "en", span = [0, 5], score = 0.95 }
"#;

    #[test]
    fn spans_are_marked_in_place_with_the_narrowest_status_and_text_escaped() {
        let review = Review::new(DRAFT).unwrap();
        let chars: Vec<char> = "China is a member of the <SCO> & more.".chars().collect();
        let entries: Vec<&Entry> = review.entries().iter().collect();
        let html = highlighted(&review, &chars, &entries).into_string();
        assert!(
            html.contains(r##"<mark class="known" title="#1 entity known; #2 relation rejected">China</mark>"##),
            "{html}"
        );
        assert!(
            html.contains(
                r##"<mark class="rejected" title="#2 relation rejected"> is a member of the &lt;SCO&gt;</mark>"##
            ),
            "{html}"
        );
        assert!(html.ends_with(" &amp; more."), "{html}");
        assert!(
            html.starts_with(r##"<sup class="cn"><a href="#c1">1</a></sup><sup class="cn"><a href="#c2">2</a></sup>"##)
                || html.starts_with(r##"<sup class="cn"><a href="#c2">2</a></sup>"##),
            "{html}"
        );
    }

    #[test]
    fn spans_past_the_end_are_cut_to_the_text() {
        let review = Review::new(DRAFT).unwrap();
        let chars: Vec<char> = "中国".chars().collect();
        let entries: Vec<&Entry> = review.entries().iter().collect();
        let html = highlighted(&review, &chars, &entries).into_string();
        assert!(html.contains(">中国</mark>"), "{html}");
    }
}

//! The bundled queries as the server offers them: their texts with the
//! parameters bound (to read, edit and run anywhere) and their JSON
//! descriptions. Pure functions of the query library, shared by the
//! handlers (`/queries`, `/sparql`) and the page templates.

use coopgraph_rdf::RdfError;
use coopgraph_rdf::export::prefixes;
use coopgraph_rdf::oxigraph::model::Term;

/// The text of a bundled query with its parameters bound (`given`, else
/// their defaults), to read, edit and run anywhere ([`bind_in_text`]), and
/// a comment naming `/queries/NAME?...`. Each group that reads a parameter
/// sees its value, as when the runner substitutes it (`coopgraph query
/// run`), down to a FILTER NOT EXISTS in one branch of a UNION, and the
/// planner starts from it as it does there; a test runs every bundled
/// query both ways and compares the answers.
pub fn bound_text(
    query: &coopgraph_rdf::query::LibraryQuery,
    given: &[(String, String)],
    ns: &coopgraph_rdf::Namespaces,
) -> Result<String, RdfError> {
    let text = query.text.trim_end();
    let bindings = query.bindings(given, ns)?;
    if bindings.is_empty() {
        return Ok(text.to_owned());
    }
    let values: Vec<(&str, String)> = bindings.iter().map(|(v, t)| (v.as_str(), sparql_term(t, ns))).collect();
    let params: Vec<String> = query
        .params
        .iter()
        .map(|p| {
            let value = given.iter().rev().find(|(k, _)| k == &p.name).map_or(p.default.as_str(), |(_, v)| v.as_str());
            form_urlencoded::Serializer::new(String::new()).append_pair(&p.name, value).finish()
        })
        .collect();
    let mut out = format!(
        "# Parameters bound below; /queries/{}?{} runs it exactly as `coopgraph query run`.\n",
        query.name,
        params.join("&")
    );
    out.push_str(&bind_in_text(text, &values));
    Ok(out)
}

/// `text` with the variables `values` names bound to their terms by a
/// VALUES block at the start of each group where one is in scope (named in
/// it or in a group inside it), as the runner shows a parameter to the
/// planner ([`coopgraph_rdf::query`]'s rewrite): its greedy join order then
/// starts from the value and follows the patterns that share its variable.
/// Like the runner, it leaves out a UNION branch that walks a `*` or `+`
/// path (and what that branch holds): with the value's one row beside it,
/// Oxigraph walks the path from every node of the store before the join;
/// the group around the branch binds the variable on its rows all the same.
fn bind_in_text(text: &str, values: &[(&str, String)]) -> String {
    let names: Vec<&str> = values.iter().map(|(name, _)| *name).collect();
    let vars: Vec<String> = values.iter().map(|(name, _)| format!("?{name}")).collect();
    let terms: Vec<&str> = values.iter().map(|(_, term)| term.as_str()).collect();
    let block = format!(" VALUES ({}) {{ ({}) }}", vars.join(" "), terms.join(" "));
    let mut out = String::with_capacity(text.len() + 256);
    let mut last = 0;
    for at in groups_in_scope(text, &names) {
        out.push_str(text.get(last..at).unwrap_or_default());
        out.push_str(&block);
        last = at;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    out
}

/// The text of a bundled query bound to its defaults (the examples).
pub fn example_text(query: &coopgraph_rdf::query::LibraryQuery, ns: &coopgraph_rdf::Namespaces) -> String {
    bound_text(query, &[], ns).unwrap_or_else(|_| query.text.trim_end().to_owned())
}

/// A term as SPARQL writes it: a prefixed name where one fits, else the
/// IRI or literal in full.
fn sparql_term(term: &Term, ns: &coopgraph_rdf::Namespaces) -> String {
    if let Term::NamedNode(n) = term {
        for (name, iri) in prefixes(ns) {
            if let Some(local) = n.as_str().strip_prefix(iri.as_str())
                && local.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !local.ends_with('.')
                && local.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c))
            {
                return format!("{name}:{local}");
            }
        }
    }
    term.to_string()
}

/// What a `{` opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brace {
    /// A group graph pattern.
    Group,
    /// A group holding a sub-select (`{ SELECT ...`): its text outside the
    /// sub-select's WHERE group is the sub-select's projection, GROUP BY
    /// and ORDER BY.
    SubSelect,
    /// A VALUES data block or a CONSTRUCT template: no patterns inside.
    Data,
}

/// One `{ ... }` of a query, as [`groups_in_scope`] reads it.
#[derive(Debug)]
struct Braces {
    /// The byte offset just after the `{`.
    after: usize,
    kind: Brace,
    parent: Option<usize>,
    /// One of the variables is named in it, outside the braces inside it
    /// (not as a BIND's `AS ?v`).
    named: bool,
    /// A `*` or `+` follows an IRI or a `)` in it: a path of any length.
    closure: bool,
    /// It is a branch of a UNION.
    union_branch: bool,
}

/// The byte offsets just after the `{` of every group of `text` in which
/// one of the variables `names` is in scope, in order, except UNION
/// branches that walk a closure and what they hold (see [`bind_in_text`]).
/// Strings, IRIs and comments are skipped; so are VALUES data blocks and
/// CONSTRUCT templates, and the groups around sub-selects (no place for
/// VALUES); a sub-select puts a variable in scope around it only when it
/// returns it. The scan is a loop over the characters.
fn groups_in_scope(text: &str, names: &[&str]) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let offset_of = |i: usize| chars.get(i).map_or(text.len(), |(o, _)| *o);
    let mut all: Vec<Braces> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut closed: Vec<usize> = Vec::new(); // in the order they close
    let mut pending_data = false; // after VALUES or CONSTRUCT, before its `{`
    let mut last_word = String::new();
    let mut previous = ' '; // the last character that is not a space
    let mut i = 0;
    while let Some(c) = at(i) {
        let offset = offset_of(i);
        match c {
            '#' => {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
                continue;
            }
            '"' | '\'' => {
                let long = at(i + 1) == Some(c) && at(i + 2) == Some(c);
                let width = if long { 3 } else { 1 };
                i += width;
                while let Some(d) = at(i) {
                    if d == '\\' {
                        i += 2;
                        continue;
                    }
                    if d == c && (!long || (at(i + 1) == Some(c) && at(i + 2) == Some(c))) {
                        i += width;
                        break;
                    }
                    i += 1;
                }
                previous = c;
                last_word.clear();
                continue;
            }
            '<' => {
                // An IRI runs to `>` without spaces; else `<` compares.
                let mut j = i + 1;
                while at(j).is_some_and(|d| d != '>' && !d.is_whitespace() && !"<{}\"".contains(d)) {
                    j += 1;
                }
                if at(j) == Some('>') {
                    i = j + 1;
                    previous = '>';
                } else {
                    i += 1;
                    previous = '<';
                }
                last_word.clear();
                continue;
            }
            '{' => {
                let rest = text.get(offset + 1..).unwrap_or_default().trim_start();
                let kind = if pending_data {
                    Brace::Data
                } else if rest.get(..6).is_some_and(|w| w.eq_ignore_ascii_case("select")) {
                    Brace::SubSelect
                } else {
                    Brace::Group
                };
                pending_data = false;
                all.push(Braces {
                    after: offset + 1,
                    kind,
                    parent: open.last().copied(),
                    named: false,
                    closure: false,
                    union_branch: last_word.eq_ignore_ascii_case("union"),
                });
                open.push(all.len() - 1);
            }
            '}' => {
                if let Some(n) = open.pop() {
                    let rest = text.get(offset + 1..).unwrap_or_default().trim_start();
                    if rest.get(..5).is_some_and(|w| w.eq_ignore_ascii_case("union"))
                        && let Some(b) = all.get_mut(n)
                    {
                        b.union_branch = true;
                    }
                    closed.push(n);
                }
            }
            '*' | '+' if previous.is_alphanumeric() || previous == '>' || previous == ')' => {
                if let Some(b) = open.last().and_then(|n| all.get_mut(*n)) {
                    b.closure = true;
                }
            }
            '?' | '$' => {
                let mut j = i + 1;
                while at(j).is_some_and(|d| d.is_alphanumeric() || d == '_') {
                    j += 1;
                }
                let name: String = chars.get(i + 1..j).unwrap_or_default().iter().map(|(_, c)| *c).collect();
                if names.contains(&name.as_str())
                    && !last_word.eq_ignore_ascii_case("as")
                    && let Some(b) = open.last().and_then(|n| all.get_mut(*n))
                {
                    b.named = true;
                }
                i = j.max(i + 1);
                previous = '?';
                last_word.clear();
                continue;
            }
            c if c.is_ascii_alphabetic() => {
                let mut j = i;
                while at(j).is_some_and(|d| d.is_alphanumeric() || "_-:".contains(d)) {
                    j += 1;
                }
                let word: String = chars.get(i..j).unwrap_or_default().iter().map(|(_, c)| *c).collect();
                if word.eq_ignore_ascii_case("values") || word.eq_ignore_ascii_case("construct") {
                    pending_data = true;
                }
                if word.eq_ignore_ascii_case("where") {
                    pending_data = false; // CONSTRUCT WHERE { ... }: a group
                }
                previous = word.chars().last().unwrap_or(' ');
                last_word = word;
                i = j;
                continue;
            }
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        if !c.is_whitespace() {
            previous = c;
            last_word.clear();
        }
        i += 1;
    }
    // In scope: named in a group or in one inside it (through a sub-select
    // only when it names the variable outside its WHERE group); children
    // close before their parents.
    let mut scope: Vec<bool> = all.iter().map(|b| b.named).collect();
    let mut closure: Vec<bool> = all.iter().map(|b| b.closure).collect();
    for n in closed {
        let (Some(b), Some(&in_scope), Some(&walks)) = (all.get(n), scope.get(n), closure.get(n)) else { continue };
        let Some(parent) = b.parent else { continue };
        let parent_is_group = all.get(parent).is_some_and(|p| p.kind == Brace::Group);
        let passes = match b.kind {
            Brace::Group => true,
            Brace::SubSelect => b.named,
            Brace::Data => false,
        };
        if passes
            && in_scope
            && let Some(s) = scope.get_mut(parent)
        {
            *s = true;
        }
        if b.kind == Brace::Group
            && walks
            && parent_is_group
            && let Some(w) = closure.get_mut(parent)
        {
            *w = true;
        }
    }
    // Left out: closure-walking UNION branches and the groups they hold,
    // down to the next sub-select.
    let mut left_out = vec![false; all.len()];
    for (n, b) in all.iter().enumerate() {
        let inherited = b.parent.is_some_and(|p| {
            left_out.get(p).copied().unwrap_or(false) && all.get(p).is_some_and(|p| p.kind == Brace::Group)
        });
        let here = b.kind == Brace::Group && b.union_branch && closure.get(n).copied().unwrap_or(false);
        if let Some(l) = left_out.get_mut(n) {
            *l = inherited || here;
        }
    }
    all.iter()
        .enumerate()
        .filter(|(n, b)| {
            b.kind == Brace::Group
                && scope.get(*n).copied().unwrap_or(false)
                && !left_out.get(*n).copied().unwrap_or(false)
        })
        .map(|(_, b)| b.after)
        .collect()
}

/// A bundled query as JSON: its name, title, description and parameters
/// (name, default, description). `GET /queries` and the query editor's
/// picker both list the queries this way.
pub(crate) fn query_description(q: &coopgraph_rdf::query::LibraryQuery) -> serde_json::Value {
    serde_json::json!({
        "name": q.name,
        "title": q.title,
        "description": q.description,
        "params": q.params.iter().map(|p| serde_json::json!({
            "name": p.name,
            "default": p.default,
            "description": p.description,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::groups_in_scope;

    /// `text` with `@` at each place [`groups_in_scope`] finds for `?v`.
    fn marked(text: &str) -> String {
        let mut out = text.to_owned();
        for at in groups_in_scope(text, &["v"]).into_iter().rev() {
            out.insert(at, '@');
        }
        out
    }

    #[test]
    fn values_go_into_each_group_where_the_parameter_is_in_scope() {
        assert_eq!(marked("SELECT * WHERE { ?s ?p ?v }"), "SELECT * WHERE {@ ?s ?p ?v }");
        assert_eq!(
            marked("SELECT * WHERE { { ?s ?p ?v } UNION { ?s ?p ?o } FILTER NOT EXISTS { ?o ?q ?v } }"),
            "SELECT * WHERE {@ {@ ?s ?p ?v } UNION { ?s ?p ?o } FILTER NOT EXISTS {@ ?o ?q ?v } }"
        );
        // Sub-selects: their own WHERE group, and around them only when they return it.
        assert_eq!(
            marked("SELECT ?v WHERE { { SELECT ?v WHERE { ?v ?p ?o } } }"),
            "SELECT ?v WHERE {@ { SELECT ?v WHERE {@ ?v ?p ?o } } }"
        );
        assert_eq!(
            marked("SELECT ?o WHERE { { SELECT ?o WHERE { ?v ?p ?o } } }"),
            "SELECT ?o WHERE { { SELECT ?o WHERE {@ ?v ?p ?o } } }"
        );
        // A UNION branch that walks a closure is left out, with what it holds.
        assert_eq!(
            marked("SELECT * WHERE { { ?s ?p ?v } UNION { ?s coop:partOf*/coop:in ?v { ?s ?q ?v } } }"),
            "SELECT * WHERE {@ {@ ?s ?p ?v } UNION { ?s coop:partOf*/coop:in ?v { ?s ?q ?v } } }"
        );
        assert_eq!(marked("SELECT * WHERE { ?s coop:partOf+ ?v }"), "SELECT * WHERE {@ ?s coop:partOf+ ?v }");
        // Templates, data blocks, strings, IRIs, comments and BIND targets are not uses.
        assert_eq!(
            marked("CONSTRUCT { ?v ?p ?o } WHERE { VALUES ?p { <urn:x?v> } ?v ?p ?o }"),
            "CONSTRUCT { ?v ?p ?o } WHERE {@ VALUES ?p { <urn:x?v> } ?v ?p ?o }"
        );
        let none = "SELECT * WHERE { ?s ?p \"{ ?v }\" # { ?v }\n FILTER(?o < 3) { ?s ?q ?value BIND(1 AS ?v) } }";
        assert_eq!(marked(none), none);
        assert_eq!(marked("ASK { $v ?p ?o }"), "ASK {@ $v ?p ?o }");
    }
}

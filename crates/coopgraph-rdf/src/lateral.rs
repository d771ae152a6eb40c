//! OPTIONALs evaluated once per row of their left side.
//!
//! Oxigraph plans `OPTIONAL { R }` after a group `L` as a hash left join
//! unless its cost estimates say otherwise: it evaluates `R` alone, over the
//! whole store, builds a hash table of it, then probes it with the rows of
//! `L`. When `R` is "the labels of ?x" or "the participants of ?operation",
//! that reads every label or every participation of the store, even when `L`
//! has a handful of rows, or none (`deployments`: 12 s on a store of a
//! million relations for an empty answer).
//!
//! Oxigraph also evaluates `LATERAL { OPTIONAL { R } }` (SEP-0006), which
//! runs `R` once for each row of `L`, with that row's values substituted:
//! work in proportion to what `L` returns. [`with_lateral_optionals`]
//! rewrites each `OPTIONAL` into that form where the two give the same
//! answers, so that the library's texts stay SPARQL 1.1 (other stores and
//! clients run them as written) and our runner still evaluates them row by
//! row.
//!
//! When the two are the same: substituting `L`'s values into `R` changes
//! nothing for `R`'s triple patterns, paths, `GRAPH`s and `VALUES` (a bound
//! variable is matched as its value, an unbound one stays free, which is what
//! joining on it does). It changes what a `FILTER` or `BIND` inside `R` sees
//! when the expression names a variable of `L` that `R`'s own patterns do not
//! bind at that point (alone, `R` sees it unbound); and it changes a nested
//! `OPTIONAL { B }` inside `R` when `B` shares a variable with `L` that the
//! nested group's left side does not always bind (alone, `B` may bind it to
//! another value, and the joined row is then dropped). A sub-select,
//! `MINUS`, `EXISTS`, `SERVICE`, or a `LATERAL` written by the user is
//! never rewritten around. The rewrite is made only when every such case is
//! excluded, and when `R`'s mandatory part binds a variable of `L`, so that
//! each evaluation starts from the row's values rather than scanning.
//!
//! When it pays ([`pays`]): a row-by-row OPTIONAL costs an index lookup per
//! row of `L` (microseconds each on RocksDB), a hash join reads `R` once.
//! By the counts kept beside the store ([`Cardinalities`], from the
//! sidecar's statistics), the rewrite is made only when `R` is large (at
//! least [`LATERAL_MIN_ROWS`] triples for its smallest pattern), larger than
//! `L`'s estimate, and a join of several patterns: a single pattern (the
//! labels of `?x`) is read whole at a small cost per triple, which is faster
//! than a lookup per row for a hub's thousands of rows. Without counts (a
//! store written by an older coopgraph) nothing is rewritten.

use std::collections::{HashMap, HashSet};

use spargebra::Query;
use spargebra::algebra::{Expression, GraphPattern};
use spargebra::term::{NamedNodePattern, TermPattern, Variable};

use crate::sidecar::StoreStats;

/// The smallest number of triples the optional side's smallest pattern must
/// have in the store before it is evaluated row by row: below it, reading it
/// whole into a hash table costs a few tens of milliseconds at most.
pub const LATERAL_MIN_ROWS: u64 = 50_000;

/// Triples per property and instances per class of a store: what the
/// rewrite weighs an OPTIONAL's side with.
#[derive(Debug, Clone, Default)]
pub struct Cardinalities {
    properties: HashMap<String, u64>,
    classes: HashMap<String, u64>,
    /// The count of a property or class not listed.
    otherwise: u64,
}

impl Cardinalities {
    /// The counts kept in a store's statistics (a property or class they do
    /// not list has no triple in the store).
    pub fn from_stats(stats: &StoreStats) -> Self {
        Self {
            properties: stats.properties.iter().cloned().collect(),
            classes: stats.classes.iter().cloned().collect(),
            otherwise: 0,
        }
    }

    /// Upper bound of the rows of `pattern` evaluated alone (`u64::MAX`
    /// when it cannot tell).
    fn rows(&self, pattern: &GraphPattern) -> u64 {
        let count = |map: &HashMap<String, u64>, iri: &str| map.get(iri).copied().unwrap_or(self.otherwise);
        match pattern {
            GraphPattern::Bgp { patterns } => patterns
                .iter()
                .map(|t| match (&t.predicate, &t.object) {
                    (NamedNodePattern::NamedNode(p), TermPattern::NamedNode(class))
                        if p.as_str() == oxigraph::model::vocab::rdf::TYPE.as_str() =>
                    {
                        count(&self.classes, class.as_str())
                    }
                    (NamedNodePattern::NamedNode(p), _) => count(&self.properties, p.as_str()),
                    (NamedNodePattern::Variable(_), _) => u64::MAX,
                })
                .min()
                .unwrap_or(1),
            GraphPattern::Values { bindings, .. } => bindings.len().try_into().unwrap_or(u64::MAX),
            GraphPattern::Join { left, right } => self.rows(left).min(self.rows(right)),
            GraphPattern::Union { left, right } => self.rows(left).saturating_add(self.rows(right)),
            GraphPattern::LeftJoin { left: inner, .. }
            | GraphPattern::Lateral { left: inner, .. }
            | GraphPattern::Minus { left: inner, .. }
            | GraphPattern::Filter { inner, .. }
            | GraphPattern::Extend { inner, .. }
            | GraphPattern::Graph { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::OrderBy { inner, .. } => self.rows(inner),
            _ => u64::MAX,
        }
    }
}

/// `query` with [`with_lateral_optionals`] applied to its pattern.
pub(crate) fn query_with_lateral_optionals(query: Query, counts: &Cardinalities) -> Query {
    let with_lateral_optionals = |p| with_lateral_optionals(p, counts);
    match query {
        Query::Select { dataset, pattern, base_iri } => {
            Query::Select { dataset, pattern: with_lateral_optionals(pattern), base_iri }
        }
        Query::Construct { template, dataset, pattern, base_iri } => {
            Query::Construct { template, dataset, pattern: with_lateral_optionals(pattern), base_iri }
        }
        Query::Describe { dataset, pattern, base_iri } => {
            Query::Describe { dataset, pattern: with_lateral_optionals(pattern), base_iri }
        }
        Query::Ask { dataset, pattern, base_iri } => {
            Query::Ask { dataset, pattern: with_lateral_optionals(pattern), base_iri }
        }
    }
}

/// `pattern` with every `OPTIONAL` that [`lateral_is_equivalent`] allows,
/// and whose side [`pays`] by `counts`, rewritten as
/// `LATERAL { OPTIONAL { ... } }`, innermost first.
pub(crate) fn with_lateral_optionals(pattern: GraphPattern, counts: &Cardinalities) -> GraphPattern {
    rewrite(pattern, &|left, right| pays(left, right, counts))
}

/// [`with_lateral_optionals`] with the cost decided by `pays`.
fn rewrite(pattern: GraphPattern, pays: &impl Fn(&GraphPattern, &GraphPattern) -> bool) -> GraphPattern {
    match crate::query::map_children(pattern, &|p| rewrite(p, pays)) {
        GraphPattern::LeftJoin { left, right, expression }
            if pays(&left, &right) && lateral_is_equivalent(&left, &right) =>
        {
            row_by_row(left, right, expression)
        }
        other => other,
    }
}

/// Whether evaluating `right` once per row of `left` costs less than
/// evaluating it whole: it is large ([`LATERAL_MIN_ROWS`]), larger than
/// `left` by the counts, and a join of several patterns. A single pattern
/// (the labels of `?x`) is read whole at a bounded cost per triple, which is
/// cheaper than a lookup per row of a hub's thousands; a join of several
/// (the participants of an operation and their labels) costs a join per
/// triple of its first pattern when evaluated whole.
fn pays(left: &GraphPattern, right: &GraphPattern, counts: &Cardinalities) -> bool {
    let rows = counts.rows(right);
    rows >= LATERAL_MIN_ROWS && counts.rows(left) < rows && patterns(right) > 1
}

/// The triple patterns and paths of `pattern`, sub-patterns included.
fn patterns(pattern: &GraphPattern) -> usize {
    match pattern {
        GraphPattern::Bgp { patterns } => patterns.len(),
        GraphPattern::Path { .. } => 1,
        other => crate::query::children(other).into_iter().map(patterns).sum(),
    }
}

/// `left OPTIONAL { right FILTER(expression) }` as `left LATERAL { OPTIONAL
/// { ... } }`: the form oxigraph evaluates once per row of `left`.
fn row_by_row(left: Box<GraphPattern>, right: Box<GraphPattern>, expression: Option<Expression>) -> GraphPattern {
    GraphPattern::Lateral {
        left,
        right: Box::new(GraphPattern::LeftJoin {
            left: Box::new(GraphPattern::Bgp { patterns: Vec::new() }),
            right,
            expression,
        }),
    }
}

/// Whether `OPTIONAL { right }` after `left` may be evaluated once per row
/// of `left` with the same answers, and starts from that row's values.
fn lateral_is_equivalent(left: &GraphPattern, right: &GraphPattern) -> bool {
    let mut shared = HashSet::new();
    left.on_in_scope_variable(|v| {
        shared.insert(v.clone());
    });
    let bound = certain(left);
    let anchored = certain(right).iter().any(|v| shared.contains(v) && bound.contains(v));
    anchored && substitution_is_safe(right, &shared)
}

/// Whether `pattern`, evaluated with values of the variables in `outer`
/// substituted, answers as the join of its own answers with those values.
fn substitution_is_safe(pattern: &GraphPattern, outer: &HashSet<Variable>) -> bool {
    // Variables of the expression that come from outside and that `inner`
    // does not always bind: alone, the expression would see them unbound.
    let reads_outside = |e: &Expression, inner: &GraphPattern| match expression_variables(e) {
        Some(vars) => {
            let bound = certain(inner);
            vars.iter().any(|v| outer.contains(v) && !bound.contains(v))
        }
        None => true,
    };
    match pattern {
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => true,
        GraphPattern::Graph { inner, .. } => substitution_is_safe(inner, outer),
        GraphPattern::Join { left, right } | GraphPattern::Union { left, right } => {
            substitution_is_safe(left, outer) && substitution_is_safe(right, outer)
        }
        GraphPattern::Filter { expr, inner } => !reads_outside(expr, inner) && substitution_is_safe(inner, outer),
        GraphPattern::Extend { inner, variable, expression } => {
            !outer.contains(variable) && !reads_outside(expression, inner) && substitution_is_safe(inner, outer)
        }
        GraphPattern::LeftJoin { left, right, expression } => optional_is_safe(left, right, expression.as_ref(), outer),
        // The form this module writes: the same OPTIONAL, row by row.
        GraphPattern::Lateral { left, right } => match right.as_ref() {
            GraphPattern::LeftJoin { left: unit, right, expression } if is_unit(unit) => {
                optional_is_safe(left, right, expression.as_ref(), outer)
            }
            _ => false,
        },
        _ => false,
    }
}

/// [`substitution_is_safe`] for `OPTIONAL { right FILTER(expression) }`
/// after `left`: the optional side may share with `outer` only variables
/// that `left` always binds.
fn optional_is_safe(
    left: &GraphPattern,
    right: &GraphPattern,
    expression: Option<&Expression>,
    outer: &HashSet<Variable>,
) -> bool {
    let bound = certain(left);
    let mut optional_reads_outside = false;
    right.on_in_scope_variable(|v| optional_reads_outside |= outer.contains(v) && !bound.contains(v));
    let expression_reads_outside = expression.is_some_and(|e| match expression_variables(e) {
        Some(vars) => {
            let mut bound = bound.clone();
            bound.extend(certain(right));
            vars.iter().any(|v| outer.contains(v) && !bound.contains(v))
        }
        None => true,
    });
    !optional_reads_outside
        && !expression_reads_outside
        && substitution_is_safe(left, outer)
        && substitution_is_safe(right, outer)
}

fn is_unit(pattern: &GraphPattern) -> bool {
    matches!(pattern, GraphPattern::Bgp { patterns } if patterns.is_empty())
}

/// The variables that every answer of `pattern` binds (a subset is safe:
/// the callers only lose a rewrite when a variable is missing).
fn certain(pattern: &GraphPattern) -> HashSet<Variable> {
    let mut out = HashSet::new();
    let term = |t: &TermPattern, out: &mut HashSet<Variable>| {
        if let TermPattern::Variable(v) = t {
            out.insert(v.clone());
        }
    };
    match pattern {
        GraphPattern::Bgp { patterns } => {
            for p in patterns {
                term(&p.subject, &mut out);
                if let NamedNodePattern::Variable(v) = &p.predicate {
                    out.insert(v.clone());
                }
                term(&p.object, &mut out);
            }
        }
        GraphPattern::Path { subject, object, .. } => {
            term(subject, &mut out);
            term(object, &mut out);
        }
        GraphPattern::Join { left, right } | GraphPattern::Lateral { left, right } => {
            out = certain(left);
            out.extend(certain(right));
        }
        GraphPattern::Union { left, right } => {
            let right = certain(right);
            out = certain(left).into_iter().filter(|v| right.contains(v)).collect();
        }
        GraphPattern::LeftJoin { left: inner, .. }
        | GraphPattern::Minus { left: inner, .. }
        | GraphPattern::Filter { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::OrderBy { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => out = certain(inner),
        GraphPattern::Graph { name, inner } => {
            out = certain(inner);
            if let NamedNodePattern::Variable(v) = name {
                out.insert(v.clone());
            }
        }
        GraphPattern::Values { variables, bindings } => {
            for (i, v) in variables.iter().enumerate() {
                if bindings.iter().all(|row| row.get(i).is_some_and(Option::is_some)) {
                    out.insert(v.clone());
                }
            }
        }
        GraphPattern::Project { inner, variables } => {
            out = certain(inner).into_iter().filter(|v| variables.contains(v)).collect();
        }
        GraphPattern::Group { .. } | GraphPattern::Service { .. } => {}
    }
    out
}

/// Every variable an expression reads, or `None` when it holds an `EXISTS`
/// (a pattern of its own, which this module does not reason about).
fn expression_variables(e: &Expression) -> Option<HashSet<Variable>> {
    fn walk(e: &Expression, out: &mut HashSet<Variable>) -> bool {
        match e {
            Expression::Variable(v) | Expression::Bound(v) => {
                out.insert(v.clone());
                true
            }
            Expression::NamedNode(_) | Expression::Literal(_) => true,
            Expression::Or(a, b)
            | Expression::And(a, b)
            | Expression::Equal(a, b)
            | Expression::SameTerm(a, b)
            | Expression::Greater(a, b)
            | Expression::GreaterOrEqual(a, b)
            | Expression::Less(a, b)
            | Expression::LessOrEqual(a, b)
            | Expression::Add(a, b)
            | Expression::Subtract(a, b)
            | Expression::Multiply(a, b)
            | Expression::Divide(a, b) => walk(a, out) && walk(b, out),
            Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => walk(a, out),
            Expression::In(a, list) => walk(a, out) && list.iter().all(|x| walk(x, out)),
            Expression::If(a, b, c) => walk(a, out) && walk(b, out) && walk(c, out),
            Expression::Coalesce(list) | Expression::FunctionCall(_, list) => list.iter().all(|x| walk(x, out)),
            Expression::Exists(_) => false,
        }
    }
    let mut out = HashSet::new();
    walk(e, &mut out).then_some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

    use oxigraph::sparql::{QueryResults, SparqlEvaluator};
    use oxigraph::store::Store;

    use super::*;

    fn store() -> Store {
        crate::query::tests::parameter_hints::store_with(&[
            ("a", "memberOf", "x"),
            ("b", "memberOf", "x"),
            ("c", "memberOf", "y"),
            ("y", "partOf", "x"),
            ("a", "label", "A"),
            ("x", "label", "X"),
            ("b", "code", "X"),
            ("c", "near", "a"),
        ])
    }

    fn pattern(text: &str) -> GraphPattern {
        match spargebra::SparqlParser::new().parse_query(text).unwrap() {
            spargebra::Query::Select { pattern, .. } => pattern,
            _ => panic!("a SELECT"),
        }
    }

    #[test]
    fn only_a_large_compound_optional_side_after_a_smaller_left_is_evaluated_row_by_row() {
        let text = "PREFIX ex: <http://ex.org/> SELECT ?m ?l ?c WHERE { ?m ex:memberOf ?o
                    OPTIONAL { ?m ex:label ?l } OPTIONAL { ?m a ex:Coded ; ex:code ?c } }";
        let counts = |members: u64, labels: u64, coded: u64| Cardinalities {
            properties: [
                ("http://ex.org/memberOf".to_owned(), members),
                ("http://ex.org/label".to_owned(), labels),
                ("http://ex.org/code".to_owned(), u64::MAX),
            ]
            .into_iter()
            .collect(),
            classes: [("http://ex.org/Coded".to_owned(), coded)].into_iter().collect(),
            otherwise: 0,
        };
        let rewritten = |c: Cardinalities| laterals(&with_lateral_optionals(pattern(text), &c));
        // The two-pattern side, large, after fewer members: row by row.
        assert_eq!(rewritten(counts(10, 10, LATERAL_MIN_ROWS)), 1);
        // A single pattern is read whole, however large.
        assert_eq!(rewritten(counts(10, u64::MAX, 10)), 0);
        // A small side, or a left side as large as it: read whole.
        assert_eq!(rewritten(counts(10, 10, LATERAL_MIN_ROWS - 1)), 0);
        assert_eq!(rewritten(counts(LATERAL_MIN_ROWS, 10, LATERAL_MIN_ROWS)), 0);
        // No counts: the plan is oxigraph's.
        assert_eq!(rewritten(Cardinalities::default()), 0);
    }

    /// How many `LATERAL`s a pattern holds.
    fn laterals(p: &GraphPattern) -> usize {
        let own = usize::from(matches!(p, GraphPattern::Lateral { .. }));
        own + crate::query::children(p).into_iter().map(laterals).sum::<usize>()
    }

    fn answers(store: &Store, text: &str, rewrite: bool) -> Vec<String> {
        let query = spargebra::SparqlParser::new().parse_query(text).unwrap();
        match query {
            Query::Select { dataset, pattern, base_iri } if rewrite => {
                solutions(store, Query::Select { dataset, pattern: super::rewrite(pattern, &|_, _| true), base_iri })
            }
            query => solutions(store, query),
        }
    }

    /// The solutions of `query` as sorted lines.
    fn solutions(store: &Store, query: Query) -> Vec<String> {
        let QueryResults::Solutions(rows) = SparqlEvaluator::new().for_query(query).on_store(store).execute().unwrap()
        else {
            panic!("solutions")
        };
        let mut lines: Vec<String> = rows
            .map(|row| row.unwrap().iter().map(|(v, t)| format!("{v}={t}")).collect::<Vec<_>>().join(" "))
            .collect();
        lines.sort();
        lines
    }

    /// Each case: the query, and how many OPTIONALs may be rewritten.
    const CASES: &[(&str, usize)] = &[
        // Labels of a bound variable, with a filter on the optional's own variable.
        ("SELECT ?m ?l WHERE { ?m ex:memberOf ?o OPTIONAL { ?m ex:label ?l FILTER(STR(?l) != \"\") } }", 1),
        // A GRAPH block, a nested OPTIONAL and a BIND of the optional's own variables.
        (
            "SELECT ?o ?m ?x WHERE { ?o ex:label ?ol OPTIONAL { GRAPH ?g { ?m ex:memberOf ?o }
               OPTIONAL { ?m ex:label ?ml } BIND(COALESCE(?ml, STR(?m)) AS ?x) } }",
            2,
        ),
        // A filter in a group inside the optional, on an outer variable that
        // group does not bind: alone it sees ?o unbound and keeps nothing;
        // left as written.
        ("SELECT ?m ?o ?l WHERE { ?m ex:memberOf ?o OPTIONAL { { ?m ex:label ?l FILTER(BOUND(?o)) } } }", 0),
        // A filter of the OPTIONAL's own group is its condition, which sees both
        // sides: rewritten.
        ("SELECT ?m ?o ?l WHERE { ?m ex:memberOf ?o OPTIONAL { ?m ex:label ?l FILTER(BOUND(?o)) } }", 1),
        // A nested OPTIONAL that may bind an outer variable (?o) its left side
        // does not: joined, a different ?o drops the row; the outer one is
        // left as written (the nested one alone is safe).
        ("SELECT ?m ?o ?n WHERE { ?m ex:memberOf ?o OPTIONAL { ?n ex:near ?m OPTIONAL { ?n ex:memberOf ?o } } }", 1),
        // A BIND to an outer variable: left as written.
        ("SELECT ?m ?o WHERE { ?m ex:memberOf ?o OPTIONAL { ?m ex:label ?l BIND(?l AS ?o) } }", 0),
        // Nothing in common with the left side: no anchor, left as written.
        ("SELECT ?m ?l WHERE { ?m ex:memberOf ?o OPTIONAL { ?z ex:label ?l } }", 0),
        // An anchor that the left side binds only sometimes: left as written.
        ("SELECT ?m ?c ?l WHERE { ?m ex:memberOf ?o OPTIONAL { ?m ex:code ?c } OPTIONAL { ?c ex:label ?l } }", 1),
        // Sub-selects and EXISTS inside the optional: left as written.
        (
            "SELECT ?m ?n WHERE { ?m ex:memberOf ?o OPTIONAL { { SELECT ?m (COUNT(*) AS ?n) WHERE { ?m ?p ?v } GROUP BY ?m } } }",
            0,
        ),
        (
            "SELECT ?m ?l WHERE { ?m ex:memberOf ?o OPTIONAL { { ?m ex:label ?l FILTER EXISTS { ?m ex:label ?l } } } }",
            0,
        ),
        // EXISTS as the OPTIONAL's condition sees both sides either way.
        ("SELECT ?m ?l WHERE { ?m ex:memberOf ?o OPTIONAL { ?m ex:label ?l FILTER EXISTS { ?o ex:label ?l } } }", 1),
        // A UNION in the optional, each branch bound by the anchor.
        ("SELECT ?m ?v WHERE { ?m ex:memberOf ?o OPTIONAL { { ?m ex:label ?v } UNION { ?m ex:code ?v } } }", 1),
        // An OPTIONAL inside a sub-select, grouped outside.
        (
            "SELECT ?o (COUNT(?l) AS ?n) WHERE { { SELECT ?o ?m ?l WHERE { ?m ex:memberOf ?o
               OPTIONAL { ?m ex:label ?l } } } } GROUP BY ?o",
            1,
        ),
    ];

    #[test]
    fn the_rewrite_never_changes_the_answers_and_applies_only_where_safe() {
        let store = store();
        for (text, rewritten) in CASES {
            let text = format!("PREFIX ex: <http://ex.org/> {text}");
            let q = rewrite(pattern(&text), &|_, _| true);
            assert_eq!(laterals(&q), *rewritten, "{text}\n{q}");
            let expected = answers(&store, &text, false);
            assert!(!expected.is_empty(), "{text}");
            assert_eq!(answers(&store, &text, true), expected, "{text}");
        }
    }

    /// Every OPTIONAL as `LATERAL`, checks or not.
    fn lateral_everywhere(p: GraphPattern) -> GraphPattern {
        match crate::query::map_children(p, &lateral_everywhere) {
            GraphPattern::LeftJoin { left, right, expression } => row_by_row(left, right, expression),
            other => other,
        }
    }

    #[test]
    fn the_cases_left_as_written_would_change_their_answers() {
        let store = store();
        for text in [
            "SELECT ?m ?o ?l WHERE { ?m ex:memberOf ?o OPTIONAL { { ?m ex:label ?l FILTER(BOUND(?o)) } } }",
            "SELECT ?m ?o ?n WHERE { ?m ex:memberOf ?o OPTIONAL { ?n ex:near ?m OPTIONAL { ?n ex:memberOf ?o } } }",
        ] {
            let text = format!("PREFIX ex: <http://ex.org/> {text}");
            let forced = match spargebra::SparqlParser::new().parse_query(&text).unwrap() {
                Query::Select { dataset, pattern, base_iri } => {
                    solutions(&store, Query::Select { dataset, pattern: lateral_everywhere(pattern), base_iri })
                }
                _ => panic!("a SELECT"),
            };
            assert_ne!(forced, answers(&store, &text, false), "{text}");
        }
    }
}

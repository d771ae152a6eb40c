//! An in-process SHACL validator for the subset of SHACL Core that
//! `ontology/shapes.ttl` uses: targets by class, subjects-of and objects-of;
//! property shapes with a single-IRI path; sh:minCount, sh:maxCount,
//! sh:datatype, sh:class, sh:nodeKind, sh:pattern, sh:in, sh:uniqueLang,
//! sh:minInclusive, sh:hasValue and sh:or of class/datatype shapes.
//!
//! A shapes file that uses anything else is refused with an error naming the
//! feature, so a verdict is never silently partial. The test suite checks the
//! verdicts against pyshacl on the same fixtures.
//!
//! (rudof's `shacl` crates were not adopted: they bring their own RDF model
//! and were not evaluated against oxigraph 0.5. The subset is small enough
//! to interpret directly, without inference, as pyshacl does with
//! `inference = none`.)

use std::collections::{BTreeMap, HashMap, HashSet};

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{Graph, Literal, LiteralRef, NamedNode, NamedNodeRef, Term, TermRef, TripleRef};
use regex::Regex;

use crate::RdfError;

const SH: &str = "http://www.w3.org/ns/shacl#";

/// The project's shapes (`ontology/shapes.ttl`), built into the binary.
pub const BUNDLED_SHAPES: &str = include_str!("../../../ontology/shapes.ttl");

fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

/// The SHACL predicates the validator understands on a shape.
const SUPPORTED: &[&str] = &[
    "targetClass",
    "targetSubjectsOf",
    "targetObjectsOf",
    "property",
    "path",
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "nodeKind",
    "pattern",
    "in",
    "uniqueLang",
    "minInclusive",
    "hasValue",
    "or",
    "message",
    "severity",
    "name",
    "description",
    "order",
    "group",
    "deactivated",
];

#[derive(Debug, Clone)]
enum Constraint {
    MinCount(usize),
    MaxCount(usize),
    Datatype(NamedNode),
    Class(NamedNode),
    NodeKind(NamedNode),
    Pattern(Regex, String),
    In(Vec<Term>),
    UniqueLang,
    MinInclusive(Literal),
    HasValue(Term),
    Or(Vec<Vec<Constraint>>),
}

#[derive(Debug, Clone)]
struct PropertyShape {
    path: NamedNode,
    constraints: Vec<Constraint>,
    message: Option<String>,
}

#[derive(Debug, Clone)]
struct NodeShape {
    id: Term,
    targets: Vec<(&'static str, NamedNode)>,
    constraints: Vec<Constraint>,
    properties: Vec<PropertyShape>,
    message: Option<String>,
    severity: String,
}

/// One violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationResult {
    /// The node that failed.
    pub focus: Term,
    /// The property path, for property shapes.
    pub path: Option<NamedNode>,
    /// The offending value, when there is one.
    pub value: Option<Term>,
    /// The shape's message, or a description of the failed constraint.
    pub message: String,
    /// The shape that failed.
    pub shape: Term,
    /// `Violation`, `Warning` or `Info`.
    pub severity: String,
}

/// A parsed set of shapes.
#[derive(Debug, Clone)]
pub struct Shapes {
    shapes: Vec<NodeShape>,
}

fn objects(g: &Graph, s: &Term, p: &NamedNode) -> Vec<Term> {
    match s {
        Term::NamedNode(n) => g.objects_for_subject_predicate(n, p).map(TermRef::into_owned).collect(),
        Term::BlankNode(b) => g.objects_for_subject_predicate(b, p).map(TermRef::into_owned).collect(),
        _ => Vec::new(),
    }
}

/// A malformed shapes graph: a syntax error of the text `shapes`, which
/// has no single place once parsed.
fn shapes_error(message: impl Into<String>) -> RdfError {
    RdfError::Syntax { origin: "shapes".into(), span: None, message: message.into() }
}

fn list(g: &Graph, head: &Term) -> Result<Vec<Term>, RdfError> {
    let mut out = Vec::new();
    let mut node = head.clone();
    let nil: Term = rdf::NIL.into_owned().into();
    let mut guard = 0;
    while node != nil {
        let first = objects(g, &node, &rdf::FIRST.into_owned());
        let rest = objects(g, &node, &rdf::REST.into_owned());
        match (first.first(), rest.first()) {
            (Some(f), Some(r)) => {
                out.push(f.clone());
                node = r.clone();
            }
            _ => return Err(shapes_error(format!("malformed RDF list at {node}"))),
        }
        guard += 1;
        if guard > 10_000 {
            return Err(shapes_error("RDF list too long or cyclic"));
        }
    }
    Ok(out)
}

fn literal_text(g: &Graph, s: &Term, local: &str) -> Option<String> {
    objects(g, s, &sh(local)).into_iter().find_map(|t| match t {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    })
}

fn count(t: &Term, what: &str) -> Result<usize, RdfError> {
    match t {
        Term::Literal(l) => l.value().parse().map_err(|_| shapes_error(format!("{what} must be an integer"))),
        _ => Err(shapes_error(format!("{what} must be an integer"))),
    }
}

fn named(t: &Term, what: &str) -> Result<NamedNode, RdfError> {
    match t {
        Term::NamedNode(n) => Ok(n.clone()),
        _ => Err(shapes_error(format!("{what} must be an IRI"))),
    }
}

fn check_supported(g: &Graph, s: &Term) -> Result<(), RdfError> {
    let triples: Vec<NamedNode> = match s {
        Term::NamedNode(n) => g.triples_for_subject(n).map(|t| t.predicate.into_owned()).collect(),
        Term::BlankNode(b) => g.triples_for_subject(b).map(|t| t.predicate.into_owned()).collect(),
        _ => Vec::new(),
    };
    for p in triples {
        if let Some(local) = p.as_str().strip_prefix(SH)
            && !SUPPORTED.contains(&local)
        {
            return Err(RdfError::Unsupported(format!(
                "shapes: {s} uses sh:{local}, which this validator does not implement"
            )));
        }
    }
    Ok(())
}

fn constraints(g: &Graph, s: &Term) -> Result<Vec<Constraint>, RdfError> {
    check_supported(g, s)?;
    let mut out = Vec::new();
    for t in objects(g, s, &sh("minCount")) {
        out.push(Constraint::MinCount(count(&t, "sh:minCount")?));
    }
    for t in objects(g, s, &sh("maxCount")) {
        out.push(Constraint::MaxCount(count(&t, "sh:maxCount")?));
    }
    for t in objects(g, s, &sh("datatype")) {
        out.push(Constraint::Datatype(named(&t, "sh:datatype")?));
    }
    for t in objects(g, s, &sh("class")) {
        out.push(Constraint::Class(named(&t, "sh:class")?));
    }
    for t in objects(g, s, &sh("nodeKind")) {
        out.push(Constraint::NodeKind(named(&t, "sh:nodeKind")?));
    }
    if !objects(g, s, &sh("flags")).is_empty() {
        return Err(RdfError::Unsupported("shapes: sh:flags is not implemented".into()));
    }
    for t in objects(g, s, &sh("pattern")) {
        let Term::Literal(l) = t else { return Err(shapes_error("sh:pattern must be a literal")) };
        let re = Regex::new(l.value()).map_err(|e| shapes_error(format!("bad sh:pattern: {e}")))?;
        out.push(Constraint::Pattern(re, l.value().to_owned()));
    }
    for t in objects(g, s, &sh("in")) {
        out.push(Constraint::In(list(g, &t)?));
    }
    for t in objects(g, s, &sh("uniqueLang")) {
        if matches!(&t, Term::Literal(l) if l.value() == "true") {
            out.push(Constraint::UniqueLang);
        }
    }
    for t in objects(g, s, &sh("minInclusive")) {
        let Term::Literal(l) = t else {
            return Err(shapes_error("sh:minInclusive must be a literal"));
        };
        out.push(Constraint::MinInclusive(l));
    }
    for t in objects(g, s, &sh("hasValue")) {
        out.push(Constraint::HasValue(t));
    }
    for t in objects(g, s, &sh("or")) {
        let mut members = Vec::new();
        for m in list(g, &t)? {
            members.push(constraints(g, &m)?);
        }
        out.push(Constraint::Or(members));
    }
    Ok(out)
}

impl Shapes {
    /// Reads shapes from a graph.
    pub fn from_graph(g: &Graph) -> Result<Self, RdfError> {
        let mut ids: Vec<Term> = g
            .subjects_for_predicate_object(rdf::TYPE, sh("NodeShape").as_ref())
            .map(|s| Term::from(s.into_owned()))
            .collect();
        for target in ["targetClass", "targetSubjectsOf", "targetObjectsOf"] {
            for t in g.triples_for_predicate(sh(target).as_ref()) {
                let s = Term::from(t.subject.into_owned());
                if !ids.contains(&s) {
                    ids.push(s);
                }
            }
        }
        ids.sort_by_cached_key(ToString::to_string);
        let mut shapes = Vec::new();
        for id in ids {
            let mut targets = Vec::new();
            for (local, key) in
                [("targetClass", "class"), ("targetSubjectsOf", "subjectsOf"), ("targetObjectsOf", "objectsOf")]
            {
                for t in objects(g, &id, &sh(local)) {
                    targets.push((key, named(&t, local)?));
                }
            }
            let mut properties = Vec::new();
            for p in objects(g, &id, &sh("property")) {
                let paths = objects(g, &p, &sh("path"));
                let [path] = paths.as_slice() else {
                    return Err(shapes_error(format!("property shape of {id} needs exactly one sh:path")));
                };
                let Term::NamedNode(path) = path else {
                    return Err(RdfError::Unsupported(format!("shapes: {id}: only single-IRI paths are implemented")));
                };
                properties.push(PropertyShape {
                    path: path.clone(),
                    constraints: constraints(g, &p)?,
                    message: literal_text(g, &p, "message"),
                });
            }
            let severity = objects(g, &id, &sh("severity"))
                .first()
                .and_then(|t| match t {
                    Term::NamedNode(n) => n.as_str().strip_prefix(SH).map(str::to_owned),
                    _ => None,
                })
                .unwrap_or_else(|| "Violation".to_owned());
            shapes.push(NodeShape {
                constraints: constraints(g, &id)?,
                message: literal_text(g, &id, "message"),
                id,
                targets,
                properties,
                severity,
            });
        }
        Ok(Self { shapes })
    }

    /// Parses shapes from Turtle text.
    pub fn from_turtle(text: &str) -> Result<Self, RdfError> {
        let mut g = Graph::new();
        for t in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle).for_slice(text.as_bytes()) {
            let t = t.map_err(|e| shapes_error(format!("{e}")))?;
            g.insert(&oxigraph::model::Triple::from(t));
        }
        Self::from_graph(&g)
    }

    /// How many node shapes there are.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// Validates a data graph; results are sorted.
    pub fn validate(&self, data: &Graph) -> Vec<ValidationResult> {
        self.validate_triples(data.iter())
    }

    /// Validates the graph of these triples (a triple given twice counts
    /// once); results are sorted. The triples are indexed in hash tables,
    /// so validation takes time in proportion to the data.
    pub fn validate_triples<'a>(&self, triples: impl IntoIterator<Item = TripleRef<'a>>) -> Vec<ValidationResult> {
        let data = DataIndex::new(triples);
        let mut results = Vec::new();
        for shape in &self.shapes {
            let mut focus: Vec<TermRef<'a>> = Vec::new();
            let mut seen = HashSet::new();
            for (kind, iri) in &shape.targets {
                let found: Vec<TermRef<'a>> = match *kind {
                    "class" => data.instances(iri),
                    "subjectsOf" => data.subjects_of(iri.as_ref()),
                    _ => data.objects_of(iri.as_ref()),
                };
                for f in found {
                    if seen.insert(f) {
                        focus.push(f);
                    }
                }
            }
            for &f in &focus {
                let message = shape.message.clone();
                check(&data, &shape.constraints, f, &[f], None, &message, shape, &mut results);
                for p in &shape.properties {
                    let values = data.objects(f, p.path.as_ref());
                    check(&data, &p.constraints, f, values, Some(&p.path), &p.message, shape, &mut results);
                }
            }
        }
        results.sort_by_cached_key(|r| {
            (
                r.focus.to_string(),
                r.path.as_ref().map(ToString::to_string),
                r.value.as_ref().map(ToString::to_string),
                r.message.clone(),
                r.shape.to_string(),
            )
        });
        results.dedup();
        results
    }
}

/// The data graph as the validator reads it: each distinct term numbered
/// once, each distinct triple once, and hash indexes by (subject,
/// predicate), by predicate and by (predicate, object), so that a lookup
/// costs what it returns whatever the size of the data (oxigraph's
/// in-memory `Graph` keeps B-trees: building one was half the time of
/// `validate` at 100k relations, and grew faster than the data).
struct DataIndex<'a> {
    ids: HashMap<TermRef<'a>, usize>,
    objects: HashMap<(usize, usize), Vec<TermRef<'a>>>,
    by_predicate: HashMap<usize, Vec<(TermRef<'a>, TermRef<'a>)>>,
    subjects: HashMap<(usize, usize), Vec<TermRef<'a>>>,
}

impl<'a> DataIndex<'a> {
    fn new(triples: impl IntoIterator<Item = TripleRef<'a>>) -> Self {
        let mut index = Self {
            ids: HashMap::new(),
            objects: HashMap::new(),
            by_predicate: HashMap::new(),
            subjects: HashMap::new(),
        };
        let mut seen = HashSet::new();
        for t in triples {
            let (subject, object) = (TermRef::from(t.subject), t.object);
            let s = index.intern(subject);
            let p = index.intern(t.predicate.into());
            let o = index.intern(object);
            if seen.insert((s, p, o)) {
                index.objects.entry((s, p)).or_default().push(object);
                index.by_predicate.entry(p).or_default().push((subject, object));
                index.subjects.entry((p, o)).or_default().push(subject);
            }
        }
        index
    }

    fn intern(&mut self, term: TermRef<'a>) -> usize {
        let next = self.ids.len();
        *self.ids.entry(term).or_insert(next)
    }

    fn id(&self, term: TermRef<'_>) -> Option<usize> {
        self.ids.get(&term).copied()
    }

    /// The objects of (subject, predicate), each once.
    fn objects(&self, subject: TermRef<'_>, predicate: NamedNodeRef<'_>) -> &[TermRef<'a>] {
        let key = self.id(subject).zip(self.id(predicate.into()));
        key.and_then(|k| self.objects.get(&k)).map_or(&[], Vec::as_slice)
    }

    /// The subjects of (predicate, object), each once.
    fn subjects(&self, predicate: NamedNodeRef<'_>, object: TermRef<'_>) -> &[TermRef<'a>] {
        let key = self.id(predicate.into()).zip(self.id(object));
        key.and_then(|k| self.subjects.get(&k)).map_or(&[], Vec::as_slice)
    }

    fn with_predicate(&self, predicate: NamedNodeRef<'_>) -> &[(TermRef<'a>, TermRef<'a>)] {
        self.id(predicate.into()).and_then(|p| self.by_predicate.get(&p)).map_or(&[], Vec::as_slice)
    }

    fn subjects_of(&self, predicate: NamedNodeRef<'_>) -> Vec<TermRef<'a>> {
        self.with_predicate(predicate).iter().map(|&(s, _)| s).collect()
    }

    fn objects_of(&self, predicate: NamedNodeRef<'_>) -> Vec<TermRef<'a>> {
        self.with_predicate(predicate).iter().map(|&(_, o)| o).collect()
    }

    /// The instances of `class` and of its subclasses, each once.
    fn instances(&self, class: &NamedNode) -> Vec<TermRef<'a>> {
        let mut classes: Vec<TermRef<'_>> = vec![class.as_ref().into()];
        let mut i = 0;
        while let Some(&c) = classes.get(i) {
            for &sub in self.subjects(rdfs::SUB_CLASS_OF, c) {
                if matches!(sub, TermRef::NamedNode(_)) && !classes.contains(&sub) {
                    classes.push(sub);
                }
            }
            i += 1;
        }
        // A set beside the list: a class may have as many instances as the
        // data has relations.
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for &c in &classes {
            for &s in self.subjects(rdf::TYPE, c) {
                if seen.insert(s) {
                    out.push(s);
                }
            }
        }
        out
    }

    /// True when `value` has `class` among its types or their
    /// superclasses. Walks up from the value's own types, so that the
    /// cost does not grow with the number of instances of the class.
    fn has_class(&self, value: TermRef<'_>, class: &NamedNode) -> bool {
        if matches!(value, TermRef::Literal(_)) {
            return false;
        }
        let class = TermRef::from(class.as_ref());
        let mut classes: Vec<TermRef<'a>> = self.objects(value, rdf::TYPE).to_vec();
        let mut seen: HashSet<TermRef<'a>> = classes.iter().copied().collect();
        let mut i = 0;
        while let Some(&c) = classes.get(i) {
            if c == class {
                return true;
            }
            for &sup in self.objects(c, rdfs::SUB_CLASS_OF) {
                if seen.insert(sup) {
                    classes.push(sup);
                }
            }
            i += 1;
        }
        false
    }
}

fn conforms_one(data: &DataIndex<'_>, c: &Constraint, v: TermRef<'_>) -> bool {
    match c {
        Constraint::Datatype(dt) => matches!(v, TermRef::Literal(l) if l.datatype() == dt.as_ref()),
        Constraint::Class(class) => data.has_class(v, class),
        Constraint::NodeKind(kind) => {
            let k = kind.as_str().strip_prefix(SH).unwrap_or("");
            match v {
                TermRef::NamedNode(_) => matches!(k, "IRI" | "BlankNodeOrIRI" | "IRIOrLiteral"),
                TermRef::BlankNode(_) => matches!(k, "BlankNode" | "BlankNodeOrIRI" | "BlankNodeOrLiteral"),
                TermRef::Literal(_) => matches!(k, "Literal" | "BlankNodeOrLiteral" | "IRIOrLiteral"),
                #[allow(unreachable_patterns)]
                _ => false,
            }
        }
        Constraint::Pattern(re, _) => match v {
            TermRef::NamedNode(n) => re.is_match(n.as_str()),
            TermRef::Literal(l) => re.is_match(l.value()),
            _ => false,
        },
        Constraint::In(values) => values.iter().any(|x| x.as_ref() == v),
        Constraint::MinInclusive(min) => match v {
            TermRef::Literal(l) => compare_numbers(l, min.as_ref()).is_some_and(|o| o != std::cmp::Ordering::Less),
            _ => false,
        },
        Constraint::Or(members) => members.iter().any(|m| m.iter().all(|c| conforms_one(data, c, v))),
        Constraint::MinCount(_) | Constraint::MaxCount(_) | Constraint::UniqueLang | Constraint::HasValue(_) => true,
    }
}

fn is_numeric(dt: NamedNodeRef<'_>) -> bool {
    [
        xsd::INTEGER,
        xsd::DECIMAL,
        xsd::DOUBLE,
        xsd::FLOAT,
        xsd::INT,
        xsd::LONG,
        xsd::POSITIVE_INTEGER,
        xsd::NON_NEGATIVE_INTEGER,
    ]
    .contains(&dt)
}

fn compare_numbers(a: LiteralRef<'_>, b: LiteralRef<'_>) -> Option<std::cmp::Ordering> {
    if !is_numeric(a.datatype()) || !is_numeric(b.datatype()) {
        return None;
    }
    let x: f64 = a.value().parse().ok()?;
    let y: f64 = b.value().parse().ok()?;
    x.partial_cmp(&y)
}

fn describe(c: &Constraint) -> String {
    match c {
        Constraint::MinCount(n) => format!("fewer than {n} values"),
        Constraint::MaxCount(n) => format!("more than {n} values"),
        Constraint::Datatype(d) => format!("value is not of datatype {d}"),
        Constraint::Class(c) => format!("value is not an instance of {c}"),
        Constraint::NodeKind(k) => format!("value is not of node kind {k}"),
        Constraint::Pattern(_, p) => format!("value does not match the pattern {p}"),
        Constraint::In(_) => "value is not one of the allowed values".to_owned(),
        Constraint::UniqueLang => "more than one value in the same language".to_owned(),
        Constraint::MinInclusive(m) => format!("value is less than {m}"),
        Constraint::HasValue(v) => format!("missing the value {v}"),
        Constraint::Or(_) => "value conforms to none of the alternatives".to_owned(),
    }
}

#[allow(clippy::too_many_arguments)]
fn check(
    data: &DataIndex<'_>,
    constraints: &[Constraint],
    focus: TermRef<'_>,
    values: &[TermRef<'_>],
    path: Option<&NamedNode>,
    message: &Option<String>,
    shape: &NodeShape,
    out: &mut Vec<ValidationResult>,
) {
    let mut push = |value: Option<Term>, c: &Constraint| {
        out.push(ValidationResult {
            focus: focus.into_owned(),
            path: path.cloned(),
            value,
            message: message.clone().unwrap_or_else(|| describe(c)),
            shape: shape.id.clone(),
            severity: shape.severity.clone(),
        });
    };
    for c in constraints {
        match c {
            Constraint::MinCount(n) if values.len() < *n => push(None, c),
            Constraint::MaxCount(n) if values.len() > *n => push(None, c),
            Constraint::MinCount(_) | Constraint::MaxCount(_) => {}
            Constraint::UniqueLang => {
                let mut by_lang: BTreeMap<String, usize> = BTreeMap::new();
                for v in values {
                    if let TermRef::Literal(l) = v
                        && let Some(lang) = l.language()
                    {
                        *by_lang.entry(lang.to_ascii_lowercase()).or_default() += 1;
                    }
                }
                for (_, n) in by_lang {
                    if n > 1 {
                        push(None, c);
                    }
                }
            }
            Constraint::HasValue(v) => {
                if !values.contains(&v.as_ref()) {
                    push(None, c);
                }
            }
            other => {
                for v in values {
                    if !conforms_one(data, other, *v) {
                        push(Some(v.into_owned()), other);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPES: &str = r#"
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:PersonShape a sh:NodeShape ;
            sh:targetClass ex:Person ;
            sh:property [ sh:path ex:knows ; sh:class ex:Person ; sh:maxCount 1 ] .
    "#;

    fn triples(text: &str) -> Vec<oxigraph::model::Triple> {
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .map(|q| oxigraph::model::Triple::from(q.unwrap()))
            .collect()
    }

    #[test]
    fn a_triple_given_twice_counts_once_and_subclasses_count() {
        let shapes = Shapes::from_turtle(SHAPES).unwrap();
        let data = triples(
            r#"@prefix ex: <http://example.org/> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            ex:Student rdfs:subClassOf ex:Person .
            ex:a a ex:Student ; ex:knows ex:b .
            ex:b a ex:Person ; ex:knows ex:c, ex:a .
            ex:c a ex:Thing ."#,
        );
        // The same triples twice, as the union of two graphs gives them.
        let twice = data.iter().chain(&data).map(oxigraph::model::Triple::as_ref);
        let results = shapes.validate_triples(twice);
        let mut graph = Graph::new();
        for t in &data {
            graph.insert(t);
        }
        assert_eq!(results, shapes.validate(&graph));
        let found: Vec<(String, Option<String>, String)> = results
            .iter()
            .map(|r| (r.focus.to_string(), r.value.as_ref().map(ToString::to_string), r.message.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("<http://example.org/b>".to_owned(), None, "more than 1 values".to_owned()),
                (
                    "<http://example.org/b>".to_owned(),
                    Some("<http://example.org/c>".to_owned()),
                    "value is not an instance of <http://example.org/Person>".to_owned()
                ),
            ]
        );
    }
}

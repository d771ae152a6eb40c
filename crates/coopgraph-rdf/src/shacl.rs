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

use std::collections::{BTreeMap, HashSet};

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef};
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
            _ => return Err(RdfError::Query(format!("shapes: malformed RDF list at {node}"))),
        }
        guard += 1;
        if guard > 10_000 {
            return Err(RdfError::Query("shapes: RDF list too long or cyclic".into()));
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
        Term::Literal(l) => {
            l.value().parse().map_err(|_| RdfError::Query(format!("shapes: {what} must be an integer")))
        }
        _ => Err(RdfError::Query(format!("shapes: {what} must be an integer"))),
    }
}

fn named(t: &Term, what: &str) -> Result<NamedNode, RdfError> {
    match t {
        Term::NamedNode(n) => Ok(n.clone()),
        _ => Err(RdfError::Query(format!("shapes: {what} must be an IRI"))),
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
            return Err(RdfError::Query(format!(
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
        return Err(RdfError::Query("shapes: sh:flags is not implemented".into()));
    }
    for t in objects(g, s, &sh("pattern")) {
        let Term::Literal(l) = t else { return Err(RdfError::Query("shapes: sh:pattern must be a literal".into())) };
        let re = Regex::new(l.value()).map_err(|e| RdfError::Query(format!("shapes: bad sh:pattern: {e}")))?;
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
            return Err(RdfError::Query("shapes: sh:minInclusive must be a literal".into()));
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
                    return Err(RdfError::Query(format!("shapes: property shape of {id} needs exactly one sh:path")));
                };
                let Term::NamedNode(path) = path else {
                    return Err(RdfError::Query(format!("shapes: {id}: only single-IRI paths are implemented")));
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
            let t = t.map_err(|e| RdfError::Query(format!("shapes: {e}")))?;
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
        let mut results = Vec::new();
        for shape in &self.shapes {
            let mut focus: Vec<Term> = Vec::new();
            let mut seen = HashSet::new();
            for (kind, iri) in &shape.targets {
                let found: Vec<Term> = match *kind {
                    "class" => instances(data, iri),
                    "subjectsOf" => {
                        data.triples_for_predicate(iri).map(|t| Term::from(t.subject.into_owned())).collect()
                    }
                    _ => data.triples_for_predicate(iri).map(|t| t.object.into_owned()).collect(),
                };
                for f in found {
                    if seen.insert(f.clone()) {
                        focus.push(f);
                    }
                }
            }
            for f in &focus {
                let message = shape.message.clone();
                check(data, &shape.constraints, f, std::slice::from_ref(f), None, &message, shape, &mut results);
                for p in &shape.properties {
                    let values = objects(data, f, &p.path);
                    check(data, &p.constraints, f, &values, Some(&p.path), &p.message, shape, &mut results);
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

fn instances(data: &Graph, class: &NamedNode) -> Vec<Term> {
    let mut classes = vec![class.clone()];
    let mut i = 0;
    while let Some(c) = classes.get(i).cloned() {
        for sub in data.subjects_for_predicate_object(rdfs::SUB_CLASS_OF, c.as_ref()) {
            if let NamedOrBlankNode::NamedNode(n) = sub.into_owned()
                && !classes.contains(&n)
            {
                classes.push(n);
            }
        }
        i += 1;
    }
    // A set beside the list: a class may have as many instances as the
    // data has relations.
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for c in &classes {
        for s in data.subjects_for_predicate_object(rdf::TYPE, c.as_ref()) {
            let t = Term::from(s.into_owned());
            if seen.insert(t.clone()) {
                out.push(t);
            }
        }
    }
    out
}

/// True when `value` has `class` among its types or their superclasses.
/// Walks up from the value's own types, so that the cost does not grow
/// with the number of instances of the class.
fn has_class(data: &Graph, value: &Term, class: &NamedNode) -> bool {
    let subject = match value {
        Term::NamedNode(n) => NamedOrBlankNodeRef::from(n.as_ref()),
        Term::BlankNode(b) => NamedOrBlankNodeRef::from(b.as_ref()),
        _ => return false,
    };
    let mut classes: Vec<Term> =
        data.objects_for_subject_predicate(subject, rdf::TYPE).map(TermRef::into_owned).collect();
    let mut seen: HashSet<Term> = classes.iter().cloned().collect();
    let mut i = 0;
    while let Some(c) = classes.get(i).cloned() {
        if matches!(&c, Term::NamedNode(n) if n == class) {
            return true;
        }
        let up = match &c {
            Term::NamedNode(n) => Some(NamedOrBlankNodeRef::from(n.as_ref())),
            Term::BlankNode(b) => Some(NamedOrBlankNodeRef::from(b.as_ref())),
            _ => None,
        };
        if let Some(up) = up {
            for sup in data.objects_for_subject_predicate(up, rdfs::SUB_CLASS_OF) {
                let sup = sup.into_owned();
                if seen.insert(sup.clone()) {
                    classes.push(sup);
                }
            }
        }
        i += 1;
    }
    false
}

fn datatype_of(l: &Literal) -> NamedNodeRef<'_> {
    l.datatype()
}

fn conforms_one(data: &Graph, c: &Constraint, v: &Term) -> bool {
    match c {
        Constraint::Datatype(dt) => matches!(v, Term::Literal(l) if datatype_of(l) == dt.as_ref()),
        Constraint::Class(class) => has_class(data, v, class),
        Constraint::NodeKind(kind) => {
            let k = kind.as_str().strip_prefix(SH).unwrap_or("");
            match v {
                Term::NamedNode(_) => matches!(k, "IRI" | "BlankNodeOrIRI" | "IRIOrLiteral"),
                Term::BlankNode(_) => matches!(k, "BlankNode" | "BlankNodeOrIRI" | "BlankNodeOrLiteral"),
                Term::Literal(_) => matches!(k, "Literal" | "BlankNodeOrLiteral" | "IRIOrLiteral"),
                #[allow(unreachable_patterns)]
                _ => false,
            }
        }
        Constraint::Pattern(re, _) => match v {
            Term::NamedNode(n) => re.is_match(n.as_str()),
            Term::Literal(l) => re.is_match(l.value()),
            _ => false,
        },
        Constraint::In(values) => values.contains(v),
        Constraint::MinInclusive(min) => match v {
            Term::Literal(l) => compare_numbers(l, min).is_some_and(|o| o != std::cmp::Ordering::Less),
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

fn compare_numbers(a: &Literal, b: &Literal) -> Option<std::cmp::Ordering> {
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
    data: &Graph,
    constraints: &[Constraint],
    focus: &Term,
    values: &[Term],
    path: Option<&NamedNode>,
    message: &Option<String>,
    shape: &NodeShape,
    out: &mut Vec<ValidationResult>,
) {
    let mut push = |value: Option<Term>, c: &Constraint| {
        out.push(ValidationResult {
            focus: focus.clone(),
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
                    if let Term::Literal(l) = v
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
                if !values.contains(v) {
                    push(None, c);
                }
            }
            other => {
                for v in values {
                    if !conforms_one(data, other, v) {
                        push(Some(v.clone()), other);
                    }
                }
            }
        }
    }
}

//! The ontology as people read it: every class and property of the
//! vocabulary with its labels, comments, super-terms, domain, range and
//! alignments, read from the bundled `ontology/coopgraph.ttl`. Blank nodes
//! (the unions of classes in domains and ranges, the partial-date
//! datatype) are shown inside the term that uses them, never as terms of
//! their own. Every term's anchor on `/ontology` is its local name
//! (`/ontology#memberOf`), which is where every `coop:` link of every page
//! goes.

use std::collections::BTreeMap;

use coopgraph_rdf::oxigraph::model::vocab::{rdf, rdfs};
use coopgraph_rdf::oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use coopgraph_rdf::{Namespaces, QuadSet, vocab};

/// What a domain, range or super-term is: a term, or a union of terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    /// A named class, property or datatype.
    Named(NamedNode),
    /// `owl:unionOf ( ... )`: any of these.
    Union(Vec<NamedNode>),
    /// A blank node of another shape, as written.
    Other(String),
}

/// The group a term is listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Group {
    Class,
    ObjectProperty,
    DatatypeProperty,
    Other,
}

impl Group {
    /// The heading of the group, in English and Chinese.
    pub(crate) fn heading(self) -> (&'static str, &'static str) {
        match self {
            Group::Class => ("Classes", "类"),
            Group::ObjectProperty => ("Object properties", "对象属性"),
            Group::DatatypeProperty => ("Datatype properties", "数据属性"),
            Group::Other => ("Other terms", "其他术语"),
        }
    }
}

/// One class or property of the vocabulary.
#[derive(Debug, Clone)]
pub(crate) struct TermView {
    pub(crate) iri: NamedNode,
    /// The local name: the term's anchor.
    pub(crate) local: String,
    pub(crate) group: Group,
    /// Labels and comments by language.
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) comments: BTreeMap<String, String>,
    /// `rdfs:subClassOf` / `rdfs:subPropertyOf`.
    pub(crate) supers: Vec<Expr>,
    pub(crate) domain: Vec<Expr>,
    pub(crate) range: Vec<Expr>,
    /// Alignments (`skos:exactMatch`, `skos:closeMatch`, `owl:equivalentClass` ...): predicate and target.
    pub(crate) matches: Vec<(NamedNode, NamedNode)>,
    /// The vocabulary's terms that are sub-terms of this one.
    pub(crate) subterms: Vec<NamedNode>,
}

/// The ontology's own description and its terms, in the file's order.
#[derive(Debug, Clone, Default)]
pub(crate) struct OntologyView {
    pub(crate) title: BTreeMap<String, String>,
    pub(crate) description: BTreeMap<String, String>,
    pub(crate) version: Option<String>,
    pub(crate) terms: Vec<TermView>,
}

impl OntologyView {
    /// The term with this local name.
    pub(crate) fn term(&self, local: &str) -> Option<&TermView> {
        self.terms.iter().find(|t| t.local == local)
    }
}

/// Triples by subject, in the file's order.
type BySubject = indexmap::IndexMap<NamedOrBlankNode, Vec<(NamedNode, Term)>>;

/// An OWL term's IRI.
fn owl(local: &str) -> String {
    format!("{}{local}", vocab::OWL)
}

fn by_subject(quads: &QuadSet) -> BySubject {
    let mut out = BySubject::new();
    for q in quads.iter() {
        out.entry(q.subject.clone()).or_default().push((q.predicate.clone(), q.object.clone()));
    }
    out
}

fn values<'a>(props: &'a [(NamedNode, Term)], predicate: &str) -> impl Iterator<Item = &'a Term> + 'a {
    let predicate = predicate.to_owned();
    props.iter().filter(move |(p, _)| p.as_str() == predicate).map(|(_, o)| o)
}

fn by_language(props: &[(NamedNode, Term)], predicate: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for t in values(props, predicate) {
        if let Term::Literal(l) = t {
            out.entry(l.language().unwrap_or("").to_owned()).or_insert_with(|| l.value().to_owned());
        }
    }
    out
}

/// The members of an RDF list, at most 64 (a cycle stops there).
fn list(all: &BySubject, head: &Term) -> Vec<NamedNode> {
    let mut out = Vec::new();
    let mut at = head.clone();
    for _ in 0..64 {
        let Term::BlankNode(b) = &at else { break };
        let Some(props) = all.get(&NamedOrBlankNode::BlankNode(b.clone())) else { break };
        if let Some(Term::NamedNode(n)) = values(props, rdf::FIRST.as_str()).next() {
            out.push(n.clone());
        }
        match values(props, rdf::REST.as_str()).next() {
            Some(next) => at = next.clone(),
            None => break,
        }
    }
    out
}

fn expr(all: &BySubject, t: &Term) -> Expr {
    match t {
        Term::NamedNode(n) => Expr::Named(n.clone()),
        Term::BlankNode(b) => {
            let props = all.get(&NamedOrBlankNode::BlankNode(b.clone()));
            match props.and_then(|p| values(p, &owl("unionOf")).next()) {
                Some(head) => Expr::Union(list(all, head)),
                None => Expr::Other(t.to_string()),
            }
        }
        other => Expr::Other(other.to_string()),
    }
}

/// Reads the ontology's quads into the view; terms are the named subjects
/// in the vocabulary's namespace.
pub(crate) fn view(ns: &Namespaces, quads: &QuadSet) -> OntologyView {
    let all = by_subject(quads);
    let mut out = OntologyView::default();
    let ontology_iri = ns.vocab().trim_end_matches(['#', '/']);
    let skos = |local: &str| format!("{}{local}", vocab::SKOS);
    let alignment: Vec<String> =
        vec![skos("exactMatch"), skos("closeMatch"), owl("equivalentClass"), owl("equivalentProperty")];
    for (subject, props) in &all {
        let NamedOrBlankNode::NamedNode(iri) = subject else { continue };
        if iri.as_str() == ontology_iri {
            out.title = by_language(props, &format!("{}title", vocab::DCTERMS));
            out.description = by_language(props, &format!("{}description", vocab::DCTERMS));
            out.version = values(props, &owl("versionInfo")).next().map(crate::describe::text);
            continue;
        }
        let Some(local) = iri.as_str().strip_prefix(ns.vocab()) else { continue };
        let types: Vec<&str> = values(props, rdf::TYPE.as_str())
            .filter_map(|t| if let Term::NamedNode(n) = t { Some(n.as_str()) } else { None })
            .collect();
        let group = if types.iter().any(|t| *t == owl("Class") || *t == rdfs::CLASS.as_str()) {
            Group::Class
        } else if types.contains(&owl("ObjectProperty").as_str()) {
            Group::ObjectProperty
        } else if types.contains(&owl("DatatypeProperty").as_str()) {
            Group::DatatypeProperty
        } else {
            Group::Other
        };
        let exprs = |p: &str| values(props, p).map(|t| expr(&all, t)).collect::<Vec<_>>();
        let mut supers = exprs(rdfs::SUB_CLASS_OF.as_str());
        supers.extend(exprs(rdfs::SUB_PROPERTY_OF.as_str()));
        let matches = props
            .iter()
            .filter(|(p, _)| alignment.iter().any(|a| a == p.as_str()))
            .filter_map(|(p, o)| if let Term::NamedNode(n) = o { Some((p.clone(), n.clone())) } else { None })
            .collect();
        out.terms.push(TermView {
            iri: iri.clone(),
            local: local.to_owned(),
            group,
            labels: by_language(props, rdfs::LABEL.as_str()),
            comments: by_language(props, rdfs::COMMENT.as_str()),
            supers,
            domain: exprs(rdfs::DOMAIN.as_str()),
            range: exprs(rdfs::RANGE.as_str()),
            matches,
            subterms: Vec::new(),
        });
    }
    let supers: Vec<(NamedNode, Vec<NamedNode>)> = out
        .terms
        .iter()
        .map(|t| {
            let named = t.supers.iter().filter_map(|e| if let Expr::Named(n) = e { Some(n.clone()) } else { None });
            (t.iri.clone(), named.collect())
        })
        .collect();
    for term in &mut out.terms {
        term.subterms = supers.iter().filter(|(_, s)| s.contains(&term.iri)).map(|(t, _)| t.clone()).collect();
    }
    out.terms.sort_by_key(|t| t.group);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> OntologyView {
        let quads = crate::resources::ontology_quads().unwrap();
        view(&Namespaces::default(), &quads)
    }

    #[test]
    fn every_term_has_labels_in_both_languages_and_a_comment() {
        let v = bundled();
        assert!(v.terms.len() > 50, "{}", v.terms.len());
        for t in &v.terms {
            assert!(t.labels.contains_key("en") && t.labels.contains_key("zh"), "{} labels", t.local);
            assert!(t.comments.contains_key("en"), "{} comment", t.local);
        }
        assert!(v.title.contains_key("en"));
    }

    #[test]
    fn unions_in_domains_and_ranges_are_read_as_lists_of_classes() {
        let v = bundled();
        let member_of = v.term("memberOf").unwrap();
        assert_eq!(member_of.group, Group::ObjectProperty);
        let ns = Namespaces::default();
        assert_eq!(member_of.domain, vec![Expr::Union(vec![ns.term("Country"), ns.term("Organization")])]);
        assert_eq!(member_of.range, vec![Expr::Named(ns.term("Organization"))]);
        let start = v.term("start").unwrap();
        assert!(matches!(start.range.first(), Some(Expr::Union(members)) if members.len() == 3), "{:?}", start.range);
        let country = v.term("Country").unwrap();
        assert!(country.subterms.contains(&ns.term("State")));
    }
}

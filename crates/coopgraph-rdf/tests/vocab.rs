//! Every vocabulary term the code writes is defined in ontology/coopgraph.ttl,
//! and the ontology defines no term the code does not use.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::BTreeSet;
use std::path::Path;

use coopgraph_rdf::namespaces::DEFAULT_VOCAB;
use coopgraph_rdf::oxigraph::io::{RdfFormat, RdfParser};
use coopgraph_rdf::vocab::all_terms;

const DEFINING_TYPES: &[&str] = &[
    "http://www.w3.org/2002/07/owl#Class",
    "http://www.w3.org/2002/07/owl#ObjectProperty",
    "http://www.w3.org/2002/07/owl#DatatypeProperty",
    "http://www.w3.org/2002/07/owl#SymmetricProperty",
    "http://www.w3.org/2002/07/owl#FunctionalProperty",
];

fn ontology_terms() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ontology/coopgraph.ttl");
    let text = std::fs::read(&path).unwrap();
    let mut defined = BTreeSet::new();
    for triple in RdfParser::from_format(RdfFormat::Turtle).for_slice(&text) {
        let t = triple.unwrap();
        if t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
            && DEFINING_TYPES.iter().any(|d| t.object.to_string() == format!("<{d}>"))
            && let Some(local) = t.subject.to_string().strip_prefix(&format!("<{DEFAULT_VOCAB}"))
        {
            defined.insert(local.trim_end_matches('>').to_owned());
        }
    }
    defined
}

#[test]
fn code_and_ontology_define_the_same_terms() {
    let code: BTreeSet<String> = all_terms().into_iter().map(str::to_owned).collect();
    let ontology = ontology_terms();
    let undefined: Vec<_> = code.difference(&ontology).collect();
    let unused: Vec<_> = ontology.difference(&code).collect();
    assert!(undefined.is_empty(), "used by the code but not defined in ontology/coopgraph.ttl: {undefined:?}");
    assert!(unused.is_empty(), "defined in ontology/coopgraph.ttl but not used by the code: {unused:?}");
}

#[test]
fn every_term_has_english_and_chinese_labels() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ontology/coopgraph.ttl");
    let text = std::fs::read(&path).unwrap();
    let mut labels: BTreeSet<(String, String)> = BTreeSet::new();
    for triple in RdfParser::from_format(RdfFormat::Turtle).for_slice(&text) {
        let t = triple.unwrap();
        if t.predicate.as_str() == "http://www.w3.org/2000/01/rdf-schema#label"
            && let coopgraph_rdf::oxigraph::model::Term::Literal(l) = &t.object
        {
            labels.insert((t.subject.to_string(), l.language().unwrap_or("").to_owned()));
        }
    }
    for term in all_terms() {
        let s = format!("<{DEFAULT_VOCAB}{term}>");
        for lang in ["en", "zh"] {
            assert!(labels.contains(&(s.clone(), lang.to_owned())), "{term} has no @{lang} label");
        }
    }
}

//! Every export parses back to exactly the mapped quads (no blank nodes are
//! written, so equal sets mean isomorphic graphs), and is byte-identical on a
//! second run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::collections::BTreeSet;
use std::path::Path;

use coopgraph_rdf::oxigraph::io::RdfParser;
use coopgraph_rdf::oxigraph::model::{GraphName, Quad};
use coopgraph_rdf::{ExportFormat, MappingOptions, Namespaces, QuadSet, map_dataset, write_quads};

fn curated() -> QuadSet {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let dataset = coopgraph_load::load_dir(&data).unwrap();
    map_dataset(&dataset, &Namespaces::default(), MappingOptions::default())
}

fn parse(bytes: &[u8], format: ExportFormat) -> BTreeSet<String> {
    RdfParser::from_format(format.rdf_format())
        .for_slice(bytes)
        .map(|q| {
            let q: Quad = q.unwrap_or_else(|e| panic!("{} does not parse back: {e}", format.name()));
            q.to_string()
        })
        .collect()
}

#[test]
fn every_export_parses_back_to_the_dataset() {
    let quads = curated();
    assert!(quads.len() > 3000, "{}", quads.len());
    let ns = Namespaces::default();
    let as_dataset: BTreeSet<String> = quads.iter().map(ToString::to_string).collect();
    let as_union: BTreeSet<String> = quads
        .iter()
        .map(|q| {
            Quad::new(q.subject.clone(), q.predicate.clone(), q.object.clone(), GraphName::DefaultGraph).to_string()
        })
        .collect();
    for format in ExportFormat::ALL {
        let bytes = write_quads(&quads, format, &ns, Vec::new()).unwrap();
        let back = parse(&bytes, format);
        let expected = if format.keeps_graphs() { &as_dataset } else { &as_union };
        let missing: Vec<_> = expected.difference(&back).take(3).collect();
        let extra: Vec<_> = back.difference(expected).take(3).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:#?}, extra {extra:#?}", format.name());
    }
}

#[test]
fn exports_are_byte_identical_on_a_second_run() {
    let ns = Namespaces::default();
    for format in ExportFormat::ALL {
        let a = write_quads(&curated(), format, &ns, Vec::new()).unwrap();
        let b = write_quads(&curated(), format, &ns, Vec::new()).unwrap();
        assert!(a == b, "{} differs between runs", format.name());
    }
}

#[test]
fn turtle_is_readable_with_prefixes() {
    let ns = Namespaces::default();
    let ttl = String::from_utf8(write_quads(&curated(), ExportFormat::Turtle, &ns, Vec::new()).unwrap()).unwrap();
    assert!(ttl.contains("@prefix coop: <https://w3id.org/coopgraph/ontology#> .\n"), "{}", &ttl[..200]);
    assert!(ttl.contains("cg:china a coop:Country"), "subjects are grouped and shortened");
    assert!(ttl.contains("\"中国\"@zh"));
}

#[test]
fn base_and_vocab_are_configurable() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let dataset = coopgraph_load::load_dir(&data).unwrap();
    let ns = Namespaces::new("https://example.org/kg/", "https://example.org/kg/ontology#").unwrap();
    let quads = map_dataset(&dataset, &ns, MappingOptions::default());
    let nt = String::from_utf8(write_quads(&quads, ExportFormat::NTriples, &ns, Vec::new()).unwrap()).unwrap();
    assert!(nt.contains(
        "<https://example.org/kg/china> <https://example.org/kg/ontology#memberOf> <https://example.org/kg/interpol> ."
    ));
    assert!(!nt.contains("w3id.org"));
    assert!(Namespaces::new("not an iri", "https://example.org/o#").is_err());
    assert!(Namespaces::new("https://example.org/kg", "https://example.org/o#").is_err(), "must end with / or #");
}

#[test]
fn without_provenance_only_the_plain_triples_are_written() {
    let files = [(
        "d.toml",
        r#"
[[source]]
id = "doc-1"
title = "t"

[[country]]
id = "country-000001"
label = { en = "Kalostan (officially \"Kalostan Union\")", zh = "卡奥斯坦" }
wikidata = "Q1"

[[organization]]
id = "organization-000001"
label = { en = "Org", zh = "组织" }

[[relation]]
subject = "country-000001"
predicate = "member_of"
object = "organization-000001"
sources = ["doc-1"]
"#,
    )];
    let dataset = coopgraph_load::load_texts(&files, &Default::default()).unwrap();
    let ns = Namespaces::new("https://example.org/kg/", "https://example.org/kg/ontology#").unwrap();
    let quads = map_dataset(&dataset, &ns, MappingOptions { provenance: false });
    let mut lines: Vec<String> = quads.iter().map(|q| format!("{q} .")).collect();
    lines.sort();
    assert_eq!(
        lines,
        vec![
            "<https://example.org/kg/country-000001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/kg/ontology#Country> .",
            "<https://example.org/kg/country-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"Kalostan (officially \\\"Kalostan Union\\\")\"@en .",
            "<https://example.org/kg/country-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"卡奥斯坦\"@zh .",
            "<https://example.org/kg/country-000001> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q1> .",
            "<https://example.org/kg/country-000001> <https://example.org/kg/ontology#memberOf> <https://example.org/kg/organization-000001> .",
            "<https://example.org/kg/organization-000001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/kg/ontology#Organization> .",
            "<https://example.org/kg/organization-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"Org\"@en .",
            "<https://example.org/kg/organization-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"组织\"@zh .",
        ]
    );
}

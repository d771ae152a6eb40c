//! `/.well-known/void` (RFC 8615 well-known URI registered by VoID): the
//! dataset described in VoID and DCAT — size, classes, licence, dumps,
//! SPARQL endpoint and service description — in the RDF format `Accept`
//! asks for (Turtle by default).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use coopgraph_rdf::QuadSet;
use coopgraph_rdf::export::{ExportFormat, write_quads};
use coopgraph_rdf::oxigraph::model::vocab::{rdf, xsd};
use coopgraph_rdf::oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};

use crate::error::HttpError;
use crate::negotiate::choose;
use crate::{AppState, Shared};

const VOID: &str = "http://rdfs.org/ns/void#";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const SD: &str = "http://www.w3.org/ns/sparql-service-description#";

/// The licence of the published data.
pub const LICENCE: &str = "https://creativecommons.org/licenses/by/4.0/";

struct Builder {
    quads: Vec<Quad>,
}

impl Builder {
    fn add(&mut self, s: &NamedNode, p: &str, o: impl Into<Term>) {
        self.quads.push(Quad::new(s.clone(), NamedNode::new_unchecked(p), o.into(), GraphName::DefaultGraph));
    }
}

fn iri(text: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(text)
}

fn count(n: u64) -> Literal {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER)
}

/// The description as quads (default graph).
pub fn description(state: &AppState) -> QuadSet {
    let ns = state.ns();
    let url = &state.config.public_url;
    let snapshot = state.snapshot();
    let s = &snapshot.summary;
    let mut b = Builder { quads: Vec::new() };
    let dataset = iri(ns.base());
    let doc = iri(format!("{url}.well-known/void"));
    let endpoint = iri(format!("{url}sparql"));
    let service = iri(format!("{url}.well-known/void#service"));
    let v = |local: &str| format!("{VOID}{local}");
    let d = |local: &str| format!("{DCAT}{local}");
    let t = |local: &str| format!("{DCT}{local}");

    b.add(&doc, rdf::TYPE.as_str(), iri(format!("{VOID}DatasetDescription")));
    b.add(
        &doc,
        &t("title"),
        Literal::new_language_tagged_literal_unchecked("Description of the coopgraph dataset", "en"),
    );
    b.add(&doc, &format!("{FOAF}primaryTopic"), dataset.clone());

    b.add(&dataset, rdf::TYPE.as_str(), iri(v("Dataset")));
    b.add(&dataset, rdf::TYPE.as_str(), iri(d("Dataset")));
    b.add(
        &dataset,
        &t("title"),
        Literal::new_language_tagged_literal_unchecked(
            "coopgraph: international law-enforcement, judicial and security cooperation",
            "en",
        ),
    );
    b.add(
        &dataset,
        &t("title"),
        Literal::new_language_tagged_literal_unchecked("coopgraph：国际执法、司法与安全合作", "zh"),
    );
    b.add(
        &dataset,
        &t("description"),
        Literal::new_language_tagged_literal_unchecked(
            "Countries, international organizations, operations and treaties, and how they relate, each fact \
             citing the source document and paragraph it comes from; conflicting figures kept with their sources.",
            "en",
        ),
    );
    b.add(&dataset, &t("license"), iri(LICENCE));
    b.add(&dataset, &format!("{FOAF}homepage"), iri(url.as_str()));
    b.add(&dataset, &d("landingPage"), iri(url.as_str()));
    for keyword in ["law enforcement", "judicial cooperation", "security cooperation", "international organizations"] {
        b.add(&dataset, &d("keyword"), Literal::new_language_tagged_literal_unchecked(keyword, "en"));
    }
    b.add(&dataset, &v("sparqlEndpoint"), endpoint.clone());
    b.add(&dataset, &v("uriSpace"), Literal::new_simple_literal(ns.base()));
    b.add(&dataset, &v("vocabulary"), iri(ns.vocab().trim_end_matches('#')));
    for vocabulary in [
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/ns/prov#",
        DCT,
        "http://www.w3.org/2004/02/skos/core#",
    ] {
        b.add(&dataset, &v("vocabulary"), iri(vocabulary));
    }
    b.add(&dataset, &v("triples"), count(s.triples));
    b.add(&dataset, &v("entities"), count(s.entities.iter().map(|(_, n)| n).sum()));
    b.add(&dataset, &v("distinctSubjects"), count(s.distinct_subjects));
    b.add(&dataset, &v("distinctObjects"), count(s.distinct_objects));
    b.add(&dataset, &v("properties"), count(s.properties));
    b.add(&dataset, &v("classes"), count(s.classes));
    if let Some(e) = &s.example {
        b.add(&dataset, &v("exampleResource"), e.clone());
    }
    for (kind, n) in &s.entities {
        let partition = iri(format!("{url}.well-known/void#class-{}", kind.class_name));
        b.add(&dataset, &v("classPartition"), partition.clone());
        b.add(&partition, &v("class"), ns.term(kind.class_name));
        b.add(&partition, &v("entities"), count(*n));
    }
    for (graph, n) in &s.graphs {
        b.add(&dataset, &v("subset"), graph.clone());
        b.add(graph, rdf::TYPE.as_str(), iri(v("Dataset")));
        b.add(graph, &v("triples"), count(*n));
        b.add(graph, &v("sparqlEndpoint"), endpoint.clone());
    }
    for dump in crate::catalog::DUMP_FILES {
        let download = iri(format!("{url}dumps/{}", dump.file));
        b.add(&dataset, &v("dataDump"), download.clone());
        let distribution = iri(format!("{url}.well-known/void#dump-{}", dump.file));
        b.add(&dataset, &d("distribution"), distribution.clone());
        b.add(&distribution, rdf::TYPE.as_str(), iri(d("Distribution")));
        b.add(&distribution, &d("downloadURL"), download);
        b.add(&distribution, &t("title"), Literal::new_language_tagged_literal_unchecked(dump.description, "en"));
        b.add(&distribution, &t("license"), iri(LICENCE));
        let media = dump.format.media_type();
        b.add(&distribution, &d("mediaType"), iri(format!("https://www.iana.org/assignments/media-types/{media}")));
        if dump.gzip {
            b.add(
                &distribution,
                &d("compressFormat"),
                iri("https://www.iana.org/assignments/media-types/application/gzip"),
            );
        }
    }
    // The endpoint as a DCAT data service and a SPARQL service description.
    b.add(&dataset, &d("distribution"), iri(format!("{url}.well-known/void#sparql")));
    let sparql_distribution = iri(format!("{url}.well-known/void#sparql"));
    b.add(&sparql_distribution, rdf::TYPE.as_str(), iri(d("Distribution")));
    b.add(&sparql_distribution, &d("accessURL"), endpoint.clone());
    b.add(&sparql_distribution, &d("accessService"), service.clone());
    b.add(&service, rdf::TYPE.as_str(), iri(d("DataService")));
    b.add(&service, rdf::TYPE.as_str(), iri(format!("{SD}Service")));
    b.add(&service, &d("endpointURL"), endpoint.clone());
    b.add(&service, &d("servesDataset"), dataset.clone());
    b.add(&service, &t("conformsTo"), iri("https://www.w3.org/TR/sparql11-protocol/"));
    b.add(&service, &format!("{SD}endpoint"), endpoint);
    b.add(&service, &format!("{SD}supportedLanguage"), iri(format!("{SD}SPARQL11Query")));
    for format in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ] {
        b.add(&service, &format!("{SD}resultFormat"), iri(format!("http://www.w3.org/ns/formats/{format}")));
    }
    QuadSet::from_quads(b.quads)
}

/// `GET /.well-known/void`.
pub async fn handler(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let offers: Vec<&str> = ExportFormat::DOCUMENTS.iter().map(|f| f.media_type()).collect();
    let Ok(chosen) = choose(accept, &offers) else {
        return HttpError::new(
            StatusCode::NOT_ACCEPTABLE,
            format!("the description is available as {}", offers.join(", ")),
        )
        .into_response();
    };
    let format = ExportFormat::from_media_type(chosen).unwrap_or(ExportFormat::Turtle);
    match write_quads(&description(&state), format, state.ns(), Vec::new()) {
        Ok(body) => ([(header::CONTENT_TYPE, chosen), (header::VARY, "Accept")], body).into_response(),
        Err(e) => HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

//! The view for other graph tools: GraphML (Gephi, yEd, Cytoscape desktop) and
//! Cytoscape.js JSON.

use std::fmt::Write as _;

use coopgraph_model::{Entity, Relation};
use serde_json::{Map, Value, json};

use crate::View;

/// Text safe inside an XML element or a double-quoted attribute.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newlines are not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The attributes of a node: (key, value), only those that are set.
fn node_data(entity: &Entity) -> Vec<(&'static str, String)> {
    let mut data = vec![
        ("kind", entity.kind.name().to_owned()),
        ("category", entity.category.name.to_owned()),
        ("label", entity.label("en").to_owned()),
    ];
    if let Some(l) = entity.label_in("en") {
        data.push(("label_en", l.to_owned()));
    }
    if let Some(l) = entity.label_in("zh") {
        data.push(("label_zh", l.to_owned()));
    }
    if let Some(b) = entity.is_binding() {
        data.push(("binding", b.to_string()));
    }
    data
}

/// The attributes of an edge: (key, value), only those that are set.
fn edge_data(relation: &Relation) -> Vec<(&'static str, String)> {
    let mut data = vec![
        ("relation", relation.relation_type.name.to_owned()),
        ("label", relation.relation_type.label_en.to_owned()),
        ("label_zh", relation.relation_type.label_zh.to_owned()),
    ];
    if let Some(role) = &relation.role {
        data.push(("role", role.clone()));
    }
    let p = &relation.period;
    for (key, date) in [("date", p.date), ("start", p.start), ("end", p.end), ("as_of", p.as_of)] {
        if let Some(d) = date {
            data.push((key, d.to_string()));
        }
    }
    data
}

const NODE_KEYS: [&str; 6] = ["kind", "category", "label", "label_en", "label_zh", "binding"];
const EDGE_KEYS: [&str; 8] = ["relation", "label", "label_zh", "role", "date", "start", "end", "as_of"];

/// The view as GraphML: a directed graph, node ids are entity ids, edge ids
/// `e0`, `e1`... in dataset order; every attribute is a string key.
pub fn to_graphml(view: &View<'_>) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for key in NODE_KEYS {
        let _ = writeln!(out, "  <key id=\"n_{key}\" for=\"node\" attr.name=\"{key}\" attr.type=\"string\"/>");
    }
    for key in EDGE_KEYS {
        let _ = writeln!(out, "  <key id=\"e_{key}\" for=\"edge\" attr.name=\"{key}\" attr.type=\"string\"/>");
    }
    out.push_str("  <graph id=\"coopgraph\" edgedefault=\"directed\">\n");
    for entity in &view.entities {
        let _ = writeln!(out, "    <node id=\"{}\">", xml_escape(entity.id.as_str()));
        for (key, value) in node_data(entity) {
            let _ = writeln!(out, "      <data key=\"n_{key}\">{}</data>", xml_escape(&value));
        }
        out.push_str("    </node>\n");
    }
    for (i, relation) in view.relations.iter().enumerate() {
        let _ = writeln!(
            out,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
            xml_escape(relation.subject.as_str()),
            xml_escape(relation.object.as_str())
        );
        for (key, value) in edge_data(relation) {
            let _ = writeln!(out, "      <data key=\"e_{key}\">{}</data>", xml_escape(&value));
        }
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

fn object(id: &str, data: Vec<(&'static str, String)>, extra: &[(&str, &str)]) -> Value {
    let mut map = Map::new();
    map.insert("id".to_owned(), Value::String(id.to_owned()));
    for (key, value) in extra {
        map.insert((*key).to_owned(), Value::String((*value).to_owned()));
    }
    for (key, value) in data {
        map.insert(key.to_owned(), Value::String(value));
    }
    json!({ "data": map })
}

/// The view as Cytoscape.js JSON: `{"elements": {"nodes": [...], "edges": [...]}}`,
/// each element's attributes under `data`.
pub fn to_cytoscape(view: &View<'_>) -> String {
    let nodes: Vec<Value> = view.entities.iter().map(|e| object(e.id.as_str(), node_data(e), &[])).collect();
    let edges: Vec<Value> = view
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            object(&format!("e{i}"), edge_data(r), &[("source", r.subject.as_str()), ("target", r.object.as_str())])
        })
        .collect();
    let doc = json!({ "elements": { "nodes": nodes, "edges": edges } });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

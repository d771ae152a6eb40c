//! The view for other graph tools: GraphML (Gephi, yEd, Cytoscape desktop) and
//! Cytoscape.js JSON, styled from the palette ([`crate::palette`]) and laid
//! out ([`crate::layout`]) so that each tool draws them labelled and
//! coloured at once:
//!
//! - GraphML carries yEd's node and edge graphics (`y:ShapeNode` with shape,
//!   fill, border, size, label and position; `y:PolyLineEdge` with colour and
//!   arrow), Gephi's attributes (`r`, `g`, `b`, `size`, `x`, `y`, `label`),
//!   and the data: kind, category, labels, binding, relation, role, dates,
//!   IRIs and citations.
//! - Cytoscape.js JSON is `{"elements", "style", "layout": {"name": "preset"}}`,
//!   which `cytoscape({...})` takes as it is: every node has a `position`.

use std::fmt::Write as _;

use coopgraph_model::{Citation, Entity, Relation};
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

/// Links of the exported elements to the RDF, given by the caller (this
/// crate knows nothing of RDF): the IRI of an entity, of a relation's
/// statement node, of a citation.
pub struct Links<'a> {
    /// The IRI of an entity.
    pub entity: &'a dyn Fn(&Entity) -> String,
    /// The IRI of a relation's statement node.
    pub relation: &'a dyn Fn(&Relation) -> Option<String>,
    /// The IRI of a citation.
    pub citation: &'a dyn Fn(&Citation) -> String,
}

/// The citations as written in the data (`000#1@zh 002#11@en`), and their IRIs.
fn citation_data(cites: &[Citation], links: Option<&Links<'_>>, out: &mut Vec<(&'static str, String)>) {
    if cites.is_empty() {
        return;
    }
    out.push(("citations", cites.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")));
    if let Some(l) = links {
        out.push(("citation_iris", cites.iter().map(|c| (l.citation)(c)).collect::<Vec<_>>().join(" ")));
    }
}

/// The attributes of a node: (key, value), only those that are set.
fn node_data(entity: &Entity, links: Option<&Links<'_>>) -> Vec<(&'static str, String)> {
    let style = crate::palette::kind_style(entity.kind);
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
    if let Some(l) = links {
        data.push(("iri", (l.entity)(entity)));
    }
    citation_data(&entity.sources, links, &mut data);
    data.push(("colour", style.fill.to_owned()));
    data.push(("border", style.border.to_owned()));
    data.push(("shape", style.cytoscape_shape.to_owned()));
    data
}

/// The attributes of an edge: (key, value), only those that are set.
fn edge_data(relation: &Relation, links: Option<&Links<'_>>) -> Vec<(&'static str, String)> {
    let (colour, line) = crate::palette::relation_style(relation.relation_type);
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
    if let Some(iri) = links.and_then(|l| (l.relation)(relation)) {
        data.push(("iri", iri));
    }
    citation_data(&relation.sources, links, &mut data);
    data.push(("colour", colour.to_owned()));
    data.push(("line_style", if line == "bold" { "solid".to_owned() } else { line.to_owned() }));
    data
}

const NODE_KEYS: [&str; 12] = [
    "kind",
    "category",
    "label",
    "label_en",
    "label_zh",
    "binding",
    "iri",
    "citations",
    "citation_iris",
    "colour",
    "border",
    "shape",
];
const EDGE_KEYS: [&str; 13] = [
    "relation",
    "label",
    "label_zh",
    "role",
    "date",
    "start",
    "end",
    "as_of",
    "iri",
    "citations",
    "citation_iris",
    "colour",
    "line_style",
];

/// The view as GraphML: a directed graph, node ids are entity ids, edge ids
/// `e0`, `e1`... in dataset order; the data are string keys, Gephi's
/// `r`/`g`/`b`/`size`/`x`/`y` numbers, and yEd's graphics.
pub fn to_graphml(view: &View<'_>, links: Option<&Links<'_>>) -> String {
    let positions = crate::layout::positions(view);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:y=\"http://www.yworks.com/xml/graphml\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd\">\n");
    for key in NODE_KEYS {
        let _ = writeln!(out, "  <key id=\"n_{key}\" for=\"node\" attr.name=\"{key}\" attr.type=\"string\"/>");
    }
    for (key, ty) in [("r", "int"), ("g", "int"), ("b", "int"), ("size", "double"), ("x", "double"), ("y", "double")] {
        let _ = writeln!(out, "  <key id=\"n_{key}\" for=\"node\" attr.name=\"{key}\" attr.type=\"{ty}\"/>");
    }
    out.push_str("  <key id=\"n_graphics\" for=\"node\" yfiles.type=\"nodegraphics\"/>\n");
    for key in EDGE_KEYS {
        let _ = writeln!(out, "  <key id=\"e_{key}\" for=\"edge\" attr.name=\"{key}\" attr.type=\"string\"/>");
    }
    for key in ["r", "g", "b"] {
        let _ = writeln!(out, "  <key id=\"e_{key}\" for=\"edge\" attr.name=\"{key}\" attr.type=\"int\"/>");
    }
    out.push_str("  <key id=\"e_graphics\" for=\"edge\" yfiles.type=\"edgegraphics\"/>\n");
    out.push_str("  <graph id=\"coopgraph\" edgedefault=\"directed\">\n");
    for (i, entity) in view.entities.iter().enumerate() {
        let style = crate::palette::kind_style(entity.kind);
        let (x, y) = positions.get(i).copied().unwrap_or_default();
        let _ = writeln!(out, "    <node id=\"{}\">", xml_escape(entity.id.as_str()));
        for (key, value) in node_data(entity, links) {
            let _ = writeln!(out, "      <data key=\"n_{key}\">{}</data>", xml_escape(&value));
        }
        let (r, g, b) = crate::palette::rgb(style.fill);
        let size = style.size;
        let _ = writeln!(
            out,
            "      <data key=\"n_r\">{r}</data><data key=\"n_g\">{g}</data><data key=\"n_b\">{b}</data><data key=\"n_size\">{size}</data><data key=\"n_x\">{x}</data><data key=\"n_y\">{y}</data>"
        );
        let _ = writeln!(
            out,
            "      <data key=\"n_graphics\"><y:ShapeNode><y:Geometry x=\"{x}\" y=\"{y}\" width=\"{size}\" height=\"{size}\"/><y:Fill color=\"{}\" transparent=\"false\"/><y:BorderStyle color=\"{}\" type=\"line\" width=\"1.0\"/><y:NodeLabel modelName=\"sides\" modelPosition=\"s\">{}</y:NodeLabel><y:Shape type=\"{}\"/></y:ShapeNode></data>",
            style.fill,
            style.border,
            xml_escape(entity.label("en")),
            style.yed_shape
        );
        out.push_str("    </node>\n");
    }
    for (i, relation) in view.relations.iter().enumerate() {
        let (colour, line) = crate::palette::relation_style(relation.relation_type);
        let _ = writeln!(
            out,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">",
            xml_escape(relation.subject.as_str()),
            xml_escape(relation.object.as_str())
        );
        for (key, value) in edge_data(relation, links) {
            let _ = writeln!(out, "      <data key=\"e_{key}\">{}</data>", xml_escape(&value));
        }
        let (r, g, b) = crate::palette::rgb(colour);
        let _ =
            writeln!(out, "      <data key=\"e_r\">{r}</data><data key=\"e_g\">{g}</data><data key=\"e_b\">{b}</data>");
        let (yed_line, width) = match line {
            "dashed" => ("dashed", "1.5"),
            "bold" => ("line", "3.0"),
            _ => ("line", "1.5"),
        };
        let _ = writeln!(
            out,
            "      <data key=\"e_graphics\"><y:PolyLineEdge><y:LineStyle color=\"{colour}\" type=\"{yed_line}\" width=\"{width}\"/><y:Arrows source=\"none\" target=\"standard\"/></y:PolyLineEdge></data>"
        );
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

fn object(id: &str, data: Vec<(&'static str, String)>, extra: &[(&str, Value)]) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("id".to_owned(), Value::String(id.to_owned()));
    for (key, value) in extra {
        map.insert((*key).to_owned(), value.clone());
    }
    for (key, value) in data {
        map.insert(key.to_owned(), Value::String(value));
    }
    map
}

/// The stylesheet of the Cytoscape.js export: labels, and colours, shapes
/// and sizes from each element's data (which the palette filled in).
fn stylesheet() -> Value {
    json!([
        { "selector": "node", "style": {
            "label": "data(label)", "background-color": "data(colour)", "border-color": "data(border)",
            "border-width": 1, "shape": "data(shape)", "width": "data(size)", "height": "data(size)",
            "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "wrap", "text-max-width": 120
        } },
        { "selector": "edge", "style": {
            "line-color": "data(colour)", "target-arrow-color": "data(colour)", "target-arrow-shape": "triangle",
            "curve-style": "bezier", "width": 1.5, "line-style": "data(line_style)", "arrow-scale": 0.8
        } },
        { "selector": "edge:selected", "style": { "label": "data(label)", "font-size": 9 } },
        { "selector": "node:selected", "style": { "border-width": 3 } }
    ])
}

/// The view as Cytoscape.js JSON: `{"elements": {"nodes": [...], "edges":
/// [...]}, "style": [...], "layout": {"name": "preset"}}`, each element's
/// attributes under `data`, each node at its `position`.
pub fn to_cytoscape(view: &View<'_>, links: Option<&Links<'_>>) -> String {
    let positions = crate::layout::positions(view);
    let nodes: Vec<Value> = view
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (x, y) = positions.get(i).copied().unwrap_or_default();
            let size = crate::palette::kind_style(e.kind).size;
            let data = object(e.id.as_str(), node_data(e, links), &[("size", json!(size))]);
            json!({ "data": data, "position": { "x": x, "y": y } })
        })
        .collect();
    let edges: Vec<Value> = view
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let ends = [("source", json!(r.subject.as_str())), ("target", json!(r.object.as_str()))];
            json!({ "data": object(&format!("e{i}"), edge_data(r, links), &ends) })
        })
        .collect();
    let doc = json!({
        "format_version": "1.0",
        "generated_by": "coopgraph",
        "data": { "name": "coopgraph" },
        "elements": { "nodes": nodes, "edges": edges },
        "style": stylesheet(),
        "layout": { "name": "preset" }
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

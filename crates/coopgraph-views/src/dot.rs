//! The view as a Graphviz DOT graph, built with graphviz-rust's `dot_structures`.

use std::collections::{HashMap, HashSet};

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter as _, PrinterContext};

use coopgraph_model::{Entity, EntityKind, RELATION_TYPES, Relation, RelationType};

use crate::View;

/// A font with Latin and CJK glyphs, so that Chinese labels render.
pub const FONT: &str = "Noto Sans CJK SC";

/// Edge colours, indexed by a relation type's position in `RELATION_TYPES`.
const EDGE_COLOURS: [&str; 10] =
    ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/// Edge styles, indexed the same way (cycled more slowly than the colours).
const EDGE_STYLES: [&str; 3] = ["solid", "dashed", "bold"];

/// Label language of a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (falls back to Chinese).
    #[default]
    En,
    /// Chinese (falls back to English).
    Zh,
}

impl Lang {
    /// The language tag (`en`, `zh`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// How to draw a view.
#[derive(Debug, Clone, Default)]
pub struct DotOptions {
    /// Label language.
    pub lang: Lang,
    /// Write the relation type, role and dates on every edge.
    pub edge_labels: bool,
    /// Draw members inside a box of the organization they are a member of
    /// (the first one, in dataset order, when there are several).
    pub cluster_members: bool,
    /// Graph title, drawn above the graph.
    pub title: Option<String>,
}

/// Shape and fill colour of a kind.
fn kind_style(kind: EntityKind) -> (&'static str, &'static str) {
    let spec = kind.spec();
    (spec.dot_shape, spec.dot_fill)
}

/// Colour and style of a relation type, from its position in `RELATION_TYPES`.
fn relation_style(relation_type: &RelationType) -> (&'static str, &'static str) {
    let i = relation_type.index();
    let colour = EDGE_COLOURS.get(i % EDGE_COLOURS.len()).copied().unwrap_or("black");
    let style = EDGE_STYLES.get((i / EDGE_COLOURS.len()) % EDGE_STYLES.len()).copied().unwrap_or("solid");
    (colour, style)
}

/// A quoted DOT string.
fn quoted(text: &str) -> Id {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

fn attr(name: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(name.to_owned()), quoted(value))
}

fn node_id(id: &str) -> NodeId {
    NodeId(quoted(id), None)
}

/// The relation type by which operations are part of a campaign: the one that
/// links an operation to an operation.
fn containment() -> Option<&'static RelationType> {
    RELATION_TYPES.iter().find(|r| r.allows(EntityKind::Operation, EntityKind::Operation))
}

/// The relation type by which countries are members of organizations: the
/// directed one that links a country to an organization.
fn membership() -> Option<&'static RelationType> {
    RELATION_TYPES.iter().find(|r| !r.symmetric && r.allows(EntityKind::Country, EntityKind::Organization))
}

/// The label of a relation type in a language.
fn relation_label(relation_type: &RelationType, lang: Lang) -> &'static str {
    match lang {
        Lang::En => relation_type.label_en,
        Lang::Zh => relation_type.label_zh,
    }
}

fn entity_label(entity: &Entity, lang: Lang) -> &str {
    match lang {
        Lang::En => entity.label("en"),
        Lang::Zh => entity.label_in("zh").unwrap_or_else(|| entity.label("en")),
    }
}

fn kind_label(kind: EntityKind, lang: Lang) -> &'static str {
    match lang {
        Lang::En => kind.spec().label_en,
        Lang::Zh => kind.spec().label_zh,
    }
}

fn entity_node(entity: &Entity, lang: Lang) -> Stmt {
    let (shape, fill) = kind_style(entity.kind);
    let style = if entity.is_binding() == Some(false) { "filled,dashed" } else { "filled" };
    let attributes = vec![
        attr("label", entity_label(entity, lang)),
        attr("shape", shape),
        attr("style", style),
        attr("fillcolor", fill),
        attr("tooltip", &format!("{} ({})", entity.id, entity.category.name)),
    ];
    Stmt::Node(Node::new(node_id(entity.id.as_str()), attributes))
}

fn relation_edge(relation: &Relation, options: &DotOptions) -> Stmt {
    let (colour, style) = relation_style(relation.relation_type);
    let mut attributes = vec![attr("color", colour), attr("style", style)];
    if relation.relation_type.symmetric {
        attributes.push(attr("dir", "none"));
    }
    if options.edge_labels {
        let mut parts = vec![relation_label(relation.relation_type, options.lang).to_owned()];
        if let Some(role) = &relation.role {
            parts.push(role.replace('_', " "));
        }
        if !relation.period.is_empty() {
            parts.push(relation.period.to_string());
        }
        attributes.push(attr("label", &parts.join("\n")));
        attributes.push(attr("fontcolor", colour));
    }
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(Vertex::N(node_id(relation.subject.as_str())), Vertex::N(node_id(relation.object.as_str()))),
        attributes,
    })
}

/// Which cluster (the id of its head entity) each entity of the view is drawn in.
/// Entities and clusters are looked up by id in hash tables, so that the
/// cost grows with the view, not with its square.
fn cluster_heads<'d>(view: &View<'d>, options: &DotOptions) -> Vec<(&'d Entity, Vec<&'d Entity>)> {
    let mut clusters: Vec<(&'d Entity, Vec<&'d Entity>)> = Vec::new();
    let mut cluster_of: HashMap<&'d str, usize> = HashMap::new();
    let mut placed: HashSet<&'d str> = HashSet::new();
    let mut by_id: HashMap<&str, &'d Entity> = HashMap::new();
    for &e in &view.entities {
        by_id.entry(e.id.as_str()).or_insert(e);
    }
    let find = |id: &str| by_id.get(id).copied();
    let mut group = |head: &'d Entity, member: &'d Entity, clusters: &mut Vec<(&'d Entity, Vec<&'d Entity>)>| {
        if head.id == member.id || !placed.insert(member.id.as_str()) {
            return;
        }
        match cluster_of.get(head.id.as_str()).and_then(|&i| clusters.get_mut(i)) {
            Some((_, members)) => members.push(member),
            None => {
                cluster_of.insert(head.id.as_str(), clusters.len());
                clusters.push((head, vec![member]));
            }
        }
    };
    if let Some(part_of) = containment() {
        for relation in view.relations.iter().filter(|r| r.relation_type == part_of) {
            let (Some(part), Some(whole)) = (find(relation.subject.as_str()), find(relation.object.as_str())) else {
                continue;
            };
            if whole.kind == EntityKind::Operation && whole.category.name == "campaign" {
                group(whole, part, &mut clusters);
            }
        }
    }
    if options.cluster_members
        && let Some(member_of) = membership()
    {
        for relation in view.relations.iter().filter(|r| r.relation_type == member_of) {
            let (Some(member), Some(org)) = (find(relation.subject.as_str()), find(relation.object.as_str())) else {
                continue;
            };
            if member.kind == EntityKind::Country {
                group(org, member, &mut clusters);
            }
        }
    }
    // A head that is itself a member of another cluster stays outside its own
    // box's parent; drop members that are heads, so no node is drawn twice.
    let heads: HashSet<&str> = clusters.iter().map(|(h, _)| h.id.as_str()).collect();
    for (_, members) in &mut clusters {
        members.retain(|m| !heads.contains(m.id.as_str()));
    }
    clusters.retain(|(_, members)| !members.is_empty());
    clusters
}

fn legend(view: &View<'_>, lang: Lang) -> Subgraph {
    let title = match lang {
        Lang::En => "Legend",
        Lang::Zh => "图例",
    };
    let mut stmts = vec![
        Stmt::Attribute(attr("label", title)),
        Stmt::Attribute(attr("style", "rounded")),
        Stmt::Attribute(attr("color", "#999999")),
    ];
    for kind in EntityKind::ALL {
        if !view.entities.iter().any(|e| e.kind == kind) {
            continue;
        }
        let (shape, fill) = kind_style(kind);
        stmts.push(Stmt::Node(Node::new(
            node_id(&format!("legend:{}", kind.name())),
            vec![
                attr("label", kind_label(kind, lang)),
                attr("shape", shape),
                attr("style", "filled"),
                attr("fillcolor", fill),
            ],
        )));
    }
    for relation_type in RELATION_TYPES {
        if !view.relations.iter().any(|r| r.relation_type == relation_type) {
            continue;
        }
        let (colour, style) = relation_style(relation_type);
        let from = format!("legend:{}:from", relation_type.name);
        let to = format!("legend:{}:to", relation_type.name);
        for id in [&from, &to] {
            stmts.push(Stmt::Node(Node::new(
                node_id(id),
                vec![attr("label", ""), attr("shape", "point"), attr("width", "0.05")],
            )));
        }
        let mut attributes = vec![
            attr("label", relation_label(relation_type, lang)),
            attr("color", colour),
            attr("fontcolor", colour),
            attr("style", style),
        ];
        if relation_type.symmetric {
            attributes.push(attr("dir", "none"));
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(node_id(&from)), Vertex::N(node_id(&to))),
            attributes,
        }));
    }
    Subgraph { id: Id::Plain("cluster_legend".to_owned()), stmts }
}

/// Draws a view as a DOT digraph: entities in dataset order (operations of a
/// campaign inside its box), then relations in dataset order, then the legend.
pub fn to_graph(view: &View<'_>, options: &DotOptions) -> Graph {
    let font = FONT;
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("fontname", font),
            attr("rankdir", "LR"),
            attr("overlap", "false"),
            attr("splines", "true"),
            attr("nodesep", "0.3"),
            attr("ranksep", "0.8"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![attr("fontname", font), attr("fontsize", "11")])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![attr("fontname", font), attr("fontsize", "9")])),
    ];
    if let Some(title) = &options.title {
        stmts.push(Stmt::Attribute(attr("label", title)));
        stmts.push(Stmt::Attribute(attr("labelloc", "t")));
        stmts.push(Stmt::Attribute(attr("fontsize", "16")));
    }
    let clusters = cluster_heads(view, options);
    let mut head_of: HashMap<&str, usize> = HashMap::new();
    let mut in_cluster: HashSet<&str> = HashSet::new();
    for (i, (head, members)) in clusters.iter().enumerate() {
        head_of.entry(head.id.as_str()).or_insert(i);
        in_cluster.insert(head.id.as_str());
        in_cluster.extend(members.iter().map(|m| m.id.as_str()));
    }
    for entity in &view.entities {
        if let Some((head, members)) = head_of.get(entity.id.as_str()).and_then(|&i| clusters.get(i)) {
            let mut inner = vec![
                Stmt::Attribute(attr("label", "")),
                Stmt::Attribute(attr("style", "rounded,filled")),
                Stmt::Attribute(attr("fillcolor", "#f7f7f7")),
                Stmt::Attribute(attr("color", "#bbbbbb")),
                entity_node(head, options.lang),
            ];
            inner.extend(members.iter().map(|m| entity_node(m, options.lang)));
            stmts.push(Stmt::Subgraph(Subgraph { id: quoted(&format!("cluster_{}", head.id)), stmts: inner }));
        } else if !in_cluster.contains(entity.id.as_str()) {
            stmts.push(entity_node(entity, options.lang));
        }
    }
    stmts.extend(view.relations.iter().map(|r| relation_edge(r, options)));
    if !view.entities.is_empty() {
        stmts.push(Stmt::Subgraph(legend(view, options.lang)));
    }
    Graph::DiGraph { id: Id::Plain("coopgraph".to_owned()), strict: false, stmts }
}

/// The DOT text of a graph, two spaces of indent, one statement a line.
pub fn print(graph: &Graph) -> String {
    let mut ctx = PrinterContext::default();
    ctx.with_semi();
    let mut text = graph.print(&mut ctx);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Draws a view as DOT text.
pub fn to_dot(view: &View<'_>, options: &DotOptions) -> String {
    print(&to_graph(view, options))
}

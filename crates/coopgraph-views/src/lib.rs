//! Views of the coopgraph graph for people who draw graphs: a [`Selection`]
//! of entities and relations, drawn as Graphviz DOT (kinds as shapes and
//! colours, relation types as edge colours, a legend, operations boxed with
//! their campaign), rendered to SVG, PNG or PDF by Graphviz `dot`, or written
//! as GraphML and Cytoscape.js JSON for other tools.
//!
//! The crate knows nothing of RDF: a selection made by a SPARQL query arrives
//! as plain (subject id, relation type name, object id) triples.
//!
//! ```
//! use coopgraph_model::Dataset;
//! use coopgraph_views::{DotOptions, Selection, to_dot};
//!
//! let dataset = Dataset::default();
//! let view = Selection::new().with_kinds(vec![coopgraph_model::EntityKind::Country]).apply(&dataset);
//! let dot = to_dot(&view, &DotOptions::default());
//! assert!(dot.starts_with("digraph coopgraph {"));
//! assert!(dot.contains("Noto Sans CJK SC"));
//! ```

#![deny(missing_docs)]

pub mod curated;
pub mod dot;
pub mod export;
pub mod layout;
pub mod palette;
pub mod render;
pub mod selection;

pub use curated::{CURATED_VIEWS, CuratedView};
pub use dot::{DotOptions, FONT, Lang, to_dot, to_graph};
pub use export::{Links, to_cytoscape, to_graphml};
pub use render::{INSTALL_HINT, ImageFormat, graphviz_available, render};
pub use selection::{LARGE_VIEW, Selection, Triple, View};

/// Why a view could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// Graphviz `dot` is not installed.
    #[error("Graphviz `dot` was not found on the PATH; install it with `{INSTALL_HINT}`")]
    GraphvizMissing,
    /// Graphviz failed.
    #[error("Graphviz `dot` failed: {0}")]
    Graphviz(String),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use coopgraph_model::{
        Citation, Dataset, Entity, EntityId, EntityKind, LangTag, PartialDate, Relation, RelationType, SourceId,
    };

    use super::*;

    fn entity(id: &str, kind: EntityKind, category: &str) -> Entity {
        Entity {
            id: EntityId::new(id).unwrap(),
            kind,
            category: kind.category(category).unwrap(),
            labels: [(LangTag::en(), id.to_uppercase()), (LangTag::zh(), format!("中{id}"))].into_iter().collect(),
            aliases: Default::default(),
            wikidata: None,
            description: None,
            binding: None,
            ordinal: None,
            period: Default::default(),
            sources: Vec::new(),
            origin: None,
        }
    }

    fn relation(s: &str, p: &str, o: &str, source: &str) -> Relation {
        Relation {
            subject: EntityId::new(s).unwrap(),
            relation_type: RelationType::from_name(p).unwrap(),
            object: EntityId::new(o).unwrap(),
            role: None,
            period: Default::default(),
            note: None,
            implied: false,
            sources: vec![Citation { source: SourceId::new(source).unwrap(), paragraph: Some(1), lang: None }],
            origin: None,
        }
    }

    fn dataset() -> Dataset {
        use EntityKind::*;
        let mut d = Dataset::default();
        for (id, kind, cat) in [
            ("china", Country, "state"),
            ("canada", Country, "state"),
            ("interpol", Organization, "international_organization"),
            ("op", Operation, "joint_operation"),
            ("campaign", Operation, "campaign"),
            ("decl", Treaty, "declaration"),
        ] {
            d.entities.insert(EntityId::new(id).unwrap(), entity(id, kind, cat));
        }
        let mut dated = relation("china", "participated_in", "op", "002");
        dated.period.date = PartialDate::ymd(2015, 4, 1);
        dated.role = Some("lead \"x\"".to_owned());
        d.relations = vec![
            relation("china", "member_of", "interpol", "001"),
            relation("canada", "member_of", "interpol", "001"),
            dated,
            relation("op", "part_of", "campaign", "001"),
            relation("china", "signed_with", "decl", "001"),
        ];
        d
    }

    fn ids<'d>(view: &View<'d>) -> Vec<&'d str> {
        view.entities.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn empty_selection_keeps_everything() {
        let d = dataset();
        let view = Selection::new().apply(&d);
        assert_eq!(view.entities.len(), 6);
        assert_eq!(view.relations.len(), 5);
    }

    #[test]
    fn filters_combine() {
        let d = dataset();
        let view = Selection::new().with_kinds(vec![EntityKind::Country, EntityKind::Organization]).apply(&d);
        assert_eq!(ids(&view), ["china", "canada", "interpol"]);
        assert_eq!(view.relations.len(), 2);
        let member_of = RelationType::from_name("member_of").unwrap();
        let view = Selection::new().with_relations(vec![member_of]).apply(&d);
        assert_eq!(ids(&view), ["china", "canada", "interpol"]);
        let view = Selection::new().with_focus("op", 1).apply(&d);
        assert_eq!(ids(&view), ["china", "op", "campaign"]);
        let view = Selection::new().with_source("002").apply(&d);
        assert_eq!(ids(&view), ["china", "op"]);
        let view = Selection::new().with_since(PartialDate::ymd(2015, 1, 1).unwrap()).apply(&d);
        assert_eq!(view.relations.len(), 1);
        let view =
            Selection::new().with_triples([("op".to_owned(), "part_of".to_owned(), "campaign".to_owned())]).apply(&d);
        assert_eq!(ids(&view), ["op", "campaign"]);
    }

    #[test]
    fn dot_has_styles_clusters_legend_and_escapes() {
        let d = dataset();
        let view = Selection::new().apply(&d);
        let dot = to_dot(&view, &DotOptions { edge_labels: true, ..DotOptions::default() });
        assert!(dot.contains("subgraph \"cluster_campaign\""), "{dot}");
        assert!(dot.contains("subgraph cluster_legend"), "{dot}");
        assert!(dot.contains("lead \\\"x\\\""), "{dot}");
        assert!(dot.contains("2015-04-01"), "{dot}");
        assert!(dot.contains("filled,dashed"), "{dot}");
        assert_eq!(dot.matches("\"op\"[label").count(), 1, "{dot}");
        let zh = to_dot(&view, &DotOptions { lang: Lang::Zh, ..DotOptions::default() });
        assert!(zh.contains("中china"), "{zh}");
        assert_eq!(to_dot(&view, &DotOptions::default()), to_dot(&view, &DotOptions::default()));
    }

    #[test]
    fn members_cluster_in_their_organization() {
        let d = dataset();
        let view = Selection::new().apply(&d);
        let dot = to_dot(&view, &DotOptions { cluster_members: true, ..DotOptions::default() });
        assert!(dot.contains("subgraph \"cluster_interpol\""), "{dot}");
    }

    #[test]
    fn exports_escape_and_count() {
        let mut d = dataset();
        if let Some(e) = d.entities.get_mut("decl") {
            e.labels.insert(LangTag::en(), "A & <B>".to_owned());
        }
        let view = Selection::new().apply(&d);
        let xml = to_graphml(&view, None);
        assert!(xml.contains("A &amp; &lt;B&gt;"));
        assert_eq!(xml.matches("<node ").count(), 6);
        assert_eq!(xml.matches("<edge ").count(), 5);
        let json: serde_json::Value = serde_json::from_str(&to_cytoscape(&view, None)).unwrap();
        assert_eq!(json["elements"]["nodes"].as_array().unwrap().len(), 6);
        assert_eq!(json["elements"]["edges"][2]["data"]["role"], "lead \"x\"");
    }

    #[test]
    fn exports_carry_styles_positions_iris_and_citations() {
        let d = dataset();
        let view = Selection::new().apply(&d);
        let entity = |e: &Entity| format!("https://example.org/{}", e.id);
        let relation = |r: &Relation| Some(format!("https://example.org/statement/{}.{}", r.subject, r.object));
        let citation = |c: &Citation| format!("https://example.org/source/{}", c.source);
        let links = Links { entity: &entity, relation: &relation, citation: &citation };
        let json: serde_json::Value = serde_json::from_str(&to_cytoscape(&view, Some(&links))).unwrap();
        assert_eq!(json["layout"]["name"], "preset");
        assert!(json["style"].as_array().unwrap().iter().any(|s| s["style"]["label"] == "data(label)"));
        let china = &json["elements"]["nodes"][0];
        assert_eq!(china["data"]["id"], "china");
        assert_eq!(china["data"]["colour"], palette::kind_style(EntityKind::Country).fill);
        assert_eq!(china["data"]["shape"], "ellipse");
        assert_eq!(china["data"]["iri"], "https://example.org/china");
        assert!(china["position"]["x"].is_number() && china["position"]["y"].is_number());
        let edge = &json["elements"]["edges"][0]["data"];
        assert!(edge["iri"].as_str().unwrap().starts_with("https://example.org/statement/"));
        assert!(edge["citation_iris"].as_str().unwrap().starts_with("https://example.org/source/"));
        assert!(edge["colour"].as_str().unwrap().starts_with('#'));
        let positions: std::collections::BTreeSet<String> = json["elements"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| format!("{},{}", n["position"]["x"], n["position"]["y"]))
            .collect();
        assert_eq!(positions.len(), 6, "every node has its own place");
        let xml = to_graphml(&view, Some(&links));
        for needle in [
            "yfiles.type=\"nodegraphics\"",
            "<y:ShapeNode>",
            "<y:Shape type=\"ellipse\"/>",
            "attr.name=\"r\"",
            "<y:LineStyle color=\"#",
        ] {
            assert!(xml.contains(needle), "GraphML lacks {needle}");
        }
        assert_eq!(to_graphml(&view, Some(&links)), xml, "the same view gives the same bytes");
    }

    #[test]
    fn hidden_entities_and_hubs_are_left_out_and_not_passed_through() {
        let d = dataset();
        let around = |s: Selection| ids(&s.apply(&d)).into_iter().map(str::to_owned).collect::<Vec<_>>();
        let all = around(Selection::new());
        let hidden = around(Selection::new().with_hidden(["china".to_owned()]));
        assert!(!hidden.contains(&"china".to_owned()) && hidden.len() == all.len() - 1);
        let max = d.relations.iter().filter(|r| r.subject.as_str() == "china" || r.object.as_str() == "china").count();
        let hubs = around(Selection::new().with_max_degree(max - 1));
        assert!(!hubs.contains(&"china".to_owned()), "{hubs:?}");
        // The focus is kept even when it is a hub, and its neighbourhood is not reached through a hidden entity.
        let focus = around(Selection::new().with_focus("china", 1).with_max_degree(0));
        assert_eq!(focus, vec!["china".to_owned()]);
    }
}

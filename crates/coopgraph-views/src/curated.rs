//! The views `coopgraph build` draws for reports.

use coopgraph_model::{Dataset, RelationType};

use crate::Selection;

/// A named view of the graph, drawn by `coopgraph build` into `out/views/`.
#[derive(Debug)]
pub struct CuratedView {
    /// File stem (`mekong` gives `mekong.dot` and `mekong.svg`).
    pub name: &'static str,
    /// Title drawn above the graph.
    pub title: &'static str,
    /// Entity to centre on and how far to go, if any.
    pub focus: Option<(&'static str, usize)>,
    /// Relation types to keep (by data-file name); empty keeps all.
    pub relations: &'static [&'static str],
}

/// The curated views, in file-name order.
pub static CURATED_VIEWS: &[CuratedView] = &[
    CuratedView {
        name: "anti-corruption",
        title: "Sky Net and the anti-corruption campaigns",
        focus: Some(("sky_net", 1)),
        relations: &[],
    },
    CuratedView {
        name: "mekong",
        title: "Mekong River joint patrols",
        focus: Some(("mekong_joint_patrol", 1)),
        relations: &[],
    },
    CuratedView { name: "memberships", title: "Memberships", focus: None, relations: &["member_of"] },
];

impl CuratedView {
    /// The selection of this view, or `None` when the dataset lacks its
    /// focus entity (a small fixture, say).
    pub fn selection(&self, dataset: &Dataset) -> Option<Selection> {
        let mut selection = Selection::new();
        if let Some((id, depth)) = self.focus {
            dataset.entity(id)?;
            selection = selection.with_focus(id, depth);
        }
        if !self.relations.is_empty() {
            selection =
                selection.with_relations(self.relations.iter().filter_map(|r| RelationType::from_name(r)).collect());
        }
        Some(selection)
    }
}

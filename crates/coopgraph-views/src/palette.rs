//! The one palette of every view: each kind's shape, colours and size, each
//! relation type's colour and line style. DOT, GraphML (yEd and Gephi) and
//! Cytoscape.js JSON all read it, so a graph looks the same in each tool.

use coopgraph_model::{EntityKind, RelationType};

/// How the entities of one kind are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindStyle {
    /// Graphviz shape (`ellipse`, `box`, `hexagon`, `note`, `house`, ...).
    pub dot_shape: &'static str,
    /// yEd's `y:Shape` type (`ellipse`, `roundrectangle`, `hexagon`, `rectangle`).
    pub yed_shape: &'static str,
    /// Cytoscape.js `shape` (`ellipse`, `round-rectangle`, `hexagon`, `rectangle`).
    pub cytoscape_shape: &'static str,
    /// Fill colour, `#rrggbb`.
    pub fill: &'static str,
    /// Border colour, `#rrggbb`: the kind's strong colour, also used for its
    /// dots on the server's pages and drawings.
    pub border: &'static str,
    /// Node diameter in points (yEd, Gephi and Cytoscape.js sizes).
    pub size: u32,
}

/// The style of a kind.
pub fn kind_style(kind: EntityKind) -> KindStyle {
    match kind {
        EntityKind::Country => KindStyle {
            dot_shape: "ellipse",
            yed_shape: "ellipse",
            cytoscape_shape: "ellipse",
            fill: "#cfe2f3",
            border: "#3d85c6",
            size: 40,
        },
        EntityKind::Organization => KindStyle {
            dot_shape: "box",
            yed_shape: "roundrectangle",
            cytoscape_shape: "round-rectangle",
            fill: "#d9ead3",
            border: "#6aa84f",
            size: 36,
        },
        EntityKind::Operation => KindStyle {
            dot_shape: "hexagon",
            yed_shape: "hexagon",
            cytoscape_shape: "hexagon",
            fill: "#fce5cd",
            border: "#e69138",
            size: 30,
        },
        EntityKind::Treaty => KindStyle {
            dot_shape: "note",
            yed_shape: "rectangle",
            cytoscape_shape: "rectangle",
            fill: "#ead1dc",
            border: "#a64d79",
            size: 26,
        },
        EntityKind::Place => KindStyle {
            dot_shape: "house",
            yed_shape: "trapezoid",
            cytoscape_shape: "tag",
            fill: "#d0e0e3",
            border: "#45818e",
            size: 26,
        },
        EntityKind::Incident => KindStyle {
            dot_shape: "octagon",
            yed_shape: "octagon",
            cytoscape_shape: "octagon",
            fill: "#f4cccc",
            border: "#cc0000",
            size: 26,
        },
        EntityKind::Group => KindStyle {
            dot_shape: "diamond",
            yed_shape: "diamond",
            cytoscape_shape: "diamond",
            fill: "#d9d2e9",
            border: "#674ea7",
            size: 28,
        },
    }
}

/// Edge colours, indexed by a relation type's position in `RELATION_TYPES`:
/// the ten of Tableau 10, then ten darker ones, so that up to twenty relation
/// types differ by colour alone (the server's drawings use no line styles).
const EDGE_COLOURS: [&str; 20] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#0b3d91", "#a05000", "#135e13", "#7f1010", "#4b2c7a", "#4d2e24", "#99336f", "#333333", "#6b6b00", "#0b6a75",
];

/// Edge styles, indexed the same way (cycled more slowly than the colours).
const EDGE_STYLES: [&str; 3] = ["solid", "dashed", "bold"];

/// Colour and Graphviz line style of a relation type, from its position in
/// `RELATION_TYPES` (never from its name).
pub fn relation_style(relation_type: &RelationType) -> (&'static str, &'static str) {
    let i = relation_type.index();
    let colour = EDGE_COLOURS.get(i % EDGE_COLOURS.len()).copied().unwrap_or("#000000");
    let style = EDGE_STYLES.get((i / EDGE_COLOURS.len()) % EDGE_STYLES.len()).copied().unwrap_or("solid");
    (colour, style)
}

/// The red, green and blue of `#rrggbb` (Gephi reads colours as `r`, `g`, `b`).
/// Anything but `#rrggbb` is black.
pub fn rgb(colour: &str) -> (u8, u8, u8) {
    if colour.len() != 7 || !colour.starts_with('#') {
        return (0, 0, 0);
    }
    let byte = |i: usize| colour.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0);
    (byte(1), byte(3), byte(5))
}

#[cfg(test)]
mod tests {
    use super::*;
    use coopgraph_model::RELATION_TYPES;

    #[test]
    fn kinds_differ_and_relation_types_have_distinct_colours() {
        let fills: Vec<&str> = EntityKind::ALL.iter().map(|k| kind_style(*k).fill).collect();
        let mut distinct = fills.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), fills.len());
        let mut borders: Vec<&str> = EntityKind::ALL.iter().map(|k| kind_style(*k).border).collect();
        borders.sort_unstable();
        borders.dedup();
        assert_eq!(borders.len(), EntityKind::ALL.len());
        // Colour alone tells relation types apart (the server draws no line styles).
        let mut colours: Vec<&str> = RELATION_TYPES.iter().map(|t| relation_style(t).0).collect();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), RELATION_TYPES.len());
        assert_eq!(rgb("#1f77b4"), (0x1f, 0x77, 0xb4));
        assert_eq!(rgb("bad"), (0, 0, 0));
    }
}

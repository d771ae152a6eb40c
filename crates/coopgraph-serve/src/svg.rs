//! A small SVG of an entity's neighbourhood: the entity in the middle, the
//! entities it is related to on a circle around it, edges coloured by
//! relation type. Drawn on the server, deterministic, links without script.

use std::fmt::Write as _;

/// A neighbour to draw.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Neighbour {
    pub(crate) href: String,
    pub(crate) label: String,
    pub(crate) kind_class: String,
    pub(crate) relation: String,
    pub(crate) outgoing: bool,
}

/// At most this many neighbours are drawn; the page lists them all.
pub(crate) const MAX_NEIGHBOURS: usize = 20;

/// Colour of an entity kind (by class name): its strong colour in the views'
/// palette, the same as the DOT, GraphML and Cytoscape.js exports.
pub(crate) fn kind_colour(class: &str) -> &'static str {
    coopgraph_model::schema::KINDS
        .iter()
        .find(|k| k.class_name == class)
        .map_or("#7f7f7f", |k| coopgraph_views::palette::kind_style(k.kind).border)
}

/// Colour of a relation type, from the views' palette.
pub(crate) fn relation_colour(relation_type: &coopgraph_model::RelationType) -> &'static str {
    coopgraph_views::palette::relation_style(relation_type).0
}

fn escape(text: &str) -> String {
    // maud's escaping, the same as every other page's text.
    maud::html! { (text) }.into_string()
}

fn shorten(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= 24 { label.to_owned() } else { format!("{}…", chars.iter().take(23).collect::<String>()) }
}

/// The SVG markup. `colour_of` gives an edge's colour from its relation name.
pub(crate) fn neighbourhood(
    center_label: &str,
    center_class: &str,
    neighbours: &[Neighbour],
    colour_of: impl Fn(&str) -> &'static str,
) -> String {
    let (width, height) = (760.0_f64, 440.0_f64);
    let (cx, cy) = (width / 2.0, height / 2.0);
    // An ellipse: the page is wider than tall, and labels run sideways.
    let (rx, ry) = (185.0_f64, 160.0_f64);
    let shown: Vec<&Neighbour> = neighbours.iter().take(MAX_NEIGHBOURS).collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="neighbourhood" viewBox="0 0 {width} {height}" role="img" aria-label="Neighbourhood of {}">"#,
        escape(center_label)
    );
    let n = shown.len().max(1) as f64;
    let mut nodes = String::new();
    for (i, nb) in shown.iter().enumerate() {
        let angle = -std::f64::consts::FRAC_PI_2 + (i as f64) * std::f64::consts::TAU / n;
        let (x, y) = (cx + rx * angle.cos(), cy + ry * angle.sin());
        let colour = colour_of(&nb.relation);
        let dash = if nb.outgoing { "" } else { r#" stroke-dasharray="5 3""# };
        let _ = write!(
            svg,
            r#"<line x1="{cx:.1}" y1="{cy:.1}" x2="{x:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="2"{dash}><title>{}</title></line>"#,
            escape(&nb.relation)
        );
        let anchor = if angle.cos() < -0.2 {
            "end"
        } else if angle.cos() > 0.2 {
            "start"
        } else {
            "middle"
        };
        // Labels near the top and bottom go above or below their node.
        let (tx, ty) = if angle.cos().abs() <= 0.2 {
            (x, if angle.sin() < 0.0 { y - 12.0 } else { y + 20.0 })
        } else {
            (x + 11.0 * angle.cos().signum(), y + 4.0)
        };
        let _ = write!(
            nodes,
            r#"<a href="{}"><circle cx="{x:.1}" cy="{y:.1}" r="7" fill="{}"/><text x="{tx:.1}" y="{ty:.1}" text-anchor="{anchor}">{}</text></a>"#,
            escape(&nb.href),
            kind_colour(&nb.kind_class),
            escape(&shorten(&nb.label))
        );
    }
    svg.push_str(&nodes);
    let _ = write!(
        svg,
        r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="11" fill="{}"/><text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-weight="bold" stroke="#fff" stroke-width="4" paint-order="stroke">{}</text>"##,
        kind_colour(center_class),
        cy + 27.0,
        escape(&shorten(center_label))
    );
    if neighbours.len() > shown.len() {
        let _ = write!(
            svg,
            r#"<text x="8" y="{:.1}">+ {} more (listed below)</text>"#,
            height - 8.0,
            neighbours.len() - shown.len()
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb(label: &str) -> Neighbour {
        Neighbour {
            href: format!("/page/{label}"),
            label: label.to_owned(),
            kind_class: "Organization".into(),
            relation: "member of".into(),
            outgoing: true,
        }
    }

    #[test]
    fn draws_every_neighbour_with_a_link() {
        let svg = neighbourhood("China", "Country", &[nb("interpol"), nb("sco")], |_| "#000");
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<line").count(), 2);
        assert!(svg.contains(r#"href="/page/interpol""#));
        assert!(svg.contains(">China</text>"));
    }

    #[test]
    fn escapes_labels_and_caps_the_count() {
        let many: Vec<Neighbour> = (0..30).map(|i| nb(&format!("o{i}"))).collect();
        let svg = neighbourhood("A <b>&", "Country", &many, |_| "#000");
        assert!(svg.contains("A &lt;b&gt;&amp;"));
        assert_eq!(svg.matches("<line").count(), MAX_NEIGHBOURS);
        assert!(svg.contains("+ 10 more"));
    }
}

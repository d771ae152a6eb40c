//! Positions for the graph exports, so that yEd, Gephi and Cytoscape.js
//! show a laid-out graph at once (Cytoscape's `preset` layout): a
//! Fruchterman-Reingold spring layout from positions on a circle, with a
//! fixed number of rounds, so the same view always gets the same
//! positions. Above [`SPRING_LIMIT`] nodes the circle is kept (the spring
//! rounds grow with the square of the nodes).

use std::collections::HashMap;

use crate::View;

/// Views of more nodes than this keep their positions on the circle.
pub const SPRING_LIMIT: usize = 2000;

const ROUNDS: usize = 150;

/// The position of each entity of `view`, in its order, in points, with
/// the origin at the top left.
pub fn positions(view: &View<'_>) -> Vec<(f64, f64)> {
    let n = view.entities.len();
    if n == 0 {
        return Vec::new();
    }
    // Room for a node of about 60 points each.
    let side = 60.0 * (n as f64).sqrt() * 2.0;
    let radius = side / 2.5;
    let mut at: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let angle = std::f64::consts::TAU * i as f64 / n as f64;
            (radius * angle.cos(), radius * angle.sin())
        })
        .collect();
    if n > 1 && n <= SPRING_LIMIT {
        let index: HashMap<&str, usize> = view.entities.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
        let edges: Vec<(usize, usize)> = view
            .relations
            .iter()
            .filter_map(|r| Some((*index.get(r.subject.as_str())?, *index.get(r.object.as_str())?)))
            .filter(|(a, b)| a != b)
            .collect();
        let k = (side * side / n as f64).sqrt() * 0.5;
        let mut temperature = side / 10.0;
        for _ in 0..ROUNDS {
            let mut moved = vec![(0.0f64, 0.0f64); n];
            for (i, &(xi, yi)) in at.iter().enumerate() {
                for (j, &(xj, yj)) in at.iter().enumerate().skip(i + 1) {
                    let (dx, dy) = (xi - xj, yi - yj);
                    let d = (dx * dx + dy * dy).sqrt().max(0.01);
                    let push = k * k / d;
                    let (fx, fy) = (dx / d * push, dy / d * push);
                    if let Some(m) = moved.get_mut(i) {
                        m.0 += fx;
                        m.1 += fy;
                    }
                    if let Some(m) = moved.get_mut(j) {
                        m.0 -= fx;
                        m.1 -= fy;
                    }
                }
            }
            for &(a, b) in &edges {
                let (Some(&(xa, ya)), Some(&(xb, yb))) = (at.get(a), at.get(b)) else { continue };
                let (dx, dy) = (xa - xb, ya - yb);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let pull = d * d / k;
                let (fx, fy) = (dx / d * pull, dy / d * pull);
                if let Some(m) = moved.get_mut(a) {
                    m.0 -= fx;
                    m.1 -= fy;
                }
                if let Some(m) = moved.get_mut(b) {
                    m.0 += fx;
                    m.1 += fy;
                }
            }
            for (p, (mx, my)) in at.iter_mut().zip(moved) {
                let length = (mx * mx + my * my).sqrt().max(0.01);
                let step = length.min(temperature);
                p.0 += mx / length * step;
                p.1 += my / length * step;
            }
            temperature *= 0.96;
        }
    }
    // Shift to the top left, rounded to a tenth of a point (stable text).
    let min_x = at.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let min_y = at.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    at.into_iter()
        .map(|(x, y)| (((x - min_x) * 10.0).round() / 10.0 + 40.0, ((y - min_y) * 10.0).round() / 10.0 + 40.0))
        .collect()
}

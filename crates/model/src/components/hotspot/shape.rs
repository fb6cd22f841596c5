//! The shape of a hotspot region and the point-in-shape test used in grading.
//!
//! Coordinates are image-relative: `x` runs from 0 (left edge) to 1 (right edge) and `y` from
//! 0 (top edge) to 1 (bottom edge), whatever the image's pixel size, so regions survive a
//! resized or replaced image.
//!
//! The point-in-shape test, which the JavaScript player repeats with the same arithmetic in
//! the same order (both use IEEE 754 doubles), counts the boundary as inside:
//!
//! - rectangle: `x <= px && px <= x + width && y <= py && py <= y + height`;
//! - ellipse: with `dx = (px - cx) / rx` and `dy = (py - cy) / ry`, inside when
//!   `dx * dx + dy * dy <= 1`;
//! - polygon: inside when the point lies on an edge, or else by the even-odd rule. On an edge
//!   means a squared distance of at most `1e-18` (a distance of 1e-9) from the segment `a → b`:
//!   with `d = b - a`, `t = clamp(((p - a) · d) / (d · d), 0, 1)` (`t = 0` when `d · d == 0`),
//!   `q = a + t d`, test `(px - qx)² + (py - qy)² <= 1e-18`. The even-odd rule casts a ray to
//!   the right: for each edge from point `j = i - 1` (the last point for `i = 0`) to point `i`,
//!   the ray crosses it when `(yi > py) != (yj > py)` and
//!   `px < (xj - xi) * (py - yi) / (yj - yi) + xi`; an odd number of crossings is inside.

use crate::validation::{Issues, Pointer, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Slack for sums such as `x + width` that should land exactly on an edge of the image.
const EDGE_SLACK: f64 = 1e-9;
/// A polygon with less area than this (as a fraction of the image) has none.
const MIN_POLYGON_AREA: f64 = 1e-9;
/// Squared distance from an edge within which a point counts as on the polygon's boundary.
const ON_EDGE: f64 = 1e-18;

/// The outline of a region, in image-relative coordinates from 0 to 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Shape {
    /// An axis-aligned rectangle.
    Rectangle {
        /// Left edge, from 0 (image left) to 1 (image right).
        #[serde(default)]
        x: f64,
        /// Top edge, from 0 (image top) to 1 (image bottom).
        #[serde(default)]
        y: f64,
        /// Width as a fraction of the image's width.
        #[serde(default)]
        width: f64,
        /// Height as a fraction of the image's height.
        #[serde(default)]
        height: f64,
    },
    /// An axis-aligned ellipse (a circle on a square image when `rx == ry`).
    Ellipse {
        /// Centre, from 0 (image left) to 1 (image right).
        #[serde(default)]
        cx: f64,
        /// Centre, from 0 (image top) to 1 (image bottom).
        #[serde(default)]
        cy: f64,
        /// Horizontal radius as a fraction of the image's width.
        #[serde(default)]
        rx: f64,
        /// Vertical radius as a fraction of the image's height.
        #[serde(default)]
        ry: f64,
    },
    /// A polygon through the points in order, closed back to the first.
    Polygon {
        /// Corners as `[x, y]`, each from 0 to 1.
        #[serde(default)]
        points: Vec<[f64; 2]>,
    },
}

impl Shape {
    /// Records every problem with the shape; `at` points at the shape.
    pub(super) fn validate(&self, at: &Pointer, issues: &mut Issues) {
        match *self {
            Self::Rectangle {
                x,
                y,
                width,
                height,
            } => {
                let x_ok = coordinate(issues, &at.key("x"), "x", x, Axis::Horizontal);
                let y_ok = coordinate(issues, &at.key("y"), "y", y, Axis::Vertical);
                if size(issues, &at.key("width"), Problem::WidthNotPositive, width)
                    && x_ok
                    && x + width > 1.0 + EDGE_SLACK
                {
                    issues.push(&at.key("width"), Problem::RectanglePastRightEdge);
                }
                let height_ok = size(
                    issues,
                    &at.key("height"),
                    Problem::HeightNotPositive,
                    height,
                );
                if height_ok && y_ok && y + height > 1.0 + EDGE_SLACK {
                    issues.push(&at.key("height"), Problem::RectanglePastBottomEdge);
                }
            }
            Self::Ellipse { cx, cy, rx, ry } => {
                let cx_ok = coordinate(issues, &at.key("cx"), "cx", cx, Axis::Horizontal);
                let cy_ok = coordinate(issues, &at.key("cy"), "cy", cy, Axis::Vertical);
                if size(issues, &at.key("rx"), Problem::RadiusXNotPositive, rx)
                    && cx_ok
                    && (cx - rx < -EDGE_SLACK || cx + rx > 1.0 + EDGE_SLACK)
                {
                    issues.push(&at.key("rx"), Problem::EllipsePastSideEdge);
                }
                if size(issues, &at.key("ry"), Problem::RadiusYNotPositive, ry)
                    && cy_ok
                    && (cy - ry < -EDGE_SLACK || cy + ry > 1.0 + EDGE_SLACK)
                {
                    issues.push(&at.key("ry"), Problem::EllipsePastTopOrBottomEdge);
                }
            }
            Self::Polygon { ref points } => {
                let at = at.key("points");
                let mut inside = true;
                for (i, [x, y]) in points.iter().copied().enumerate() {
                    if !(0.0..=1.0).contains(&x) || !(0.0..=1.0).contains(&y) {
                        inside = false;
                        issues.push(&at.index(i), Problem::PointOutsideImage { x, y });
                    }
                }
                if points.len() < 3 {
                    issues.push(&at, Problem::PolygonNeedsThreePoints);
                } else if inside && polygon_area(points) < MIN_POLYGON_AREA {
                    issues.push(&at, Problem::PolygonHasNoArea);
                }
            }
        }
    }

    /// True when the image-relative point `(px, py)` is inside the shape or on its boundary.
    pub fn contains(&self, px: f64, py: f64) -> bool {
        match *self {
            Self::Rectangle {
                x,
                y,
                width,
                height,
            } => x <= px && px <= x + width && y <= py && py <= y + height,
            Self::Ellipse { cx, cy, rx, ry } => {
                let dx = (px - cx) / rx;
                let dy = (py - cy) / ry;
                dx * dx + dy * dy <= 1.0
            }
            Self::Polygon { ref points } => {
                on_boundary(points, px, py) || crosses_odd_times(points, px, py)
            }
        }
    }
}

/// The direction a coordinate runs in.
enum Axis {
    /// From 0 at the left edge to 1 at the right edge.
    Horizontal,
    /// From 0 at the top edge to 1 at the bottom edge.
    Vertical,
}

/// Checks a coordinate lies on the image; returns whether it does.
fn coordinate(issues: &mut Issues, at: &Pointer, name: &str, value: f64, axis: Axis) -> bool {
    let ok = (0.0..=1.0).contains(&value);
    if !ok {
        let coordinate = name.to_string();
        issues.push(
            at,
            match axis {
                Axis::Horizontal => Problem::HorizontalOutsideImage { coordinate, value },
                Axis::Vertical => Problem::VerticalOutsideImage { coordinate, value },
            },
        );
    }
    ok
}

/// Checks a size is positive; returns whether it is. `not_positive` says which size it is.
fn size(issues: &mut Issues, at: &Pointer, not_positive: Problem, value: f64) -> bool {
    let ok = value > 0.0;
    if !ok {
        issues.push(at, not_positive);
    }
    ok
}

/// The polygon's area by the shoelace formula.
fn polygon_area(points: &[[f64; 2]]) -> f64 {
    let mut twice = 0.0;
    for (i, [x1, y1]) in points.iter().copied().enumerate() {
        let [x2, y2] = points[(i + 1) % points.len()];
        twice += x1 * y2 - x2 * y1;
    }
    (twice / 2.0).abs()
}

fn on_boundary(points: &[[f64; 2]], px: f64, py: f64) -> bool {
    let n = points.len();
    (0..n).any(|i| {
        let [ax, ay] = points[if i == 0 { n - 1 } else { i - 1 }];
        let [bx, by] = points[i];
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 == 0.0 {
            0.0
        } else {
            (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
        };
        let (qx, qy) = (ax + t * dx, ay + t * dy);
        (px - qx) * (px - qx) + (py - qy) * (py - qy) <= ON_EDGE
    })
}

fn crosses_odd_times(points: &[[f64; 2]], px: f64, py: f64) -> bool {
    let n = points.len();
    let mut inside = false;
    for i in 0..n {
        let [xi, yi] = points[i];
        let [xj, yj] = points[if i == 0 { n - 1 } else { i - 1 }];
        if (yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(shape: &Shape) -> Vec<String> {
        let mut issues = Issues::new();
        shape.validate(&Pointer::root().key("shape"), &mut issues);
        issues.into_vec().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn rectangle_and_ellipse_include_their_boundary() {
        let r = Shape::Rectangle {
            x: 0.2,
            y: 0.2,
            width: 0.3,
            height: 0.1,
        };
        assert!(r.contains(0.2, 0.25) && r.contains(0.5, 0.3) && r.contains(0.3, 0.22));
        assert!(!r.contains(0.51, 0.25) && !r.contains(0.3, 0.19));
        let e = Shape::Ellipse {
            cx: 0.5,
            cy: 0.5,
            rx: 0.25,
            ry: 0.125,
        };
        assert!(e.contains(0.75, 0.5) && e.contains(0.5, 0.375) && e.contains(0.6, 0.55));
        // Inside the bounding box but outside the ellipse.
        assert!(!e.contains(0.72, 0.6));
    }

    #[test]
    fn polygon_uses_even_odd_and_counts_edges_and_corners_as_inside() {
        // A concave "L": the notch at the top right is outside.
        let l = Shape::Polygon {
            points: vec![
                [0.1, 0.1],
                [0.3, 0.1],
                [0.3, 0.4],
                [0.6, 0.4],
                [0.6, 0.6],
                [0.1, 0.6],
            ],
        };
        assert!(l.contains(0.2, 0.2) && l.contains(0.5, 0.5));
        assert!(!l.contains(0.5, 0.2));
        assert!(l.contains(0.6, 0.5) && l.contains(0.45, 0.4) && l.contains(0.3, 0.1));
        assert!(!l.contains(0.6 + 1e-6, 0.5));
    }

    #[test]
    fn shapes_must_fit_the_image_and_have_an_area() {
        let r = Shape::Rectangle {
            x: 0.8,
            y: -0.1,
            width: 0.3,
            height: 0.0,
        };
        assert_eq!(
            problems(&r),
            [
                "/shape/y: y is -0.1, outside the image; it runs from 0 (top edge) to 1 (bottom edge)",
                "/shape/width: the rectangle runs past the right edge of the image",
                "/shape/height: the height must be greater than zero"
            ]
        );
        // Edges that land on the image's edge after rounding are fine.
        assert_eq!(
            problems(&Shape::Rectangle {
                x: 0.7,
                y: 0.9,
                width: 0.3,
                height: 0.1
            }),
            Vec::<String>::new()
        );
        let e = Shape::Ellipse {
            cx: 0.1,
            cy: 0.5,
            rx: 0.2,
            ry: -1.0,
        };
        assert_eq!(
            problems(&e),
            [
                "/shape/rx: the ellipse runs past the left or right edge of the image",
                "/shape/ry: the vertical radius must be greater than zero"
            ]
        );
        let line = Shape::Polygon {
            points: vec![[0.1, 0.1], [0.2, 0.2], [0.3, 0.3]],
        };
        assert_eq!(
            problems(&line),
            ["/shape/points: the polygon has no area: its points lie on one line"]
        );
        let two = Shape::Polygon {
            points: vec![[0.1, 0.1], [1.5, 0.2]],
        };
        assert_eq!(
            problems(&two),
            [
                "/shape/points/1: the point (1.5, 0.2) is outside the image; both coordinates run from 0 to 1",
                "/shape/points: a polygon needs at least three points"
            ]
        );
    }
}

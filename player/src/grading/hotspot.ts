// HOTSPOT grading: crates/model/src/components/hotspot.rs (`Graded for HotspotPayload`) and the
// point-in-shape test of hotspot/shape.rs, with the same arithmetic in the same order.
import type { Grade, ItemFeedback, Outcome } from "@ui/generated/ipc";
import type { Filled, PayloadOf } from "@ui/schema";
import { fromItems, item, listOf, mapOf, number, readGraded, readResponse, text, wrongForm, written } from "./shared";
import type { Reader } from "./shared";
import { isBlank, normalize } from "./text";

type Hotspot = Filled<PayloadOf<"HOTSPOT">>;
type Region = Hotspot["regions"][number];
type Shape = NonNullable<Region["shape"]>;
type Point = [number, number];
type Response = { visited: string[]; labels: Map<string, string>; clicks: Point[] };

/** hotspot.rs `SAME_LABEL`: case does not count, accents do. */
const SAME_LABEL = { case_sensitive: false, accent_sensitive: true };
/** shape.rs `ON_EDGE`: a squared distance of 1e-18 from an edge is on it. */
const ON_EDGE = 1e-18;

/** A `[f64; 2]`: a list of exactly two numbers. */
const point: Reader<Point> = (value, at) => {
  if (!Array.isArray(value) || value.length !== 2) throw wrongForm(at, "a point [x, y]", value);
  return [number(value[0] ?? null, `${at}/0`), number(value[1] ?? null, `${at}/1`)];
};

/** shape.rs `on_boundary`: within 1e-9 of an edge (the closing edge included). */
function onBoundary(points: number[][], px: number, py: number): boolean {
  return points.some((b, i) => {
    const a = points[i === 0 ? points.length - 1 : i - 1] ?? [];
    const [ax = NaN, ay = NaN] = a;
    const [bx = NaN, by = NaN] = b;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.min(Math.max(((px - ax) * dx + (py - ay) * dy) / len2, 0), 1);
    const qx = ax + t * dx;
    const qy = ay + t * dy;
    return (px - qx) * (px - qx) + (py - qy) * (py - qy) <= ON_EDGE;
  });
}

/** shape.rs `crosses_odd_times`: the even-odd rule (PNPOLY). */
function crossesOddTimes(points: number[][], px: number, py: number): boolean {
  let inside = false;
  points.forEach((p, i) => {
    const [xi = NaN, yi = NaN] = p;
    const [xj = NaN, yj = NaN] = points[i === 0 ? points.length - 1 : i - 1] ?? [];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  });
  return inside;
}

/** shape.rs `Shape::contains`: the boundary counts as inside. */
export function contains(shape: Shape, px: number, py: number): boolean {
  switch (shape.kind) {
    case "rectangle":
      return shape.x <= px && px <= shape.x + shape.width && shape.y <= py && py <= shape.y + shape.height;
    case "ellipse": {
      const dx = (px - shape.cx) / shape.rx;
      const dy = (py - shape.cy) / shape.ry;
      return dx * dx + dy * dy <= 1;
    }
    case "polygon":
      return onBoundary(shape.points, px, py) || crossesOddTimes(shape.points, px, py);
  }
}

/** hotspot.rs `HotspotPayload::items`: an item per region judged (`null`: no item), carrying the
 * region's feedback when the learner answered it. */
function items(hotspot: Hotspot, judge: (region: Region, i: number) => Outcome | null): ItemFeedback[] {
  const out: ItemFeedback[] = [];
  hotspot.regions.forEach((region, i) => {
    const outcome = judge(region, i);
    if (outcome === null) return;
    const feedback = outcome === "unanswered" ? [] : written(region.feedback);
    out.push(item(`/regions/${i}`, outcome, outcome === "correct" ? 1 : 0, 1, feedback));
  });
  return out;
}

/** hotspot.rs `HotspotPayload::grade`: by the payload's mode. Rust reads (and type-checks)
 * every field of the response, whatever the mode. */
export function gradeHotspot(payload: unknown, response: unknown): Grade {
  const hotspot = readGraded("HOTSPOT", payload, 1);
  const { visited, labels, clicks } = readResponse<Response>("HOTSPOT", response, {
    visited: listOf(text),
    labels: mapOf(text),
    clicks: listOf(point),
  });
  switch (hotspot.mode) {
    case "explore": {
      // `grade_explore`: 1 point per region opened.
      const opened = new Set(visited);
      return fromItems(items(hotspot, (region) => (opened.has(region.id) ? "correct" : "unanswered")));
    }
    case "label":
      // `grade_label`: the label given against the region's, under SAME_LABEL.
      return fromItems(
        items(hotspot, (region) => {
          const given = labels.get(region.id);
          if (given === undefined || isBlank(given)) return "unanswered";
          return normalize(given, SAME_LABEL) === normalize(region.label, SAME_LABEL) ? "correct" : "incorrect";
        }),
      );
    case "find": {
      // `grade_find`: a click hits the last region that contains it; wrong regions hit are items too.
      const hit = new Set<number>();
      for (const [x, y] of clicks) {
        for (let i = hotspot.regions.length - 1; i >= 0; i--) {
          const shape = hotspot.regions[i]?.shape;
          if (shape && contains(shape, x, y)) {
            hit.add(i);
            break;
          }
        }
      }
      return fromItems(
        items(hotspot, (region, i) => {
          if (region.correct) return hit.has(i) ? "correct" : "unanswered";
          return hit.has(i) ? "incorrect" : null;
        }),
      );
    }
  }
}

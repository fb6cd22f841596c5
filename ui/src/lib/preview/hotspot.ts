// Where to "click" a region chosen in find mode. The response of find mode is a list of click
// points, and the grading (hotspot.rs) gives each point to the last region containing it; so a
// region selected by keyboard or mouse is answered with a point inside it that no later
// (overlying) region covers. This picks points; it does not score them.
import type { HotspotRegion, Shape as ShapeOf } from "../generated/ipc";
import type { Filled } from "../schema";

type Shape = Filled<ShapeOf>;

/** Whether `shape` contains the point, boundary included (as hotspot/shape.rs). */
export function contains(shape: Shape, px: number, py: number): boolean {
  switch (shape.kind) {
    case "rectangle":
      return shape.x <= px && px <= shape.x + shape.width && shape.y <= py && py <= shape.y + shape.height;
    case "ellipse": {
      const dx = (px - shape.cx) / shape.rx;
      const dy = (py - shape.cy) / shape.ry;
      return dx * dx + dy * dy <= 1;
    }
    case "polygon": {
      let inside = false;
      const pts = shape.points;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i] as [number, number];
        const [xj, yj] = pts[j] as [number, number];
        if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }
  }
}

function bounds(shape: Shape): { x0: number; y0: number; x1: number; y1: number } {
  switch (shape.kind) {
    case "rectangle":
      return { x0: shape.x, y0: shape.y, x1: shape.x + shape.width, y1: shape.y + shape.height };
    case "ellipse":
      return { x0: shape.cx - shape.rx, y0: shape.cy - shape.ry, x1: shape.cx + shape.rx, y1: shape.cy + shape.ry };
    case "polygon": {
      const xs = shape.points.map((p) => p[0]);
      const ys = shape.points.map((p) => p[1]);
      if (xs.length === 0) return { x0: 0, y0: 0, x1: 0, y1: 0 };
      return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
    }
  }
}

/** The middle of a shape: the centre of its bounds. */
export function centre(shape: Shape): [number, number] {
  const b = bounds(shape);
  return [(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2];
}

const GRID = 24;

/** A point inside region `index` that no later region covers, nearest its centre. */
export function anchor(regions: readonly Filled<HotspotRegion>[], index: number): [number, number] | null {
  const shape = regions[index]?.shape;
  if (!shape) return null;
  const later = regions.slice(index + 1).flatMap((r) => (r.shape ? [r.shape] : []));
  const free = (x: number, y: number) => contains(shape, x, y) && !later.some((s) => contains(s, x, y));
  const [cx, cy] = centre(shape);
  if (free(cx, cy)) return [cx, cy];
  const b = bounds(shape);
  let best: [number, number] | null = null;
  let bestDistance = Infinity;
  for (let i = 0; i <= GRID; i++) {
    for (let j = 0; j <= GRID; j++) {
      const x = b.x0 + ((b.x1 - b.x0) * (i + 0.5)) / (GRID + 1);
      const y = b.y0 + ((b.y1 - b.y0) * (j + 0.5)) / (GRID + 1);
      const distance = (x - cx) ** 2 + (y - cy) ** 2;
      if (distance < bestDistance && free(x, y)) {
        best = [x, y];
        bestDistance = distance;
      }
    }
  }
  return best;
}

// Pure geometry of the hotspot region editor: shapes in image-relative coordinates (0–1),
// clamped to the image and rounded to 4 decimals, as crates/model/src/components/hotspot/shape.rs
// validates them (inside the image, sizes greater than zero).
import type { HotspotRegion, Shape } from "../generated/ipc";

export type Point = { x: number; y: number };
export type Rectangle = Extract<Shape, { kind: "rectangle" }>;
export type Ellipse = Extract<Shape, { kind: "ellipse" }>;
export type Polygon = Extract<Shape, { kind: "polygon" }>;
export type Corner = "nw" | "ne" | "sw" | "se";
/** Which radius an ellipse handle changes. */
export type Radius = "rx" | "ry";

/** The smallest width, height or diameter the editor makes: 1% of the image. */
export const MIN_SIZE = 0.01;
/** A drag shorter than this in both directions is a click: it draws a box of DEFAULT_SIZE. */
export const CLICK_SLOP = 0.005;
/** The size of the box a click in draw mode makes. */
export const DEFAULT_SIZE = 0.1;
/** How far one arrow key press moves or resizes a region. */
export const STEP = 0.01;

export function round4(value: number): number {
  const rounded = Math.round(value * 10_000) / 10_000;
  return Object.is(rounded, -0) ? 0 : rounded;
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

export function clamp01(value: number): number {
  return clamp(value, 0, 1);
}

/** The point of a pointer event in image-relative coordinates of the box `rect`, clamped. */
export function toImagePoint(clientX: number, clientY: number, rect: DOMRectReadOnly | DOMRect): Point {
  const x = rect.width > 0 ? (clientX - rect.left) / rect.width : 0;
  const y = rect.height > 0 ? (clientY - rect.top) / rect.height : 0;
  return { x: clamp01(x), y: clamp01(y) };
}

/** A rectangle from its edges: clamped to the image, rounded, at least MIN_SIZE each way. */
export function rectFromEdges(left: number, top: number, right: number, bottom: number): Rectangle {
  let l = clamp01(Math.min(left, right));
  let r = clamp01(Math.max(left, right));
  let t = clamp01(Math.min(top, bottom));
  let b = clamp01(Math.max(top, bottom));
  if (r - l < MIN_SIZE) {
    if (l + MIN_SIZE <= 1) r = l + MIN_SIZE;
    else l = 1 - MIN_SIZE;
  }
  if (b - t < MIN_SIZE) {
    if (t + MIN_SIZE <= 1) b = t + MIN_SIZE;
    else t = 1 - MIN_SIZE;
  }
  return roundedRect(l, t, r, b);
}

function roundedRect(l: number, t: number, r: number, b: number): Rectangle {
  const x = round4(l);
  const y = round4(t);
  return { kind: "rectangle", x, y, width: round4(round4(r) - x), height: round4(round4(b) - y) };
}

/** The rectangle a drag from `a` to `b` draws; a mere click draws a DEFAULT_SIZE box at `a`. */
export function drawnRect(a: Point, b: Point): Rectangle {
  if (Math.abs(b.x - a.x) < CLICK_SLOP && Math.abs(b.y - a.y) < CLICK_SLOP) {
    const l = clamp(a.x - DEFAULT_SIZE / 2, 0, 1 - DEFAULT_SIZE);
    const t = clamp(a.y - DEFAULT_SIZE / 2, 0, 1 - DEFAULT_SIZE);
    return rectFromEdges(l, t, l + DEFAULT_SIZE, t + DEFAULT_SIZE);
  }
  return rectFromEdges(a.x, a.y, b.x, b.y);
}

export function rectEdges(shape: Rectangle): { l: number; t: number; r: number; b: number } {
  const l = shape.x ?? 0;
  const t = shape.y ?? 0;
  return { l, t, r: l + (shape.width ?? 0), b: t + (shape.height ?? 0) };
}

/** The axis-aligned box around a shape, as edges. */
export function bounds(shape: Shape): { l: number; t: number; r: number; b: number } {
  switch (shape.kind) {
    case "rectangle":
      return rectEdges(shape);
    case "ellipse": {
      const cx = shape.cx ?? 0;
      const cy = shape.cy ?? 0;
      const rx = shape.rx ?? 0;
      const ry = shape.ry ?? 0;
      return { l: cx - rx, t: cy - ry, r: cx + rx, b: cy + ry };
    }
    case "polygon": {
      const points = shape.points ?? [];
      if (points.length === 0) return { l: 0, t: 0, r: 0, b: 0 };
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      return { l: Math.min(...xs), t: Math.min(...ys), r: Math.max(...xs), b: Math.max(...ys) };
    }
  }
}

/**
 * The shape moved by (dx, dy), kept on the image: the move is shortened so that the whole
 * shape stays inside (a shape already partly outside is not pushed further out).
 */
export function moveShape(shape: Shape, dx: number, dy: number): Shape {
  const box = bounds(shape);
  const mx = dx < 0 ? Math.max(dx, Math.min(0, -box.l)) : Math.min(dx, Math.max(0, 1 - box.r));
  const my = dy < 0 ? Math.max(dy, Math.min(0, -box.t)) : Math.min(dy, Math.max(0, 1 - box.b));
  switch (shape.kind) {
    case "rectangle": {
      const w = shape.width ?? 0;
      const h = shape.height ?? 0;
      const x = round4((shape.x ?? 0) + mx);
      const y = round4((shape.y ?? 0) + my);
      // Rounding must not push an edge that was on the image past it.
      const width = box.r <= 1 && x + round4(w) > 1 ? round4(1 - x) : round4(w);
      const height = box.b <= 1 && y + round4(h) > 1 ? round4(1 - y) : round4(h);
      return { kind: "rectangle", x, y, width, height };
    }
    case "ellipse":
      return {
        kind: "ellipse",
        cx: round4((shape.cx ?? 0) + mx),
        cy: round4((shape.cy ?? 0) + my),
        rx: round4(shape.rx ?? 0),
        ry: round4(shape.ry ?? 0),
      };
    case "polygon":
      return {
        kind: "polygon",
        points: (shape.points ?? []).map(([x, y]): [number, number] => [
          round4(clamp01(x + mx)),
          round4(clamp01(y + my)),
        ]),
      };
  }
}

/** The rectangle with corner `corner` dragged to `p`; the opposite corner stays put. */
export function resizeRectCorner(shape: Rectangle, corner: Corner, p: Point): Rectangle {
  const { l, t, r, b } = rectEdges(shape);
  const west = corner === "nw" || corner === "sw";
  const north = corner === "nw" || corner === "ne";
  const fixedX = west ? r : l;
  const fixedY = north ? b : t;
  // The dragged corner may cross the fixed one; the rectangle then flips, at least MIN_SIZE.
  let nx = clamp01(p.x);
  let ny = clamp01(p.y);
  if (Math.abs(nx - fixedX) < MIN_SIZE) nx = west ? fixedX - MIN_SIZE : fixedX + MIN_SIZE;
  if (Math.abs(ny - fixedY) < MIN_SIZE) ny = north ? fixedY - MIN_SIZE : fixedY + MIN_SIZE;
  return rectFromEdges(fixedX, fixedY, nx, ny);
}

/** The ellipse with radius `which` set by dragging its handle to `p`, kept on the image. */
export function resizeEllipse(shape: Ellipse, which: Radius, p: Point): Ellipse {
  const cx = shape.cx ?? 0;
  const cy = shape.cy ?? 0;
  if (which === "rx") return ellipse(cx, cy, Math.abs(p.x - cx), shape.ry ?? 0);
  return ellipse(cx, cy, shape.rx ?? 0, Math.abs(p.y - cy));
}

/** An ellipse with its centre on the image and radii that keep it inside, rounded. */
export function ellipse(cx: number, cy: number, rx: number, ry: number): Ellipse {
  const half = MIN_SIZE / 2;
  const x = round4(clamp(cx, half, 1 - half));
  const y = round4(clamp(cy, half, 1 - half));
  return {
    kind: "ellipse",
    cx: x,
    cy: y,
    rx: round4(clamp(rx, half, Math.min(x, 1 - x))),
    ry: round4(clamp(ry, half, Math.min(y, 1 - y))),
  };
}

/** The polygon with point `index` dragged to `p`. */
export function moveVertex(shape: Polygon, index: number, p: Point): Polygon {
  return {
    kind: "polygon",
    points: (shape.points ?? []).map(
      (point, i): [number, number] => (i === index ? [round4(clamp01(p.x)), round4(clamp01(p.y))] : point),
    ),
  };
}

/**
 * The shape grown (positive) or shrunk (negative) by dw horizontally and dh vertically, as
 * fractions of the image: a rectangle keeps its top-left corner, an ellipse its centre (its
 * diameters change by dw and dh) and a polygon the centre of its bounding box.
 */
export function resizeShape(shape: Shape, dw: number, dh: number): Shape {
  switch (shape.kind) {
    case "rectangle": {
      const { l, t, r, b } = rectEdges(shape);
      return rectFromEdges(l, t, Math.max(l + MIN_SIZE, r + dw), Math.max(t + MIN_SIZE, b + dh));
    }
    case "ellipse":
      return ellipse(shape.cx ?? 0, shape.cy ?? 0, (shape.rx ?? 0) + dw / 2, (shape.ry ?? 0) + dh / 2);
    case "polygon": {
      const box = bounds(shape);
      const w = box.r - box.l;
      const h = box.b - box.t;
      const mx = (box.l + box.r) / 2;
      const my = (box.t + box.b) / 2;
      const sx = w > 0 ? Math.max(MIN_SIZE, w + dw) / w : 1;
      const sy = h > 0 ? Math.max(MIN_SIZE, h + dh) / h : 1;
      return {
        kind: "polygon",
        points: (shape.points ?? []).map(([x, y]): [number, number] => [
          round4(clamp01(mx + (x - mx) * sx)),
          round4(clamp01(my + (y - my) * sy)),
        ]),
      };
    }
  }
}

export function sameShape(a: Shape | null | undefined, b: Shape | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The next free id `r<k>`, counting from 1. */
export function nextRegionId(regions: readonly HotspotRegion[]): string {
  const taken = new Set(regions.map((r) => r.id ?? ""));
  let k = 1;
  while (taken.has(`r${k}`)) k += 1;
  return `r${k}`;
}

/** The SVG `points` attribute of a polygon. */
export function polygonPoints(shape: Polygon): string {
  return (shape.points ?? []).map(([x, y]) => `${x},${y}`).join(" ");
}

/** Whether a validation issue's pointer lies at or under `prefix` (a JSON pointer). */
export function pointerUnder(pointer: string, prefix: string): boolean {
  return pointer === prefix || pointer.startsWith(`${prefix}/`);
}

// The BRANCHING scenario as a graph for the author: reachability and depth from the start node
// (as crates/model/src/components/branching/graph.rs computes reachability: end nodes are not
// left), a column layout, the edges with their geometry, and the edits of the graph editor.
import type { BranchingChoice, BranchingNode, BranchingPayload } from "../generated/ipc";

export const NODE_W = 168;
export const NODE_H = 56;
export const COL_GAP = 112;
export const ROW_GAP = 28;
export const PAD = 24;
export const HEADER = 28;
/** How far a choice whose target does not exist sticks out of its node. */
export const STUB = 44;

export type Point = { x: number; y: number };

export interface GraphEdge {
  from: number;
  /** The choice's index within its node. */
  choice: number;
  /** The target node's index, or null when no node has the target id (a dangling choice). */
  to: number | null;
  target: string;
  text: string;
  /** SVG path data of the arrow. */
  path: string;
  /** Where the edge's label goes. */
  label: Point;
  kind: "forward" | "back" | "same" | "self" | "dangling";
}

export interface GraphLayout {
  /** The start node's index, or null when `start` names no node. */
  start: number | null;
  /** Each node's distance in choices from the start; null when unreachable. */
  depth: (number | null)[];
  /** Reachable nodes by depth, in the order the breadth-first search met them. */
  columns: number[][];
  /** Nodes no path from the start leads to, in payload order. */
  unreachable: number[];
  /** Each node's top-left corner. */
  positions: Point[];
  edges: GraphEdge[];
  /** Column headings: x of the column's left edge and which column it is. */
  headings: { x: number; kind: "start" | "step" | "unreachable"; step: number }[];
  width: number;
  height: number;
}

/** Index of the first node with each non-empty id (as `index_of` in branching/graph.rs). */
export function indexOf(nodes: readonly BranchingNode[]): Map<string, number> {
  const index = new Map<string, number>();
  nodes.forEach((node, i) => {
    const id = node.id ?? "";
    if (id.trim() !== "" && !index.has(id)) index.set(id, i);
  });
  return index;
}

/** Depth of every node by breadth-first search from the start; end nodes are not left. */
export function depths(payload: BranchingPayload): { start: number | null; depth: (number | null)[]; order: number[] } {
  const nodes = payload.nodes ?? [];
  const index = indexOf(nodes);
  const depth: (number | null)[] = nodes.map(() => null);
  const start = index.get(payload.start ?? "") ?? null;
  const order: number[] = [];
  if (start === null) return { start, depth, order };
  depth[start] = 0;
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const at = queue[head] as number;
    order.push(at);
    const node = nodes[at];
    if (!node || node.end) continue;
    for (const choice of node.choices ?? []) {
      const to = index.get(choice.target ?? "");
      if (to !== undefined && depth[to] === null) {
        depth[to] = (depth[at] ?? 0) + 1;
        queue.push(to);
      }
    }
  }
  return { start, depth, order };
}

function mid(a: Point, b: Point, c: Point, d: Point): Point {
  // The cubic Bézier curve's point at t = 1/2.
  return { x: (a.x + 3 * b.x + 3 * c.x + d.x) / 8, y: (a.y + 3 * b.y + 3 * c.y + d.y) / 8 };
}

function curve(a: Point, b: Point, c: Point, d: Point): { path: string; label: Point } {
  const f = (p: Point): string => `${Math.round(p.x * 10) / 10} ${Math.round(p.y * 10) / 10}`;
  return { path: `M ${f(a)} C ${f(b)}, ${f(c)}, ${f(d)}`, label: mid(a, b, c, d) };
}

/** The scenario laid out in columns by depth, unreachable nodes in a last column. */
export function layout(payload: BranchingPayload): GraphLayout {
  const nodes = payload.nodes ?? [];
  const index = indexOf(nodes);
  const { start, depth, order } = depths(payload);
  const columns: number[][] = [];
  for (const i of order) {
    const d = depth[i] ?? 0;
    (columns[d] ??= []).push(i);
  }
  const unreachable = nodes.map((_, i) => i).filter((i) => depth[i] === null);
  const all = unreachable.length > 0 ? [...columns, unreachable] : columns;
  const column: number[] = nodes.map(() => 0);
  const positions: Point[] = nodes.map(() => ({ x: 0, y: 0 }));
  all.forEach((members, c) => {
    members.forEach((i, r) => {
      column[i] = c;
      positions[i] = {
        x: PAD + c * (NODE_W + COL_GAP),
        y: PAD + HEADER + r * (NODE_H + ROW_GAP),
      };
    });
  });
  const rows = Math.max(1, ...all.map((members) => members.length));
  const headings: GraphLayout["headings"] = all.map((_, c) => ({
    x: PAD + c * (NODE_W + COL_GAP),
    kind: unreachable.length > 0 && c === all.length - 1 ? "unreachable" : c === 0 ? "start" : "step",
    step: c,
  }));

  const edges: GraphEdge[] = [];
  // Edges between the same two nodes are fanned out so their labels do not overlap.
  const seen = new Map<string, number>();
  const dangling = new Map<number, number>();
  nodes.forEach((node, from) => {
    const p = positions[from] as Point;
    (node.choices ?? []).forEach((choice, j) => {
      const target = choice.target ?? "";
      const to = index.get(target) ?? null;
      const text = choice.text ?? "";
      if (to === null) {
        const k = dangling.get(from) ?? 0;
        dangling.set(from, k + 1);
        const y = p.y + NODE_H - 8 - k * 14;
        const a = { x: p.x + NODE_W, y };
        const d = { x: p.x + NODE_W + STUB, y: y + 10 };
        const { path } = curve(a, { x: a.x + 16, y }, { x: d.x - 16, y: d.y }, d);
        edges.push({ from, choice: j, to, target, text, path, label: { x: d.x + 4, y: d.y }, kind: "dangling" });
        return;
      }
      const q = positions[to] as Point;
      const key = `${from}>${to}`;
      const k = seen.get(key) ?? 0;
      seen.set(key, k + 1);
      const bow = k * 18;
      const cf = column[from] ?? 0;
      const ct = column[to] ?? 0;
      let geometry: { path: string; label: Point };
      let kind: GraphEdge["kind"];
      if (to === from) {
        kind = "self";
        const a = { x: p.x + NODE_W, y: p.y + 14 };
        const d = { x: p.x + NODE_W, y: p.y + NODE_H - 14 };
        const out = 48 + bow;
        geometry = curve(a, { x: a.x + out, y: a.y - 20 }, { x: d.x + out, y: d.y + 20 }, d);
      } else if (ct > cf) {
        kind = "forward";
        const a = { x: p.x + NODE_W, y: p.y + NODE_H / 2 };
        const d = { x: q.x, y: q.y + NODE_H / 2 };
        const dx = Math.max(40, (d.x - a.x) / 2);
        geometry = curve(a, { x: a.x + dx, y: a.y + bow }, { x: d.x - dx, y: d.y + bow }, d);
      } else if (ct < cf) {
        kind = "back";
        // From the source's left side back to the target's right side, bowed downwards so it
        // does not lie on a forward edge between the same columns.
        const a = { x: p.x, y: p.y + NODE_H / 2 + 8 };
        const d = { x: q.x + NODE_W, y: q.y + NODE_H / 2 + 8 };
        const dx = Math.max(40, (a.x - d.x) / 2);
        const drop = 36 + bow;
        geometry = curve(a, { x: a.x - dx, y: a.y + drop }, { x: d.x + dx, y: d.y + drop }, d);
      } else {
        kind = "same";
        // Within a column: an arc in the gap on the column's left.
        const a = { x: p.x, y: p.y + NODE_H / 2 };
        const d = { x: q.x, y: q.y + NODE_H / 2 };
        const out = 40 + Math.min(40, Math.abs(d.y - a.y) / 8) + bow;
        geometry = curve(a, { x: a.x - out, y: a.y }, { x: d.x - out, y: d.y }, d);
      }
      edges.push({ from, choice: j, to, target, text, ...geometry, kind });
    });
  });

  const width = PAD * 2 + Math.max(1, all.length) * NODE_W + Math.max(0, all.length - 1) * COL_GAP + STUB + 80;
  const height = PAD * 2 + HEADER + rows * NODE_H + (rows - 1) * ROW_GAP + 40;
  return { start, depth, columns, unreachable, positions, edges, headings, width, height };
}

/** Whether a character takes two columns (Hangul, CJK, full-width forms). */
function wide(char: string): boolean {
  const c = char.codePointAt(0) ?? 0;
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    c >= 0x20000
  );
}

/**
 * `text` cut to at most `max` columns, with an ellipsis when cut; wide characters (Korean,
 * Chinese, Japanese) count as two columns, so the text fits a box in any of these scripts.
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text.trim());
  const width = (c: string): number => (wide(c) ? 2 : 1);
  if (chars.reduce((sum, c) => sum + width(c), 0) <= max) return chars.join("");
  let used = 1; // the ellipsis
  let cut = "";
  for (const c of chars) {
    if (used + width(c) > max) break;
    used += width(c);
    cut += c;
  }
  return `${cut.trimEnd()}…`;
}

/** The first id `<prefix><k>` (k = 1, 2, …) not in `taken`. */
export function nextId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let k = 1;
  while (used.has(`${prefix}${k}`)) k += 1;
  return `${prefix}${k}`;
}

export function allChoices(payload: BranchingPayload): BranchingChoice[] {
  return (payload.nodes ?? []).flatMap((node) => node.choices ?? []);
}

function emptyNode(id: string): BranchingNode {
  return { id, title: "", text: "", choices: [], end: false };
}

/** The payload with a new empty node; the first node of a scenario without a start becomes it. */
export function addNode(payload: BranchingPayload): { payload: BranchingPayload; index: number } {
  const nodes = payload.nodes ?? [];
  const id = nextId("n", nodes.map((n) => n.id ?? ""));
  const start = (payload.start ?? "").trim() === "" && nodes.length === 0 ? id : payload.start;
  return { payload: { ...payload, start, nodes: [...nodes, emptyNode(id)] }, index: nodes.length };
}

/** The value of the "new node" entry of a target select; never a valid node id. */
export const NEW_NODE = ":new";

/**
 * The payload with a new choice at node `at` leading to `target`, or to a new node created
 * with it when `target` is NEW_NODE. Choice ids are unique across the scenario.
 */
export function addChoice(payload: BranchingPayload, at: number, target: string): BranchingPayload {
  let nodes = payload.nodes ?? [];
  if (!nodes[at]) return payload;
  let to = target;
  if (target === NEW_NODE) {
    to = nextId("n", nodes.map((n) => n.id ?? ""));
    nodes = [...nodes, emptyNode(to)];
  }
  const id = nextId("c", allChoices(payload).map((c) => c.id ?? ""));
  const choice: BranchingChoice = { id, text: "", target: to, points: 0 };
  return {
    ...payload,
    nodes: nodes.map((node, i) => (i === at ? { ...node, choices: [...(node.choices ?? []), choice] } : node)),
  };
}

/** The payload without node `at` and without the choices that led to it. */
export function removeNode(payload: BranchingPayload, at: number): BranchingPayload {
  const nodes = payload.nodes ?? [];
  const removed = nodes[at];
  if (!removed) return payload;
  const id = removed.id ?? "";
  const rest = nodes.filter((_, i) => i !== at);
  // Another node with the same id (a duplicate) still answers to it: keep its links then.
  const gone = id.trim() !== "" && !rest.some((node) => node.id === id);
  return {
    ...payload,
    start: gone && payload.start === id ? "" : payload.start,
    nodes: gone
      ? rest.map((node) =>
          (node.choices ?? []).some((c) => c.target === id)
            ? { ...node, choices: (node.choices ?? []).filter((c) => c.target !== id) }
            : node,
        )
      : rest,
  };
}

export function removeChoice(payload: BranchingPayload, at: number, choice: number): BranchingPayload {
  return {
    ...payload,
    nodes: (payload.nodes ?? []).map((node, i) =>
      i === at ? { ...node, choices: (node.choices ?? []).filter((_, j) => j !== choice) } : node,
    ),
  };
}

export function setTarget(payload: BranchingPayload, at: number, choice: number, target: string): BranchingPayload {
  if (target === NEW_NODE) {
    const nodes = payload.nodes ?? [];
    const id = nextId("n", nodes.map((n) => n.id ?? ""));
    return setTarget({ ...payload, nodes: [...nodes, emptyNode(id)] }, at, choice, id);
  }
  return {
    ...payload,
    nodes: (payload.nodes ?? []).map((node, i) =>
      i === at
        ? { ...node, choices: (node.choices ?? []).map((c, j) => (j === choice ? { ...c, target } : c)) }
        : node,
    ),
  };
}

export function makeStart(payload: BranchingPayload, at: number): BranchingPayload {
  const id = payload.nodes?.[at]?.id ?? "";
  return id.trim() === "" ? payload : { ...payload, start: id };
}

export function toggleEnd(payload: BranchingPayload, at: number): BranchingPayload {
  return {
    ...payload,
    nodes: (payload.nodes ?? []).map((node, i) => (i === at ? { ...node, end: !node.end } : node)),
  };
}

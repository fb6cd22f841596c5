// What each preview shows, read from a payload that may be an incomplete draft: the
// payload's generated type with every field filled in (the schema's default where a field is
// missing or of the wrong form), so a preview never throws on what the author has not
// written yet. The app hands out payloads in their current schema version.
import type { ComponentType } from "../generated/ipc";
import { type Filled, type PayloadOf, payloadSchema, readValue } from "../schema";

/** A component's payload read against its type's schema. */
export function readPayload<T extends ComponentType>(type: T, payload: unknown): Filled<PayloadOf<T>> {
  return readValue(payloadSchema(type), payload) as Filled<PayloadOf<T>>;
}

export type ClozeSegment = { kind: "text"; text: string } | { kind: "blank"; id: string; raw: string };

/** The text split at its `[[id]]` markers, exactly as cloze.rs finds them. */
export function clozeSegments(text: string): ClozeSegment[] {
  const segments: ClozeSegment[] = [];
  const marker = /\[\[([^[\]]*)\]\]/g;
  let from = 0;
  for (const match of text.matchAll(marker)) {
    const at = match.index;
    if (at > from) segments.push({ kind: "text", text: text.slice(from, at) });
    segments.push({ kind: "blank", id: match[1] ?? "", raw: match[0] });
    from = at + match[0].length;
  }
  if (from < text.length) segments.push({ kind: "text", text: text.slice(from) });
  return segments;
}

export function readHotspot(payload: unknown) {
  const hotspot = readPayload("HOTSPOT", payload);
  // A polygon corner still being typed is left out, so the rest of the polygon is drawn.
  for (const region of hotspot.regions) {
    if (region.shape?.kind === "polygon") {
      region.shape.points = region.shape.points.filter((point) => point.length === 2);
    }
  }
  return hotspot;
}

/** Width over height of the hotspot's image, when its size is known; 4:3 otherwise. */
export function aspectOf(hotspot: { image_width: number | null; image_height: number | null }): number {
  const { image_width: width, image_height: height } = hotspot;
  return width !== null && height !== null && width > 0 && height > 0 ? width / height : 4 / 3;
}

export function readBranching(payload: unknown) {
  const scenario = readPayload("BRANCHING", payload);
  // As graph.rs `index_of`: the first node with each id; blank ids name nothing.
  const index = new Map<string, number>();
  scenario.nodes.forEach((node, i) => {
    if (node.id.trim() !== "" && !index.has(node.id)) index.set(node.id, i);
  });
  return { ...scenario, index };
}

export function readShadowing(payload: unknown) {
  const shadowing = readPayload("SHADOWING", payload);
  // Only speeds a player can play at are offered.
  const rates = shadowing.playback_rates.filter((r) => r > 0 && Number.isFinite(r));
  return { ...shadowing, playback_rates: rates };
}

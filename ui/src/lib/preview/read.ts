// Small helpers for the previews' own state, beside the payloads they read (payloads.ts).

export function hasText(text: string): boolean {
  return text.trim() !== "";
}

/** A key for per-item state: the item's id, or its place when a draft has no id yet. */
export function stateKey(id: string, index: number): string {
  return id !== "" ? `id:${id}` : `#${index}`;
}

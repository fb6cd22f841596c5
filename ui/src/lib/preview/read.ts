// Safe readers for payloads that may be incomplete drafts: anything missing or of the wrong
// form reads as empty, so a preview never throws on what the author has not written yet.

export type Obj = Record<string, unknown>;

export function obj(value: unknown): Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

export function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === "string");
}

export function num(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/** An asset reference (sha256), or null when none is given. */
export function asset(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.find((a) => a === value) ?? fallback;
}

export function hasText(text: string): boolean {
  return text.trim() !== "";
}

/** A key for per-item state: the item's id, or its place when a draft has no id yet. */
export function stateKey(id: string, index: number): string {
  return id !== "" ? `id:${id}` : `#${index}`;
}

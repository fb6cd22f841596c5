// Shuffles that look random to the learner but are the same on every render, so the preview
// does not jump around while the author edits, and tests can rely on them.

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `items` in an order fixed by their keys. */
export function stableShuffle<T>(items: readonly T[], key: (item: T) => string): T[] {
  const next = random(hash(items.map(key).join("\u0000")));
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** Like `stableShuffle`, but never the original order when there are two items or more. */
export function scrambled<T>(items: readonly T[], key: (item: T) => string): T[] {
  const out = stableShuffle(items, key);
  if (out.length > 1 && out.every((item, i) => item === items[i])) {
    out.push(out.shift() as T);
  }
  return out;
}

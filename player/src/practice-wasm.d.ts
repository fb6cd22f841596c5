// The bindings wasm-bindgen makes for crates/practice (`--target web`), as the player uses them.
declare module "@practice/classkit_practice.js" {
  export default function init(options?: { module_or_path?: string | URL | BufferSource }): Promise<unknown>;
  /** `reference`: per frame energy (dB), pitch (Hz, NaN unvoiced), speech (0/1), the cepstra. */
  export function score_against(reference: Float32Array, attempt: Float32Array, attempt_rate: number): string;
}

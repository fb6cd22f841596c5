/* Generated from ipc.schema.json by scripts/gen-types.mjs (npm run gen:types). Do not edit. */
import type { JobView, Saved, TeamStatus, WireError } from "./ipc";

/** Every event the app sends the UI, with its payload. */
export interface Events {
  /**
   * A job of the app's queue changed.
   */
  "job": JobView;
  /**
   * Something was saved in the library, by the app, a worker or another process.
   */
  "saved": Saved;
  /**
   * The bundled workers could not start, so generation cannot run.
   */
  "workers-failed": WireError;
  /**
   * The team state changed: a sync started or ended, an edit waits, a conflict came.
   */
  "team": TeamStatus;
}

/** The events' names, in the Rust list's order. */
export const EVENTS = ["job","saved","workers-failed","team"] as const;

// The assemblies dispatched from this window, for the job tray's groups (see jobGroups.ts).
import type { Dispatch } from "./jobGroups";

export const dispatches = $state<{ list: Dispatch[] }>({ list: [] });

/** Remembers an assembly and its jobs (the newest 50 are kept). */
export function rememberDispatch(dispatch: Omit<Dispatch, "id" | "at">): void {
  const id = `${Date.now()}-${dispatches.list.length}`;
  dispatches.list = [{ ...dispatch, id, at: Date.now() }, ...dispatches.list].slice(0, 50);
}

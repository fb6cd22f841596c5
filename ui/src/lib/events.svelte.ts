// The app's events: the one typed listener, and the jobs that finished, for views that show
// their results (a new thumbnail, new narration).
import { listen } from "@tauri-apps/api/event";
import type { Events } from "./generated/events";
import type { JobView } from "./generated/ipc";

/** How many jobs finished so far, and the latest of them (at most 100), oldest first. */
export const finishedJobs = $state<{ count: number; recent: JobView[] }>({ count: 0, recent: [] });

export function jobFinished(job: JobView): void {
  finishedJobs.recent = [...finishedJobs.recent, job].slice(-100);
  finishedJobs.count += 1;
}

/** The jobs that finished after the first `handled` (as many as are still kept). */
export function finishedSince(handled: number): JobView[] {
  const fresh = Math.min(finishedJobs.count - handled, finishedJobs.recent.length);
  return fresh > 0 ? finishedJobs.recent.slice(-fresh) : [];
}

/**
 * Listens to an event of the app by its name in the generated list, with its payload typed.
 * Resolves to the function that stops listening; rejects outside the desktop app.
 */
export function onEvent<K extends keyof Events>(
  name: K,
  handler: (payload: Events[K]) => void,
): Promise<() => void> {
  return listen<Events[K]>(name, (event) => handler(event.payload));
}

// Jobs that finished, for views that show their results (a new thumbnail, new drafts).
import type { JobView } from "./generated/ipc";

export const finishedJobs = $state<{ last: JobView | null; count: number }>({ last: null, count: 0 });

export function jobFinished(job: JobView): void {
  finishedJobs.last = job;
  finishedJobs.count += 1;
}

// The job tray's groups: the jobs of one assembly together ("Assemble lesson 2 — 14 of 20
// done, 1 retrying in 8 s"). An assembly dispatched from this window is known by its jobs;
// other jobs (dispatched before a restart, by the command line or a teammate) are grouped by
// course and by the moment they were queued.
import type { JobView } from "./generated/ipc";

/** An assembly this window dispatched: what it was for, and its jobs. */
export interface Dispatch {
  id: string;
  scope: "slide" | "lesson" | "course";
  /** The slide's, lesson's or course's title. */
  name: string;
  jobs: string[];
  at: number;
}

export interface JobGroup {
  key: string;
  /** The dispatch it is, or null for jobs grouped by course and time. */
  dispatch: Dispatch | null;
  courseTitle: string | null;
  /** When its first job was queued (ms). */
  at: number;
  jobs: JobView[];
  done: number;
  failed: number;
  running: number;
  /** The job waiting to retry soonest. */
  retrying: JobView | null;
  finished: boolean;
}

/** Jobs queued further apart than this are not one assembly. */
const BURST_MS = 5000;

function summarize(key: string, dispatch: Dispatch | null, jobs: JobView[]): JobGroup {
  const done = jobs.filter((j) => j.state === "succeeded").length;
  const failed = jobs.filter((j) => j.state === "dead" || j.state === "cancelled").length;
  const retrying =
    jobs
      .filter((j) => j.state === "retry_wait")
      .sort((a, b) => Date.parse(a.run_at ?? "") - Date.parse(b.run_at ?? ""))[0] ?? null;
  return {
    key,
    dispatch,
    courseTitle: jobs.find((j) => j.course_title)?.course_title ?? null,
    at: Math.min(...jobs.map((j) => Date.parse(j.created_at))),
    jobs,
    done,
    failed,
    running: jobs.filter((j) => j.state === "running").length,
    retrying,
    finished: jobs.every((j) => j.finished),
  };
}

/** The jobs in groups, newest group first; within a group, in the order they were queued. */
export function groupJobs(jobs: readonly JobView[], dispatches: readonly Dispatch[]): JobGroup[] {
  const groups: JobGroup[] = [];
  const placed = new Set<string>();
  for (const dispatch of dispatches) {
    const own = jobs.filter((j) => dispatch.jobs.includes(j.id) && !placed.has(j.id));
    if (own.length === 0) continue;
    own.forEach((j) => placed.add(j.id));
    groups.push(summarize(`dispatch-${dispatch.id}`, dispatch, byTime(own)));
  }
  // The rest: by course, then by bursts of queueing.
  const rest = byTime(jobs.filter((j) => !placed.has(j.id)));
  const open = new Map<string, JobView[]>();
  const flush = (course: string) => {
    const list = open.get(course);
    if (list && list.length > 0) groups.push(summarize(`burst-${list[0]?.id}`, null, list));
    open.delete(course);
  };
  for (const job of rest) {
    const course = job.course_id ?? "";
    const list = open.get(course);
    const last = list?.[list.length - 1];
    if (last && Date.parse(job.created_at) - Date.parse(last.created_at) > BURST_MS) flush(course);
    const current = open.get(course) ?? [];
    current.push(job);
    open.set(course, current);
  }
  for (const course of [...open.keys()]) flush(course);
  return groups.sort((a, b) => b.at - a.at);
}

function byTime(jobs: JobView[]): JobView[] {
  return [...jobs].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
}

import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import { setLocale } from "../src/lib/i18n/index.svelte";
import JobTray from "../src/lib/JobTray.svelte";
import { job } from "./fixtures";

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

function row(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-job="${id}"]`);
  if (!el) throw new Error(`no row for ${id}`);
  return el;
}

it("lists jobs, follows live events, and counts down to a retry", async () => {
  const narration = job({ kind: "narration", state: "running", attempts: 1, progress: 40 });
  const render_ = job({ kind: "slide_render", state: "succeeded", attempts: 1, cost_micros: 0 });
  mockIPC(
    (cmd) => {
      if (cmd === "jobs") return [narration, render_];
      throw new Error(`unexpected ${cmd}`);
    },
    { shouldMockEvents: true },
  );
  const onfinished = vi.fn();
  render(JobTray, { onfinished });
  await screen.findByText("Narration");
  expect(within(row(narration.id)).getByRole("progressbar").getAttribute("value")).toBe("40");
  // A first try says nothing of tries; the jobs are one group with its progress.
  expect(within(row(narration.id)).queryByText("try 1 of 6")).toBeNull();
  expect(screen.getByText("1 of 2 done · 1 running")).toBeTruthy();

  // A retryable failure: the job waits, with the time of its next try.
  const runAt = new Date(Date.now() + 8_000).toISOString();
  await emit("job", { ...narration, state: "retry_wait", run_at: runAt, error: "HTTP 503" });
  await vi.waitFor(() => expect(row(narration.id).dataset["state"]).toBe("retry_wait"));
  expect(within(row(narration.id)).getByText(/next try in [789] s/)).toBeTruthy();
  expect(within(row(narration.id)).getByText("try 1 of 6")).toBeTruthy();
  expect(within(row(narration.id)).getByText("HTTP 503")).toBeTruthy();
  expect(screen.getByText(/1 of 2 done · 1 retrying, next in [789] s/)).toBeTruthy();
  expect(onfinished).not.toHaveBeenCalled();

  // All done: the tray folds to its one line, and opens again on request.
  await emit("job", { ...narration, state: "succeeded", finished: true, attempts: 2, cost_micros: 1234, error: null });
  await screen.findByText("All done");
  expect(onfinished).toHaveBeenCalledWith(expect.objectContaining({ id: narration.id, state: "succeeded" }));
  expect(document.querySelector(`[data-job="${narration.id}"]`)).toBeNull();
  await fireEvent.click(screen.getByRole("button", { name: "Show" }));
  expect(row(narration.id).dataset["state"]).toBe("succeeded");
  expect(within(row(narration.id)).getByText("$0.0012")).toBeTruthy();
});

it("cancels a waiting job and retries a failed one", async () => {
  const waiting = job({ kind: "narration", state: "queued" });
  const failed = job({ kind: "draft_component", state: "dead", attempts: 6, error: "out of credit" });
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "jobs") return [waiting, failed];
    if (cmd === "cancel_job") return { ...waiting, state: "cancelled" };
    if (cmd === "retry_job") return { ...failed, state: "queued", attempts: 0 };
    throw new Error(`unexpected ${cmd}`);
  });
  render(JobTray, {});
  await fireEvent.click(await screen.findByRole("button", { name: "Cancel Narration" }));
  await vi.waitFor(() => expect(row(waiting.id).dataset["state"]).toBe("cancelled"));
  await fireEvent.click(screen.getByRole("button", { name: "Retry Component draft" }));
  await vi.waitFor(() => expect(row(failed.id).dataset["state"]).toBe("queued"));
  expect(calls.filter(([c]) => c !== "jobs" && !c.startsWith("plugin:"))).toEqual([
    ["cancel_job", { jobId: waiting.id }],
    ["retry_job", { jobId: failed.id }],
  ]);
});

it("says why the workers did not start, by the failure's code, in the UI's language", async () => {
  mockIPC(
    (cmd) => {
      if (cmd === "jobs") return [];
      throw new Error(`unexpected ${cmd}`);
    },
    { shouldMockEvents: true },
  );
  const failure = { code: "queue_database_error", message: "job queue database: unable to open database file", details: null };
  render(JobTray, {});
  await screen.findByText(/No jobs yet/);
  await emit("workers-failed", failure);
  expect((await screen.findByRole("alert")).textContent).toBe(
    "Generation cannot run: the workers did not start (job queue database: unable to open database file).",
  );
  cleanup();

  setLocale("ko");
  render(JobTray, {});
  await screen.findByText(/아직 작업이 없습니다/);
  await emit("workers-failed", failure);
  expect((await screen.findByRole("alert")).textContent).toBe(
    "생성 작업을 실행할 수 없습니다. 작업자가 시작되지 않았습니다: " +
      "작업 대기열의 데이터베이스에서 오류가 생겼습니다. (job queue database: unable to open database file)",
  );
});

it("shows a team job with who dispatched it, in English and Korean", async () => {
  const teamJob = job({
    kind: "narration",
    state: "running",
    attempts: 1,
    team: true,
    requested_by: "ann@example.org",
  });
  const mine = job({ kind: "slide_render", state: "queued" });
  mockIPC((cmd) => {
    if (cmd === "jobs") return [teamJob, mine];
    throw new Error(`unexpected ${cmd}`);
  });
  render(JobTray, {});
  await screen.findByText("asked by ann@example.org");
  const team = within(row(teamJob.id)).getByText("team");
  expect(team.getAttribute("title")).toBe("Runs on the team's workers");
  expect(within(row(mine.id)).queryByText("team")).toBeNull();
  cleanup();
  setLocale("ko");
  render(JobTray, {});
  await screen.findByText("요청: ann@example.org");
});

it("groups an assembly's jobs under what was assembled, each naming its slide and component", async () => {
  const { rememberDispatch } = await import("../src/lib/dispatches.svelte");
  const draft = job({
    kind: "draft_component",
    state: "running",
    attempts: 1,
    component_type: "QUIZ",
    slide_title: "Preparing the call",
  });
  const voice = job({ kind: "narration", state: "succeeded", attempts: 1, slide_title: "Preparing the call" });
  const other = job({
    kind: "narration",
    state: "succeeded",
    created_at: "2026-11-28T09:00:00Z",
    course_title: "Photosynthesis",
  });
  rememberDispatch({ scope: "lesson", name: "Opening", jobs: [draft.id, voice.id] });
  mockIPC((cmd) => {
    if (cmd === "jobs") return [draft, voice, other];
    throw new Error(`unexpected ${cmd}`);
  });
  render(JobTray, {});
  await screen.findByText("Assemble the lesson “Opening”");
  expect(screen.getByText("1 of 2 done · 1 running")).toBeTruthy();
  expect(within(row(draft.id)).getByText("Quiz draft")).toBeTruthy();
  expect(within(row(draft.id)).getByText("on “Preparing the call”")).toBeTruthy();
  // Jobs this window did not dispatch: by course, folded once done.
  expect(screen.getByText("Jobs for “Photosynthesis”")).toBeTruthy();
  expect(document.querySelector(`[data-job="${other.id}"]`)).toBeNull();
  await fireEvent.click(screen.getByRole("button", { name: "Show the jobs of Jobs for “Photosynthesis”" }));
  expect(row(other.id)).toBeTruthy();
});

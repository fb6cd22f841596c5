// The Export dialog: what it asks the app for, what it says back. The app's side is a test
// double (mockIPC); the export itself is tested in crates/export and end to end in tests/player.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeAll, expect, it } from "vitest";
import ExportDialog from "../src/lib/ExportDialog.svelte";
import type { ExportReport } from "../src/lib/generated/ipc";
import { setLocale } from "../src/lib/i18n/index.svelte";

beforeAll(() => {
  // jsdom has no modal dialogs: opening one marks it open.
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.open = false;
    this.dispatchEvent(new Event("close"));
  };
});

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

const report: ExportReport = {
  path: "/tmp/course-scorm2004.zip",
  format: "scorm2004",
  bytes: 4_500_000,
  files: 80,
  lessons: 3,
  slides: 11,
  components: 76,
  scos: 3,
  player_bytes: 315_000,
  player_gzip_bytes: 92_000,
  left_out: [
    {
      component_id: "c1",
      component_type: "HOTSPOT",
      lesson: "Lesson 1",
      slide: "Inside the Chloroplast",
      reason: "it has 1 problem to fix: Alt text is missing",
    },
  ],
  notes: [],
  elapsed_ms: 800,
};

it("sends the options chosen and lists what was left out and why", async () => {
  const asked: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "export_course") {
      asked.push(args);
      return report;
    }
    throw new Error(`unexpected ${cmd}`);
  });
  render(ExportDialog, { courseId: "course-1", onclose: () => {} });
  await fireEvent.click(screen.getByRole("radio", { name: /SCORM 2004/ }));
  const mastery = screen.getByRole("spinbutton", { name: /Score needed to pass/ });
  await fireEvent.input(mastery, { target: { value: "75" } });
  await fireEvent.click(screen.getByRole("checkbox", { name: /Each lesson its own SCO/ }));
  await fireEvent.click(screen.getByRole("button", { name: "Export…" }));
  await screen.findByText(/Wrote \/tmp\/course-scorm2004\.zip/);
  expect(asked).toEqual([
    {
      courseId: "course-1",
      options: { format: "scorm2004", mastery_score: 0.75, sco_layout: "per_lesson", include_drafts: false, xapi: null },
    },
  ]);
  expect(screen.getByText("Left out (1)")).toBeTruthy();
  expect(screen.getByText(/Alt text is missing/)).toBeTruthy();
});

it("refuses a mastery score out of range and an endpoint that is not a web address", async () => {
  mockIPC(() => {
    throw new Error("nothing should be asked");
  });
  render(ExportDialog, { courseId: "course-1", onclose: () => {} });
  const mastery = screen.getByRole("spinbutton", { name: /Score needed to pass/ });
  await fireEvent.input(mastery, { target: { value: "150" } });
  expect(screen.getByText("Give a number from 0 to 100.")).toBeTruthy();
  expect((screen.getByRole("button", { name: "Export…" }) as HTMLButtonElement).disabled).toBe(true);
  await fireEvent.input(mastery, { target: { value: "80" } });
  await fireEvent.click(screen.getByRole("radio", { name: /Web player/ }));
  await fireEvent.input(screen.getByRole("textbox", { name: /xAPI/ }), { target: { value: "javascript:alert(1)" } });
  expect(screen.getByText(/Give a web address/)).toBeTruthy();
  expect((screen.getByRole("button", { name: "Preview as a learner" }) as HTMLButtonElement).disabled).toBe(true);
});

it("previews the player and says an error in the instructor's words", async () => {
  let fail = false;
  mockIPC((cmd) => {
    if (cmd === "preview_player") {
      if (fail) throw { code: "invalid_input", message: "the course has no slides", details: null };
      return { ...report, format: "web", left_out: [] };
    }
    throw new Error(`unexpected ${cmd}`);
  });
  render(ExportDialog, { courseId: "course-1", onclose: () => {} });
  await fireEvent.click(screen.getByRole("button", { name: "Preview as a learner" }));
  await screen.findByText(/The preview window shows the player/);
  expect(screen.getByText("Nothing was left out.")).toBeTruthy();
  fail = true;
  await fireEvent.click(screen.getByRole("button", { name: "Preview as a learner" }));
  await screen.findByText(/the course has no slides/);
});

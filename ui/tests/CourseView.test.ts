import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import CourseView from "../src/lib/CourseView.svelte";
import { course, view } from "./fixtures";
import { issue } from "./issue";

afterEach(() => {
  cleanup();
  clearMocks();
});

it("shows the course's slides, opens the first, and goes back", async () => {
  const c = course();
  const asked: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    asked.push([cmd, args]);
    if (cmd === "course") return c;
    if (cmd === "slide_media") return { slide_id: (args as { slideId: string }).slideId, render: null, thumbnail: null, narration: null, captions: [] };
    throw new Error(`unexpected ${cmd}`);
  });
  const onBack = vi.fn();
  render(CourseView, { courseId: c.id, onBack });
  const heading = await screen.findByRole("heading", { level: 1 });
  expect(heading.textContent).toBe("신입 사원 오리엔테이션");
  expect(heading.getAttribute("lang")).toBe("ko");
  expect(screen.getByRole("navigation", { name: "Slides" }).textContent).toContain("첫 주");
  // The first slide is open in the editor, in the course's language.
  const title = (await screen.findByLabelText("Title")) as HTMLInputElement;
  expect(title.value).toBe("환영합니다");
  expect(title.getAttribute("lang")).toBe("ko");
  await fireEvent.click(screen.getByRole("button", { name: /팀 소개/ }));
  expect(((await screen.findByLabelText("Title")) as HTMLInputElement).value).toBe("팀 소개");
  await fireEvent.click(screen.getByRole("button", { name: "Back to the library" }));
  expect(onBack).toHaveBeenCalled();
  expect(asked[0]).toEqual(["course", { courseId: c.id }]);
});

it("adds a component to the slide and dispatches the slide's generation", async () => {
  const c = course([["One"]]);
  const lesson = c.lessons[0];
  const slide = lesson?.slides[0];
  if (!lesson || !slide) throw new Error("fixture");
  const quiz = view("QUIZ", {}, [issue("/questions", "a quiz needs questions")]);
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    switch (cmd) {
      case "course":
        return calls.some(([c]) => c === "add_component")
          ? { ...c, lessons: [{ ...lesson, slides: [{ ...slide, components: [quiz.component] }] }] }
          : c;
      case "slide_media":
        return { slide_id: slide.id, render: null, thumbnail: null, narration: null, captions: [] };
      case "add_component":
        return quiz;
      case "component":
        return quiz;
      case "dispatch":
        return { course_id: c.id, scope: { kind: "slide", id: slide.id }, slides: 1, up_to_date: 0, jobs: ["a", "b"], estimated_cost_micros: 0 };
      case "undo_state":
        return { undo: null, redo: null };
      case "slide_pictures":
        return [];
      case "draft_verdicts":
        return [
          { component_type: "QUIZ", supported: true },
          { component_type: "HOTSPOT", supported: false },
        ];
      case "follow_team_jobs":
        return false;
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
  render(CourseView, { courseId: c.id, onBack: () => {} });
  await screen.findByLabelText("Title");
  // The gallery: every type with what the learner does, and what the slide's text supports.
  await fireEvent.click(screen.getByRole("button", { name: "Add a learning activity" }));
  const gallery = await screen.findByRole("dialog", { name: "Add a learning activity" });
  expect(gallery.querySelectorAll("button.tile")).toHaveLength(11);
  const quizTile = gallery.querySelector<HTMLButtonElement>("button.tile[data-type=QUIZ]");
  await vi.waitFor(() => expect(quizTile?.textContent).toContain("Drafted from this slide"));
  expect(gallery.querySelector("button.tile[data-type=HOTSPOT]")?.textContent).toContain(
    "Nothing to draft in this slide's text",
  );
  expect(quizTile?.textContent).toContain("Learners answer questions and see what was right.");
  await fireEvent.click(quizTile as HTMLButtonElement);
  expect(await screen.findByRole("heading", { name: "Quiz" })).toBeTruthy();
  // A new quiz starts with a question and two options.
  const added = calls.find(([c]) => c === "add_component")?.[1] as {
    componentType: string;
    payload: { questions: { options: unknown[] }[] };
  };
  expect(added.componentType).toBe("QUIZ");
  expect(added.payload.questions).toHaveLength(1);
  expect(added.payload.questions[0]?.options).toHaveLength(2);

  await fireEvent.click(screen.getByRole("button", { name: "Assemble this slide" }));
  expect((await screen.findByText(/Queued for 1 slide/)).textContent).toContain("2 job(s)");
  expect(calls).toContainEqual([
    "dispatch",
    { courseId: c.id, scope: { kind: "slide", id: slide.id }, parts: ["slides", "narration", "drafts"] },
  ]);
});

it("shows a component a worker drafted on the open slide", async () => {
  const { emit } = await import("@tauri-apps/api/event");
  const c = course([["One"]]);
  const lesson = c.lessons[0];
  const slide = lesson?.slides[0];
  if (!lesson || !slide) throw new Error("fixture");
  const drafted = view("REVIEW", { cards: [{ heading: "Drafted by a worker", points: ["x"] }] });
  let withDraft = false;
  let loads = 0;
  mockIPC(
    (cmd) => {
      if (cmd === "course") loads += 1;
      switch (cmd) {
        case "course":
          return withDraft
            ? { ...c, lessons: [{ ...lesson, slides: [{ ...slide, components: [drafted.component] }] }] }
            : c;
        case "slide_media":
          return { slide_id: slide.id, render: null, thumbnail: null, narration: null, captions: [] };
        case "component":
          return drafted;
        default:
          throw new Error(`unexpected ${cmd}`);
      }
    },
    { shouldMockEvents: true },
  );
  render(CourseView, { courseId: c.id, onBack: () => {} });
  await screen.findByText("No components on this slide yet.");
  withDraft = true;
  await emit("saved", {
    seq: 9,
    entity_type: "component",
    entity_id: drafted.component.id,
    version: 1,
    change: "created",
    slide_id: slide.id,
    lesson_id: null,
  });
  expect(await screen.findByRole("heading", { name: "Review" }, { timeout: 3000 })).toBeTruthy();
  // A save in another course changes nothing here.
  const before = loads;
  await emit("saved", {
    seq: 10,
    entity_type: "slide",
    entity_id: crypto.randomUUID(),
    version: 2,
    change: "updated",
    slide_id: null,
    lesson_id: crypto.randomUUID(),
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(loads).toBe(before);
});

it("a finished job is handled once, not by reloading the course again and again", async () => {
  const { jobFinished } = await import("../src/lib/events.svelte");
  const { job } = await import("./fixtures");
  const c = course([["One"]]);
  const slide = c.lessons[0]?.slides[0];
  if (!slide) throw new Error("fixture");
  let loads = 0;
  let media = 0;
  mockIPC((cmd) => {
    if (cmd === "course") {
      loads += 1;
      return c;
    }
    if (cmd === "slide_media") {
      media += 1;
      return { slide_id: slide.id, render: null, thumbnail: null, narration: null, captions: [] };
    }
    throw new Error(`unexpected ${cmd}`);
  });
  render(CourseView, { courseId: c.id, onBack: () => {} });
  await screen.findByLabelText("Title");
  const [loadsBefore, mediaBefore] = [loads, media];
  jobFinished(job({ kind: "narration", state: "succeeded", target: slide.id }));
  jobFinished(job({ kind: "draft_component", state: "succeeded", target: slide.id }));
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(loads).toBe(loadsBefore);
  // The narration of the open slide was asked for once; the draft is not media.
  expect(media - mediaBefore).toBe(1);
});

it("shows what the team's workers made for the open slide once a sync of the course brings it", async () => {
  const { setTeamStatus } = await import("../src/lib/team.svelte");
  const c = course([["One"]]);
  const slide = c.lessons[0]?.slides[0];
  if (!slide) throw new Error("fixture");
  const synced = (courseId: string, at: string) =>
    ({
      connection: "online",
      remote: null,
      syncing: false,
      last_sync: at,
      last_error: null,
      next_attempt: null,
      waiting: 0,
      conflicts: 0,
      courses: [{ course_id: courseId, title: "t", role: "owner", waiting: 0, conflicts: 0, last_sync: at, last_error: null }],
    }) as unknown as Parameters<typeof setTeamStatus>[0];
  let pulled = false;
  let mediaReads = 0;
  mockIPC((cmd) => {
    switch (cmd) {
      case "course":
        return c;
      case "slide_media":
        mediaReads += 1;
        return {
          slide_id: slide.id,
          render: null,
          thumbnail: null,
          narration: pulled ? { sha256: "a".repeat(64), media_type: "audio/ogg", duration_ms: 1200 } : null,
          captions: [],
        };
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  });
  setTeamStatus(synced(c.id, "2026-12-06T10:00:00Z"));
  try {
    render(CourseView, { courseId: c.id, onBack: () => {} });
    await screen.findByText("No narration yet.");
    const before = mediaReads;
    // A sync of another course reads nothing again.
    setTeamStatus(synced(crypto.randomUUID(), "2026-12-06T10:00:10Z"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mediaReads).toBe(before);
    // The next sync of this one brings the narration a team worker made.
    pulled = true;
    setTeamStatus(synced(c.id, "2026-12-06T10:00:20Z"));
    expect(await screen.findByLabelText("Narration", { selector: "audio" }, { timeout: 3000 })).toBeTruthy();
    expect(mediaReads).toBe(before + 1);
  } finally {
    setTeamStatus(null);
  }
});

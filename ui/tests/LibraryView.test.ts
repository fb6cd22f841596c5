import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CourseSummary } from "../src/lib/generated/ipc";
import { setLocale } from "../src/lib/i18n/index.svelte";
import LibraryView from "../src/lib/LibraryView.svelte";
import { issue } from "./issue";

function course(title: string, id = crypto.randomUUID(), extra: Partial<CourseSummary> = {}): CourseSummary {
  return {
    id,
    title,
    description: "",
    language: "en",
    created_at: "2026-11-28T10:00:00Z",
    updated_at: "2026-11-28T10:00:00Z",
    version: 1,
    lessons: 2,
    slides: 11,
    components: 5,
    ready: 3,
    by_type: { QUIZ: 2, FLASHCARDS: 3 },
    last_edited: new Date(Date.now() - 5 * 60_000).toISOString(),
    first_slide: null,
    ...extra,
  };
}

/** Opens "New course" on one of its ways. */
async function newCourse(way: "From a lecture" | "From a course bundle" | "Empty course") {
  await fireEvent.click(screen.getByRole("button", { name: "New course" }));
  const dialog = await screen.findByRole("dialog");
  await fireEvent.click(within(dialog).getByRole("tab", { name: way }));
  return dialog;
}

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

describe("LibraryView", () => {
  it("shows each course as a card with its picture, counts, readiness and last edit, and opens it", async () => {
    const calls: string[] = [];
    const slideId = crypto.randomUUID();
    const photosynthesis = course("Photosynthesis", undefined, { first_slide: slideId });
    mockIPC((cmd, args) => {
      calls.push(cmd);
      if (cmd === "list_courses") return [photosynthesis, course("Negotiation")];
      if (cmd === "slide_media") {
        expect(args).toEqual({ slideId });
        return { slide_id: slideId, render: null, narration: null, captions: [], thumbnail: { sha256: "ab".repeat(32), media_type: "image/png", duration_ms: null } };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const onOpen = vi.fn();
    const { container } = render(LibraryView, { onOpen });
    const open = await screen.findByRole("button", { name: "Open Photosynthesis" });
    expect(screen.getAllByText("11 slides · 5 activities")).toHaveLength(2);
    expect(screen.getAllByText("3 of 5 ready")).toHaveLength(2);
    expect(screen.getAllByText("Edited 5 minutes ago")).toHaveLength(2);
    expect(screen.getAllByText("Quiz")[0]?.parentElement?.textContent).toBe("Quiz2");
    await vi.waitFor(() => expect(container.querySelector("img")?.getAttribute("src")).toContain("ab".repeat(32)));
    await fireEvent.click(open);
    expect(onOpen).toHaveBeenCalledWith(photosynthesis.id);
    expect(calls.sort()).toEqual(["list_courses", "slide_media"]);
  });

  it("finds courses by title and sorts them", async () => {
    const older = course("Zebra talks", undefined, { last_edited: "2026-01-01T00:00:00Z" });
    const newer = course("Apple pitch", undefined, { last_edited: "2026-06-01T00:00:00Z" });
    mockIPC(() => [older, newer]);
    render(LibraryView, { onOpen: () => {} });
    await screen.findByRole("button", { name: "Open Zebra talks" });
    const titles = () => [...document.querySelectorAll(".courses .title")].map((e) => e.textContent);
    expect(titles()).toEqual(["Apple pitch", "Zebra talks"]);
    await fireEvent.change(screen.getByLabelText("Sort by"), { target: { value: "title" } });
    expect(titles()).toEqual(["Apple pitch", "Zebra talks"]);
    await fireEvent.input(screen.getByRole("searchbox", { name: "Search courses" }), { target: { value: "zeb" } });
    expect(titles()).toEqual(["Zebra talks"]);
    await fireEvent.input(screen.getByRole("searchbox", { name: "Search courses" }), { target: { value: "nothing" } });
    expect(screen.getByText("No course matches “nothing”.")).toBeTruthy();
  });

  it("shows text from a course as text, never as markup", async () => {
    mockIPC(() => [course("<img src=x onerror=alert(1)><script>alert(1)</script>")]);
    const { container } = render(LibraryView, { onOpen: () => {} });
    // The card's title, and the export button's words for screen readers.
    expect(await screen.findAllByText("<img src=x onerror=alert(1)><script>alert(1)</script>")).toHaveLength(2);
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
  });

  it("says what went wrong when the library cannot be read", async () => {
    mockIPC(() => {
      throw { code: "library_unavailable", message: "cannot open the library", details: null };
    });
    render(LibraryView, { onOpen: () => {} });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("cannot open the library");
  });

  it("explains the three ways in when empty, asks for a file, then imports and lists the new course", async () => {
    const imported: unknown[] = [];
    let courses: CourseSummary[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "list_courses") return courses;
      if (cmd === "import_lecture") {
        imported.push(args);
        courses = [course("Talk")];
        return { course_id: courses[0]!.id, title: "Talk", language: "en", lessons: 1, slides: 3 };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    render(LibraryView, { onOpen: () => {} });
    await screen.findByText("Start your first course");
    for (const way of ["From a lecture", "From a course bundle", "Empty course"]) {
      expect(screen.getByRole("button", { name: new RegExp(way) })).toBeTruthy();
    }
    await fireEvent.click(screen.getByRole("button", { name: /From a lecture/ }));
    const dialog = await screen.findByRole("dialog");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Choose the lecture file to import.");
    expect(imported).toEqual([]);

    await fireEvent.input(within(dialog).getByLabelText("Lecture file (Markdown or plain text)"), {
      target: { value: " /home/me/talk.md " },
    });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    expect((await screen.findByRole("status")).textContent).toBe("Imported “Talk”: 1 lessons, 3 slides.");
    expect(imported).toEqual([{ path: "/home/me/talk.md", title: null }]);
    await screen.findByRole("button", { name: "Open Talk" });
    await vi.waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("shows the import error the app gives, by its message, in the dialog", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_courses") return [];
      throw { code: "import_binary", message: "talk.pdf looks like a binary file", details: null };
    });
    render(LibraryView, { onOpen: () => {} });
    await screen.findByText("Start your first course");
    const dialog = await newCourse("From a lecture");
    await fireEvent.input(within(dialog).getByLabelText("Lecture file (Markdown or plain text)"), {
      target: { value: "talk.pdf" },
    });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Import" }));
    expect((await within(dialog).findByRole("alert")).textContent).toContain("looks like a binary file");
  });

  it("starts an empty course and opens it", async () => {
    const made = course("Week 1");
    mockIPC((cmd, args) => {
      if (cmd === "list_courses") return [];
      if (cmd === "create_course") {
        expect(args).toEqual({ title: "Week 1", language: null });
        return made;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const onOpen = vi.fn();
    render(LibraryView, { onOpen });
    await screen.findByText("Start your first course");
    const dialog = await newCourse("Empty course");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Give the course a title.");
    await fireEvent.input(within(dialog).getByLabelText("Course title"), { target: { value: " Week 1 " } });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
    await vi.waitFor(() => expect(onOpen).toHaveBeenCalledWith(made.id));
  });

  it("speaks Korean when asked", async () => {
    setLocale("ko");
    mockIPC(() => []);
    render(LibraryView, { onOpen: () => {} });
    await screen.findByText("첫 과정을 시작하세요");
    expect(screen.getByRole("button", { name: "새 과정" })).toBeTruthy();
  });
});

describe("course bundles", () => {
  it("imports a bundle as a copy and exports a course", async () => {
    const talk = course("Talk");
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "list_courses") return [talk];
      if (cmd === "import_bundle")
        return {
          course_id: talk.id,
          title: "Talk",
          copied: true,
          lessons: 1,
          slides: 4,
          components: 2,
          assets: 3,
          outputs: 8,
          unused_files: 0,
          changes: [
            {
              change: "made_draft",
              component_id: talk.id,
              component_type: "QUIZ",
              issues: [issue("/questions/0/options", "a question needs at least two options", "question_needs_two_options")],
            },
          ],
        };
      if (cmd === "export_bundle") return { course_id: talk.id, path: "/home/me/Talk.classkit", assets: 3, bytes: 100 };
      throw new Error(`unexpected ${cmd}`);
    });
    render(LibraryView, { onOpen: () => {} });
    await screen.findByRole("button", { name: "Open Talk" });
    const dialog = await newCourse("From a course bundle");
    await fireEvent.click(within(dialog).getByLabelText("As a new copy (new ids), when the course is already here"));
    await fireEvent.click(within(dialog).getByRole("button", { name: "Choose a bundle…" }));
    const imported = await screen.findByText(/Imported “Talk”: 4 slides, 2 components/);
    expect(imported.getAttribute("role")).toBe("status");
    expect(imported.textContent).toContain("1 ready component(s) break today's rules and were kept as drafts");
    await fireEvent.click(screen.getByRole("button", { name: "Export Talk" }));
    expect(await screen.findByText("Exported “Talk” to /home/me/Talk.classkit (3 files).")).toBeTruthy();
    expect(calls.filter(([c]) => c !== "list_courses")).toEqual([
      ["import_bundle", { asCopy: true }],
      ["export_bundle", { courseId: talk.id }],
    ]);
  });
});

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CourseSummary } from "../src/lib/generated/ipc";
import { setLocale } from "../src/lib/i18n/index.svelte";
import LibraryView from "../src/lib/LibraryView.svelte";
import { issue } from "./issue";

function course(title: string, id = crypto.randomUUID()): CourseSummary {
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
  };
}

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

describe("LibraryView", () => {
  it("lists the courses of the library and opens one", async () => {
    const calls: string[] = [];
    const photosynthesis = course("Photosynthesis");
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "list_courses") return [photosynthesis, course("Negotiation")];
      throw new Error(`unexpected ${cmd}`);
    });
    const onOpen = vi.fn();
    render(LibraryView, { onOpen });
    const open = await screen.findByRole("button", { name: "Open Photosynthesis" });
    expect(screen.getAllByText("2 lessons · 11 slides · 5 components")).toHaveLength(2);
    await fireEvent.click(open);
    expect(onOpen).toHaveBeenCalledWith(photosynthesis.id);
    expect(calls).toEqual(["list_courses"]);
  });

  it("shows text from a course as text, never as markup", async () => {
    mockIPC(() => [course("<img src=x onerror=alert(1)><script>alert(1)</script>")]);
    const { container } = render(LibraryView, { onOpen: () => {} });
    await screen.findByText("<img src=x onerror=alert(1)><script>alert(1)</script>");
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

  it("asks for a file before importing, then imports and lists the new course", async () => {
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
    await screen.findByText("No courses yet. Import a lecture to start one.");
    await fireEvent.click(screen.getByRole("button", { name: "Import" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Choose the lecture file to import.");
    expect(imported).toEqual([]);

    await fireEvent.input(screen.getByLabelText("Lecture file (Markdown or plain text)"), {
      target: { value: " /home/me/talk.md " },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Import" }));
    expect((await screen.findByRole("status")).textContent).toBe(
      "Imported “Talk”: 1 lessons, 3 slides.",
    );
    expect(imported).toEqual([{ path: "/home/me/talk.md", title: null }]);
    await screen.findByRole("button", { name: "Open Talk" });
  });

  it("shows the import error the app gives, by its message", async () => {
    mockIPC((cmd) => {
      if (cmd === "list_courses") return [];
      throw { code: "import_binary", message: "talk.pdf looks like a binary file", details: null };
    });
    render(LibraryView, { onOpen: () => {} });
    await fireEvent.input(screen.getByLabelText("Lecture file (Markdown or plain text)"), {
      target: { value: "talk.pdf" },
    });
    await fireEvent.click(screen.getByRole("button", { name: "Import" }));
    expect((await screen.findByRole("alert")).textContent).toContain("looks like a binary file");
  });

  it("speaks Korean when asked", async () => {
    setLocale("ko");
    mockIPC(() => []);
    render(LibraryView, { onOpen: () => {} });
    await screen.findByText("아직 과정이 없습니다. 강의를 가져와 시작하세요.");
    expect(screen.getByRole("button", { name: "가져오기" })).toBeTruthy();
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
    await fireEvent.click(screen.getByLabelText("As a new copy (new ids), when the course is already here"));
    await fireEvent.click(screen.getByRole("button", { name: "Choose a bundle…" }));
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

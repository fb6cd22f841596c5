import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import SlideEditor from "../src/lib/SlideEditor.svelte";
import { slide } from "./fixtures";

afterEach(() => {
  cleanup();
  clearMocks();
});

it("saves only what the author changed, after a pause, and previews Markdown safely", async () => {
  const s = slide(crypto.randomUUID(), "환영합니다", 0, { body: "- one" });
  const saves: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "edit_slide") {
      saves.push(args);
      return { ...s, version: s.version + saves.length };
    }
    throw new Error(`unexpected ${cmd}`);
  });
  const onsaved = vi.fn();
  render(SlideEditor, { slide: s, media: null, lang: "ko", onsaved });

  const body = screen.getByLabelText("Body (Markdown)");
  await fireEvent.input(body, { target: { value: "**굵게** <script>alert(1)</script>" } });
  await fireEvent.input(body, { target: { value: "**굵게** <img src=x onerror=alert(1)>" } });
  const preview = screen.getByRole("region", { name: "Body preview" });
  expect(preview.querySelector("strong")?.textContent).toBe("굵게");
  expect(preview.querySelector("img")).toBeNull();
  expect(preview.textContent).toContain("<img src=x onerror=alert(1)>");
  expect(document.querySelector(".save-state")?.textContent).toContain("Saving");

  await vi.waitFor(() => expect(saves).toHaveLength(1), { timeout: 3000 });
  expect(saves[0]).toEqual({
    slideId: s.id,
    changes: { body: "**굵게** <img src=x onerror=alert(1)>" },
    expectedVersion: null,
  });
  await vi.waitFor(() => expect(document.querySelector(".save-state")?.textContent).toContain("All changes saved"));
  expect(onsaved).toHaveBeenCalled();

  // An empty title is said to be wrong (and still saved: nothing typed is lost).
  const title = screen.getByLabelText("Title");
  await fireEvent.input(title, { target: { value: "" } });
  expect(screen.getByText("A slide needs a title.")).toBeTruthy();
  expect(title.getAttribute("aria-invalid")).toBe("true");
  await vi.waitFor(() => expect(saves).toHaveLength(2), { timeout: 3000 });
  expect(saves[1]).toEqual({ slideId: s.id, changes: { title: "" }, expectedVersion: null });
});

it("waits for the input method to finish composing Korean", async () => {
  const s = slide(crypto.randomUUID(), "제목", 0);
  const saves: unknown[] = [];
  mockIPC((cmd, args) => {
    saves.push(args);
    return s;
  });
  render(SlideEditor, { slide: s, media: null, lang: "ko" });
  const notes = screen.getByLabelText("Speaker notes (narration)");
  // While composing, input events carry partial syllables: not taken.
  await fireEvent.input(notes, { target: { value: "안" }, isComposing: true });
  await fireEvent.input(notes, { target: { value: "안녕" }, isComposing: true });
  expect(document.querySelector(".save-state")?.textContent).toContain("All changes saved");
  await fireEvent.compositionEnd(notes, { target: { value: "안녕하세요" } });
  await vi.waitFor(() => expect(saves).toHaveLength(1), { timeout: 3000 });
  expect(saves[0]).toEqual({ slideId: s.id, changes: { speaker_notes: "안녕하세요" }, expectedVersion: null });
});

it("restores an earlier version of the slide from its history", async () => {
  const s = slide(crypto.randomUUID(), "New title", 0, { version: 3 });
  mockIPC((cmd, args) => {
    if (cmd === "history")
      return [1, 2, 3].map((version) => ({
        entity_type: "slide",
        entity_id: s.id,
        version,
        change: version === 1 ? "created" : "updated",
        created_at: s.created_at,
        data: {},
      }));
    if (cmd === "restore") {
      expect(args).toEqual({ id: s.id, version: 1 });
      return { ...s, entity_type: "slide", title: "Old title", version: 4 };
    }
    if (cmd === "diff") return { id: s.id, from_version: 1, to_version: 2, lines: [] };
    throw new Error(`unexpected ${cmd}`);
  });
  const onsaved = vi.fn();
  render(SlideEditor, { slide: s, media: null, onsaved });
  await fireEvent.click(screen.getByRole("button", { name: "History" }));
  await fireEvent.click(await screen.findByRole("button", { name: "Restore version 1" }));
  await vi.waitFor(() => expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("Old title"));
  expect(onsaved).toHaveBeenCalledWith(expect.objectContaining({ title: "Old title", version: 4 }));
});

it("an edit still waiting when the author opens another slide is saved to its own slide", async () => {
  const a = slide(crypto.randomUUID(), "Slide A", 0);
  const b = slide(crypto.randomUUID(), "Slide B", 1);
  const saves: { slideId: string }[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "edit_slide") {
      saves.push(args as { slideId: string });
      return a;
    }
    throw new Error(`unexpected ${cmd}`);
  });
  // As CourseView does: the same editor component, its slide prop changing, keyed by id.
  const { rerender } = render(SlideEditor, { slide: a, media: null });
  await fireEvent.input(screen.getByLabelText("Title"), { target: { value: "Slide A, renamed" } });
  await rerender({ slide: b, media: null });
  await vi.waitFor(() => expect(saves).toHaveLength(1), { timeout: 3000 });
  expect(saves[0]).toEqual({ slideId: a.id, changes: { title: "Slide A, renamed" }, expectedVersion: null });
});

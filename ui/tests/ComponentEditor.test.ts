import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import ComponentEditor from "../src/lib/editors/ComponentEditor.svelte";
import type { ComponentType, ComponentView, ValidationIssue } from "../src/lib/generated/ipc";
import { layoutEn } from "../src/lib/i18n/layout";
import { componentTypes } from "../src/lib/schema";
import { view } from "./fixtures";
import { issue } from "./issue";

afterEach(() => {
  cleanup();
  clearMocks();
});

function field(pointer: string): HTMLInputElement {
  const id = `field${pointer.replace(/[^A-Za-z0-9_-]/g, (c) => `-${c.charCodeAt(0)}-`)}`;
  const el = document.getElementById(id);
  if (!el) throw new Error(`no field for ${pointer}`);
  return el as HTMLInputElement;
}

it.each(componentTypes)("draws a form for an empty %s draft", (type: ComponentType) => {
  mockIPC(() => null);
  render(ComponentEditor, { view: view(type, {}) });
  expect(screen.getAllByRole("heading", { level: 3 })[0]?.textContent).not.toBe("");
  expect(screen.getByRole("radio", { name: "Draft" })).toHaveProperty("checked", true);
});

it("shows issues at their fields, saves edits, and is made ready once valid", async () => {
  const v = view("QUIZ", { questions: [{ id: "q1", kind: "single_choice", text: "" }] }, [
    issue("/questions/0/text", "a question needs its text"),
    issue("/questions/0/options", "a choice question needs at least 2 options"),
  ]);
  const id = v.component.id;
  const saves: unknown[] = [];
  let version = 1;
  let ready = false;
  const reply = (payload: unknown, issues: ValidationIssue[]): ComponentView => ({
    component: { ...v.component, payload: payload as Record<string, unknown>, version, status: ready ? "ready" : "draft" },
    issues,
    moved_to_draft: false,
  });
  let lastPayload: unknown = v.component.payload;
  let setReadyCalls = 0;
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === "save_component") {
      saves.push(a);
      version += 1;
      lastPayload = a["payload"];
      const text = (lastPayload as { questions: { text: string }[] }).questions[0]?.text;
      return reply(lastPayload, text ? [] : [issue("/questions/0/text", "a question needs its text")]);
    }
    if (cmd === "set_ready") {
      setReadyCalls += 1;
      const text = (lastPayload as { questions: { text: string }[] }).questions[0]?.text;
      if (!text) throw { code: "validation_failed", message: "not valid", details: { issues: [issue("/questions/0/text", "a question needs its text")] } };
      ready = a["ready"] === true;
      version += 1;
      return reply(lastPayload, []);
    }
    if (cmd === "grade") return { score: 0, max_score: 1, items: [] };
    throw new Error(`unexpected ${cmd}`);
  });
  render(ComponentEditor, { view: v });

  // The issue is beside its field, and the field says it is invalid.
  const text = field("/questions/0/text");
  expect(text.getAttribute("aria-invalid")).toBe("true");
  const described = document.getElementById(text.getAttribute("aria-describedby") ?? "");
  expect(described?.textContent).toContain("a question needs its text");
  // The list's own issue is at the list, and in the summary.
  expect(screen.getByText("a choice question needs at least 2 options")).toBeTruthy();
  expect(
    screen.getByRole("button", { name: "Question 1 › Options" }).parentElement?.textContent,
  ).toContain("a choice question needs at least 2 options");

  // Ready is refused while it is invalid, with the reason.
  await fireEvent.click(screen.getByRole("radio", { name: "Ready for learners" }));
  expect(await screen.findByText(/Not ready yet/)).toBeTruthy();

  // Typing fixes it: saved after a pause, with the expected version.
  await fireEvent.input(text, { target: { value: "<script>alert(1)</script> What first?" } });
  await vi.waitFor(() => expect(saves).toHaveLength(1), { timeout: 3000 });
  expect(saves[0]).toEqual({
    componentId: id,
    payload: { questions: [{ id: "q1", kind: "single_choice", text: "<script>alert(1)</script> What first?" }] },
    expectedVersion: 1,
  });
  await vi.waitFor(() => expect(field("/questions/0/text").getAttribute("aria-invalid")).toBe("false"));
  expect(document.querySelector("script")).toBeNull();

  // The refused click left the radios as they were, so Ready can be chosen again.
  expect(screen.getByRole("radio", { name: "Draft" })).toHaveProperty("checked", true);
  const readyCalls = () => setReadyCalls;
  await fireEvent.click(screen.getByRole("radio", { name: "Ready for learners" }));
  await vi.waitFor(() => expect(readyCalls()).toBe(2));
  await vi.waitFor(() =>
    expect(screen.getByRole("radio", { name: "Ready for learners" })).toHaveProperty("checked", true),
  );
});

it("adds, reorders and removes list items", async () => {
  const saves: { payload: { questions: { id: string }[] } }[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "save_component") {
      saves.push(args as never);
      const a = args as { payload: Record<string, unknown> };
      return { component: { ...v.component, payload: a.payload, version: 2 }, issues: [] };
    }
    return null;
  });
  const v = view("QUIZ", { questions: [] });
  render(ComponentEditor, { view: v });
  const add = screen.getByRole("button", { name: "Add a question" });
  await fireEvent.click(add);
  // The keyboard is on the new question's text.
  await vi.waitFor(() => expect(document.activeElement).toBe(field("/questions/0/text")));
  await fireEvent.click(add);
  await fireEvent.input(field("/questions/1/text"), { target: { value: "Second?" } });
  // Ids are the app's: made for each new item, never shown.
  expect(() => field("/questions/0/id")).toThrow();
  await fireEvent.click(screen.getByRole("button", { name: "Move Question 2 up" }));
  expect(field("/questions/0/text").value).toBe("Second?");
  await fireEvent.click(screen.getByRole("button", { name: "Remove Question 2" }));
  expect(() => field("/questions/1/text")).toThrow();
  await vi.waitFor(() => expect(saves.length).toBeGreaterThan(0), { timeout: 3000 });
  expect(saves.at(-1)?.payload.questions.map((q) => q.id)).toEqual(["q2"]);
});

it("shows only the fields of a question's kind and of the matching mode", async () => {
  mockIPC(() => null);
  render(ComponentEditor, {
    view: view("QUIZ", { questions: [{ id: "q1", kind: "true_false", text: "The sky is blue." }] }),
  });
  expect(() => field("/questions/0/options")).toThrow();
  expect(field("/questions/0/answer").tagName).toBe("SELECT");
  cleanup();

  render(ComponentEditor, { view: view("MATCHING", { mode: "pairs", pairs: [] }) });
  const form = document.querySelector(".form") as HTMLElement;
  expect(within(form).getByRole("button", { name: "Add a pair" })).toBeTruthy();
  await fireEvent.change(field("/mode"), { target: { value: "order" } });
  expect(within(form).queryByRole("button", { name: "Add a pair" })).toBeNull();
  expect(within(form).getByRole("button", { name: "Add a step" })).toBeTruthy();
});

it("deletes a component only when asked twice", async () => {
  const v = view("REVIEW", { cards: [] }, [], { version: 3 });
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    return null;
  });
  const ondeleted = vi.fn();
  render(ComponentEditor, { view: v, ondeleted });
  await fireEvent.click(screen.getByRole("button", { name: "Delete this Review" }));
  expect(calls).toEqual([]);
  await fireEvent.click(screen.getByRole("button", { name: /Really delete this Review/ }));
  await vi.waitFor(() => expect(ondeleted).toHaveBeenCalledWith(v.component.id));
  expect(calls).toEqual([["delete_component", { componentId: v.component.id, expectedVersion: 3 }]]);
});

it("keeps a 20,000-character answer as typed and shows the limit at its field", async () => {
  const long = "가".repeat(20_000);
  const v = view("QUIZ", {
    questions: [{ id: "q1", kind: "single_choice", text: "Q?", options: [{ id: "a", text: "", correct: true }] }],
  });
  const saved: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "save_component") return null;
    const a = args as { payload: Record<string, unknown> };
    saved.push(a.payload);
    return {
      component: { ...v.component, payload: a.payload, version: 2 },
      issues: [
        issue("/questions/0/options/0/text", "this text is 20000 characters long; the limit is 2000", "text_too_long", { count: 20000, max: 2000 }),
      ],
    };
  });
  render(ComponentEditor, { view: v });
  const option = field("/questions/0/options/0/text");
  await fireEvent.input(option, { target: { value: long } });
  await vi.waitFor(() => expect(saved).toHaveLength(1), { timeout: 3000 });
  expect(JSON.stringify(saved[0])).toContain(long);
  await vi.waitFor(() => expect(field("/questions/0/options/0/text").getAttribute("aria-invalid")).toBe("true"));
  const described = document.getElementById(field("/questions/0/options/0/text").getAttribute("aria-describedby") ?? "");
  expect(described?.textContent).toContain("the limit is 2000");
  expect(field("/questions/0/options/0/text").value).toHaveLength(20_000);
});

it.each(componentTypes.filter((t) => t !== "CLOZE"))("adds an item to the first list of a %s and saves it", async (type: ComponentType) => {
  const saves: Record<string, unknown>[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "save_component") return null;
    const a = args as { payload: Record<string, unknown> };
    saves.push(a.payload);
    return { component: { ...view(type, a.payload).component, version: 2 }, issues: [] };
  });
  render(ComponentEditor, { view: view(type, {}) });
  const form = document.querySelector(".form") as HTMLElement;
  const add = form.querySelector<HTMLButtonElement>("button.add");
  if (!add) throw new Error(`no list in the ${type} form`);
  const label = add.textContent?.trim() ?? "";
  // The field the button adds to, by its button's English words ("Add a card"), wherever
  // it is in the payload.
  const key = Object.entries(layoutEn).find(([k, words]) => k.startsWith("add.") && words === label)?.[0].replace("add.", "");
  if (!key) throw new Error(`no list whose button says ${label}`);
  await fireEvent.click(add);
  await vi.waitFor(() => expect(saves).toHaveLength(1), { timeout: 3000 });
  const find = (v: unknown): unknown =>
    typeof v !== "object" || v === null
      ? undefined
      : key in v
        ? (v as Record<string, unknown>)[key]
        : Object.values(v).map(find).find((x) => x !== undefined);
  const list = find(saves[0]);
  expect(Array.isArray(list) && list.length === 1, `${type}: ${JSON.stringify(saves[0])}`).toBe(true);
});

it("says so when the app moved a ready component back to draft because an edit broke a rule", async () => {
  const v = view("REVIEW", { title: "Light", cards: [{ heading: "Light", points: ["Energy"] }] }, [], { status: "ready" });
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    const a = args as Record<string, unknown>;
    if (cmd === "save_component") {
      return {
        component: { ...v.component, payload: a["payload"] as Record<string, unknown>, version: 2, status: "draft" },
        issues: [issue("/cards/0/heading", "a card needs its heading")],
        moved_to_draft: true,
      } satisfies ComponentView;
    }
    if (cmd === "grade") return { score: 0, max_score: 1, items: [] };
    throw new Error(`unexpected ${cmd}`);
  });
  render(ComponentEditor, { view: v });
  await fireEvent.input(field("/cards/0/heading"), { target: { value: "" } });
  expect(await screen.findByText(/Moved back to draft/, {}, { timeout: 3000 })).toBeTruthy();
  expect(screen.getByRole("radio", { name: "Draft" })).toHaveProperty("checked", true);
  // One save: the rule lives in the app, not in calls the UI makes.
  expect(calls.filter((c) => c !== "grade")).toEqual(["save_component"]);
});

it("edits a CLOZE in its text: a click blanks a word, a blank's popover puts it back", async () => {
  const saves: Record<string, unknown>[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "save_component") return null;
    const a = args as { payload: Record<string, unknown> };
    saves.push(a.payload);
    return { component: { ...view("CLOZE", a.payload).component, version: saves.length + 1 }, issues: [] };
  });
  render(ComponentEditor, { view: view("CLOZE", { text: "Write down your target price.", blanks: [] }) });
  await fireEvent.click(screen.getByRole("button", { name: "Blank “target”" }));
  const blank = await screen.findByRole("button", { name: "Blank: target. Edit it" });
  await vi.waitFor(() => expect(document.activeElement).toBe(blank));
  await vi.waitFor(() => expect(saves).toHaveLength(1), { timeout: 3000 });
  expect(saves[0]).toMatchObject({ text: "Write down your [[b1]] price.", blanks: [{ id: "b1", answers: ["target"] }] });
  // The blank's answers, hint and distractors are in its popover, with "Put the word back".
  await fireEvent.click(blank);
  await fireEvent.click(await screen.findByRole("button", { name: "Put the word back" }));
  await vi.waitFor(() => expect(saves).toHaveLength(2), { timeout: 3000 });
  expect(saves[1]).toMatchObject({ text: "Write down your target price.", blanks: [] });
});

it("names each problem by its place in words, and takes the keyboard there", async () => {
  mockIPC(() => null);
  render(ComponentEditor, {
    view: view(
      "QUIZ",
      { questions: [{ id: "q1", kind: "single_choice", text: "Q?", options: [{ id: "o1", text: "" }] }] },
      [issue("/questions/0/options/0/text", "an option needs its text")],
    ),
  });
  const link = screen.getByRole("button", { name: "Question 1 › Option 1 › Text" });
  expect(link.parentElement?.textContent).toContain("an option needs its text");
  expect(document.querySelector(".issue-summary code")).toBeNull();
  await fireEvent.click(link);
  expect(document.activeElement).toBe(field("/questions/0/options/0/text"));
});

it("lays a quiz option out as one row with a tick, and Enter adds the next option", async () => {
  const saves: Record<string, unknown>[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "save_component") return null;
    const a = args as { payload: Record<string, unknown> };
    saves.push(a.payload);
    return { component: { ...view("QUIZ", a.payload).component, version: saves.length + 1 }, issues: [] };
  });
  render(ComponentEditor, {
    view: view("QUIZ", { questions: [{ id: "q1", kind: "single_choice", text: "Q?", options: [{ id: "o1", text: "Yes" }] }] }),
  });
  const tick = field("/questions/0/options/0/correct");
  expect(tick.getAttribute("type")).toBe("checkbox");
  expect(tick.closest("fieldset")?.classList.contains("row")).toBe(true);
  // The option's feedback waits under "More options".
  expect(field("/questions/0/options/0/feedback").closest("details")?.open).toBe(false);
  await fireEvent.keyDown(field("/questions/0/options/0/text"), { key: "Enter" });
  await vi.waitFor(() => expect(document.activeElement).toBe(field("/questions/0/options/1/text")));
  // Enter while an input method is composing (Korean) adds nothing.
  await fireEvent.keyDown(field("/questions/0/options/1/text"), { key: "Enter", isComposing: true });
  expect(() => field("/questions/0/options/2/text")).toThrow();
  await vi.waitFor(() => expect(saves.length).toBeGreaterThan(0), { timeout: 3000 });
  const options = (saves.at(-1)?.["questions"] as { options: { id: string }[] }[])[0]?.options;
  expect(options?.map((o) => o.id)).toEqual(["o1", "o2"]);
});

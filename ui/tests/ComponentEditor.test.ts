import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import ComponentEditor from "../src/lib/editors/ComponentEditor.svelte";
import type { ComponentType, ComponentView, ValidationIssue } from "../src/lib/generated/ipc";
import { fieldsEn } from "../src/lib/i18n/fields";
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
  expect(screen.getAllByText("a choice question needs at least 2 options")).toHaveLength(2);

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
  const add = screen.getByRole("button", { name: "Add to Questions" });
  await fireEvent.click(add);
  await fireEvent.click(add);
  expect(field("/questions/0/id").value).toBe("q1");
  expect(field("/questions/1/id").value).toBe("q2");
  await fireEvent.click(screen.getByRole("button", { name: "Move Questions item 2 up" }));
  expect(field("/questions/0/id").value).toBe("q2");
  await fireEvent.click(screen.getByRole("button", { name: "Remove Questions item 2" }));
  expect(() => field("/questions/1/id")).toThrow();
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
  expect(within(form).getByRole("button", { name: "Add to Pairs" })).toBeTruthy();
  await fireEvent.change(field("/mode"), { target: { value: "order" } });
  expect(within(form).queryByRole("button", { name: "Add to Pairs" })).toBeNull();
  expect(within(form).getByRole("button", { name: "Add to Steps" })).toBeTruthy();
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

it.each(componentTypes)("adds an item to the first list of a %s and saves it", async (type: ComponentType) => {
  const saves: Record<string, unknown>[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "save_component") return null;
    const a = args as { payload: Record<string, unknown> };
    saves.push(a.payload);
    return { component: { ...view(type, a.payload).component, version: 2 }, issues: [] };
  });
  render(ComponentEditor, { view: view(type, {}) });
  const form = document.querySelector(".form") as HTMLElement;
  const add = within(form)
    .getAllByRole("button")
    .find((b) => b.textContent?.startsWith("Add to "));
  if (!add) throw new Error(`no list in the ${type} form`);
  const label = add.textContent?.replace("Add to ", "") ?? "";
  // The field the button adds to, by its English name, wherever it is in the payload.
  const key = Object.entries(fieldsEn).find(([, name]) => name === label)?.[0].replace("field.", "");
  if (!key) throw new Error(`no field named ${label}`);
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

import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import SlideTree from "../src/lib/SlideTree.svelte";
import { course } from "./fixtures";

afterEach(cleanup);

it("moves slides from the keyboard, within a lesson and across lessons", async () => {
  const tree = course([
    ["One", "Two", "Three"],
    ["Four"],
  ]);
  const [a, b] = tree.lessons;
  if (!a || !b) throw new Error("lessons");
  const [one, two, three] = a.slides;
  if (!one || !two || !three) throw new Error("slides");
  const onmove = vi.fn();
  const onselect = vi.fn();
  render(SlideTree, { tree, selected: two.id, onselect, onmove, onaddslide: vi.fn() });

  const second = screen.getByRole("button", { name: /Two/ });
  expect(second.getAttribute("aria-current")).toBe("true");
  await fireEvent.keyDown(second, { key: "ArrowDown", altKey: true });
  expect(onmove).toHaveBeenLastCalledWith(two.id, a.id, 2);
  await fireEvent.keyDown(second, { key: "ArrowUp", altKey: true });
  expect(onmove).toHaveBeenLastCalledWith(two.id, a.id, 0);
  // The last slide of a lesson goes on into the next lesson, first.
  await fireEvent.keyDown(screen.getByRole("button", { name: /Three/ }), { key: "ArrowDown", altKey: true });
  expect(onmove).toHaveBeenLastCalledWith(three.id, b.id, 0);
  // Alt+Shift moves to the end of the lesson before.
  await fireEvent.keyDown(screen.getByRole("button", { name: /Four/ }), {
    key: "ArrowUp",
    altKey: true,
    shiftKey: true,
  });
  expect(onmove).toHaveBeenLastCalledWith(b.slides[0]?.id, a.id, 3);
  // Arrows without Alt do not move anything.
  onmove.mockClear();
  await fireEvent.keyDown(second, { key: "ArrowDown" });
  expect(onmove).not.toHaveBeenCalled();

  await fireEvent.click(screen.getByRole("button", { name: /One/ }));
  expect(onselect).toHaveBeenCalledWith(one.id);
});

it("moves a slide by dragging it onto another", async () => {
  const tree = course([["One", "Two", "Three"]]);
  const lesson = tree.lessons[0];
  if (!lesson) throw new Error("lesson");
  const onmove = vi.fn();
  render(SlideTree, { tree, selected: null, onselect: vi.fn(), onmove, onaddslide: vi.fn() });
  const items = screen.getAllByRole("listitem");
  const [first, , third] = items;
  if (!first || !third) throw new Error("items");
  await fireEvent.dragStart(first);
  await fireEvent.dragOver(third);
  await fireEvent.drop(third);
  // Dropped on "Three": it goes before it, which is place 1 once "One" has left.
  expect(onmove).toHaveBeenCalledWith(lesson.slides[0]?.id, lesson.id, 1);
});

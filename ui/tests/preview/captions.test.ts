import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it } from "vitest";
import Captions from "../../src/lib/preview/Captions.svelte";

afterEach(cleanup);

const cues = [
  { start_ms: 0, end_ms: 2000, text: "Light becomes sugar." },
  { start_ms: 2300, end_ms: 4000, text: "Oxygen is <released>." },
];

it("shows the sentence being spoken, and the whole transcript", async () => {
  const { container, rerender } = render(Captions, { cues, time: 0.5 });
  const line = container.querySelector(".line");
  expect(line?.textContent).toBe("Light becomes sugar.");
  await rerender({ cues, time: 2.1 });
  expect(container.querySelector(".line")?.textContent).toBe("");
  await rerender({ cues, time: 3 });
  expect(container.querySelector(".line")?.textContent).toBe("Oxygen is <released>.");
  // Text, never markup.
  expect(container.querySelector("released")).toBeNull();
  expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(cues.map((c) => c.text));
  await fireEvent.click(screen.getByRole("checkbox", { name: "Captions" }));
  expect(container.querySelector(".line")).toBeNull();
});

it("shows nothing without cues", () => {
  const { container } = render(Captions, { cues: [], time: 0 });
  expect(container.textContent?.trim()).toBe("");
});

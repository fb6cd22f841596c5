import { fireEvent, render, screen } from "@testing-library/svelte";
import { expect, it } from "vitest";
import type { HotspotPayload } from "../../src/lib/generated/ipc";
import LearnerPreview from "../../src/lib/preview/LearnerPreview.svelte";
import { mockGrade } from "./harness";

const IMAGE = "5f2b9c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c";

// `chloroplast()` of crates/model/src/components/hotspot.rs: the granum lies on the stroma.
function chloroplast(mode: "explore" | "label" | "find"): HotspotPayload {
  return {
    mode,
    prompt: "Click where the Calvin cycle takes place.",
    image: IMAGE,
    alt_text: "A chloroplast cut open",
    regions: [
      {
        id: "stroma",
        label: "Stroma",
        correct: true,
        feedback: "Yes: the stroma.",
        shape: { kind: "ellipse", cx: 0.5, cy: 0.5, rx: 0.45, ry: 0.35 },
      },
      {
        id: "granum",
        label: "Granum",
        feedback: "That is a granum, a stack of thylakoids.",
        shape: {
          kind: "polygon",
          points: [
            [0.3, 0.3],
            [0.4, 0.3],
            [0.4, 0.6],
            [0.3, 0.6],
          ],
        },
      },
    ],
  };
}

it("finds regions by click or keyboard, answering with a point of each region", async () => {
  const payload = chloroplast("find");
  const calls = mockGrade({
    score: 1,
    max_score: 2,
    items: [
      { pointer: "/regions/0", outcome: "correct", score: 1, max_score: 1, feedback: ["Yes: the stroma."] },
      {
        pointer: "/regions/1",
        outcome: "incorrect",
        score: 0,
        max_score: 1,
        feedback: ["That is a granum, a stack of thylakoids."],
      },
    ],
  });
  render(LearnerPreview, { componentType: "HOTSPOT", payload });
  const image = screen.getByRole("img", { name: "A chloroplast cut open" });
  expect(image.getAttribute("src")).toBe(`classkit://localhost/${IMAGE}`);
  const stroma = screen.getByRole("button", { name: "Region 1" });
  const granum = screen.getByRole("button", { name: "Region 2" });
  expect(stroma.getAttribute("tabindex")).toBe("0");

  await fireEvent.click(stroma);
  expect(stroma.getAttribute("aria-pressed")).toBe("true");
  await fireEvent.keyDown(granum, { key: "Enter" });
  await fireEvent.keyDown(stroma, { key: " " });
  await fireEvent.keyDown(stroma, { key: " " });
  expect(granum.getAttribute("aria-pressed")).toBe("true");
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));

  expect(await screen.findByText("Score: 1 / 2")).toBeTruthy();
  const response = (calls[0] as { response: { clicks: [number, number][] } }).response;
  expect(calls).toEqual([{ componentType: "HOTSPOT", payload, response }]);
  // Granum first (chosen first after the stroma was deselected and chosen again): its middle;
  // the stroma's middle is not covered by the granum on top of it.
  expect(response.clicks).toHaveLength(2);
  const [g, s] = response.clicks;
  expect(g?.[0]).toBeCloseTo(0.35);
  expect(g?.[1]).toBeCloseTo(0.45);
  expect(s).toEqual([0.5, 0.5]);
  expect(screen.getByText("Yes: the stroma.")).toBeTruthy();
  expect(screen.getByText("That is a granum, a stack of thylakoids.")).toBeTruthy();
});

it("picks a point of a region that an overlying region does not cover", async () => {
  const payload = chloroplast("find");
  // Put the granum over the middle of the stroma.
  payload.regions = [
    payload.regions?.[0] ?? {},
    { id: "granum", shape: { kind: "rectangle", x: 0.4, y: 0.4, width: 0.2, height: 0.2 } },
  ];
  const calls = mockGrade({ score: 1, max_score: 1, items: [] });
  render(LearnerPreview, { componentType: "HOTSPOT", payload });
  await fireEvent.click(screen.getByRole("button", { name: "Region 1" }));
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  await screen.findByText("Score: 1 / 1");
  const [[x, y] = [NaN, NaN]] = (calls[0] as { response: { clicks: [number, number][] } }).response.clicks;
  const inStroma = ((x - 0.5) / 0.45) ** 2 + ((y - 0.5) / 0.35) ** 2 <= 1;
  const inGranum = x >= 0.4 && x <= 0.6 && y >= 0.4 && y <= 0.6;
  expect([inStroma, inGranum]).toEqual([true, false]);
});

it("opens regions in explore mode and labels them in label mode", async () => {
  const calls = mockGrade({ score: 1, max_score: 2, items: [] });
  const { unmount } = render(LearnerPreview, { componentType: "HOTSPOT", payload: chloroplast("explore") });
  await fireEvent.click(screen.getByRole("button", { name: "Region 2" }));
  expect(screen.getByRole("heading", { name: "Granum" })).toBeTruthy();
  expect(screen.getByText("That is a granum, a stack of thylakoids.")).toBeTruthy();
  expect(screen.getByRole("button", { name: "Region 2" }).getAttribute("aria-expanded")).toBe("true");
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  await screen.findByText("Score: 1 / 2");
  expect(calls.pop()).toEqual({
    componentType: "HOTSPOT",
    payload: chloroplast("explore"),
    response: { visited: ["granum"] },
  });
  unmount();

  render(LearnerPreview, { componentType: "HOTSPOT", payload: chloroplast("label") });
  const select = screen.getByRole("combobox", { name: "Label for region 1" }) as HTMLSelectElement;
  expect([...select.options].map((o) => o.textContent).slice(1).sort()).toEqual(["Granum", "Stroma"]);
  await fireEvent.change(select, { target: { value: "Stroma" } });
  await fireEvent.click(screen.getByRole("button", { name: "Check answers" }));
  await screen.findByText("Score: 1 / 2");
  expect(calls.pop()).toEqual({
    componentType: "HOTSPOT",
    payload: chloroplast("label"),
    response: { labels: { stroma: "Stroma" } },
  });
});

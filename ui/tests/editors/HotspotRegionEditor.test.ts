import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import HotspotRegionEditor from "../../src/lib/editors/HotspotRegionEditor.svelte";
import {
  type Rectangle,
  drawnRect,
  moveShape,
  resizeRectCorner,
  resizeShape,
  round4,
} from "../../src/lib/editors/geometry";
import type { HotspotRegion, ValidationIssue } from "../../src/lib/generated/ipc";
import { issue } from "../issue";

// jsdom has no PointerEvent: a MouseEvent with a pointer id carries clientX/clientY.
beforeAll(() => {
  if (typeof window.PointerEvent === "undefined") {
    class PointerEventPolyfill extends MouseEvent {
      readonly pointerId: number;
      readonly pointerType: string;
      constructor(type: string, init: PointerEventInit = {}) {
        super(type, init);
        this.pointerId = init.pointerId ?? 1;
        this.pointerType = init.pointerType ?? "mouse";
      }
    }
    Object.defineProperty(window, "PointerEvent", { value: PointerEventPolyfill, configurable: true });
  }
});

afterEach(() => cleanup());

function setup(regions: HotspotRegion[], issues: ValidationIssue[] = []) {
  const onchange = vi.fn<(regions: HotspotRegion[]) => void>();
  const result = render(HotspotRegionEditor, {
    image: "5f2b9c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
    imageAlt: "A chloroplast",
    regions,
    issues,
    basePointer: "/regions",
    onchange,
  });
  const svg = result.container.querySelector("svg.overlay");
  if (!(svg instanceof SVGSVGElement)) throw new Error("no overlay");
  svg.getBoundingClientRect = () => new DOMRect(0, 0, 1000, 500);
  return { ...result, svg, onchange };
}

function last(onchange: ReturnType<typeof vi.fn<(regions: HotspotRegion[]) => void>>): HotspotRegion[] {
  const call = onchange.mock.calls.at(-1);
  if (!call) throw new Error("onchange was not called");
  return call[0];
}

const rect = (x: number, y: number, width: number, height: number): Rectangle => ({
  kind: "rectangle",
  x,
  y,
  width,
  height,
});

describe("HotspotRegionEditor", () => {
  it("draws a rectangle by dragging on the image", async () => {
    const { svg, onchange } = setup([]);
    await fireEvent.click(screen.getByRole("button", { name: "Draw region" }));
    expect(screen.getByRole("button", { name: "Draw region" }).getAttribute("aria-pressed")).toBe("true");
    await fireEvent.pointerDown(svg, { clientX: 100, clientY: 50, pointerId: 1 });
    await fireEvent.pointerMove(svg, { clientX: 250, clientY: 150, pointerId: 1 });
    // While dragging the draft is shown but nothing is reported.
    expect(onchange).not.toHaveBeenCalled();
    expect(svg.querySelectorAll("[data-region]")).toHaveLength(1);
    await fireEvent.pointerMove(svg, { clientX: 400, clientY: 250, pointerId: 1 });
    await fireEvent.pointerUp(svg, { clientX: 400, clientY: 250, pointerId: 1 });
    expect(onchange).toHaveBeenCalledTimes(1);
    expect(last(onchange)).toEqual([{ id: "r1", label: "", shape: rect(0.1, 0.1, 0.3, 0.4) }]);
    // Drawing ends the draw mode.
    expect(screen.getByRole("button", { name: "Draw region" }).getAttribute("aria-pressed")).toBe("false");
  });

  it("draws a box of a usable size on a mere click, with a fresh id, clamped to the image", async () => {
    const existing = [{ id: "r1", label: "A", shape: rect(0.1, 0.1, 0.2, 0.2) }];
    const { svg, onchange } = setup(existing);
    await fireEvent.click(screen.getByRole("button", { name: "Draw region" }));
    await fireEvent.pointerDown(svg, { clientX: 990, clientY: 495 });
    await fireEvent.pointerUp(svg, { clientX: 990, clientY: 495 });
    const regions = last(onchange);
    expect(regions).toHaveLength(2);
    expect(regions[0]).toEqual(existing[0]);
    expect(regions[1]).toEqual({ id: "r2", label: "", shape: rect(0.9, 0.9, 0.1, 0.1) });
  });

  it("moves the selected region by 1% per arrow key and resizes with Shift", async () => {
    const regions = [{ id: "stroma", label: "Stroma", shape: rect(0.2, 0.3, 0.2, 0.1) }];
    const { onchange } = setup(regions);
    const region = screen.getByRole("button", { name: "Region stroma: Stroma" });
    await fireEvent.keyDown(region, { key: "ArrowRight" });
    expect(onchange).toHaveBeenCalledTimes(1);
    expect(last(onchange)[0]?.shape).toEqual(rect(0.21, 0.3, 0.2, 0.1));
    await fireEvent.keyDown(region, { key: "ArrowUp" });
    expect(onchange).toHaveBeenCalledTimes(2);
    expect(last(onchange)[0]?.shape).toEqual(rect(0.2, 0.29, 0.2, 0.1));
    await fireEvent.keyDown(region, { key: "ArrowDown", shiftKey: true });
    expect(onchange).toHaveBeenCalledTimes(3);
    expect(last(onchange)[0]?.shape).toEqual(rect(0.2, 0.3, 0.2, 0.11));
    // The props were not mutated.
    expect(regions[0]?.shape).toEqual(rect(0.2, 0.3, 0.2, 0.1));
  });

  it("moves a region by dragging it, reporting once on pointer up", async () => {
    const { svg, onchange } = setup([{ id: "a", label: "A", shape: rect(0.2, 0.2, 0.2, 0.2) }]);
    const shape = svg.querySelector('[data-region="0"] rect.shape');
    if (!shape) throw new Error("no shape");
    // A click selects without changing anything.
    await fireEvent.pointerDown(shape, { clientX: 300, clientY: 150 });
    await fireEvent.pointerUp(svg, { clientX: 300, clientY: 150 });
    expect(onchange).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Region a: A" }).getAttribute("aria-pressed")).toBe("true");
    await fireEvent.pointerDown(shape, { clientX: 300, clientY: 150 });
    await fireEvent.pointerMove(svg, { clientX: 350, clientY: 175 });
    await fireEvent.pointerMove(svg, { clientX: 400, clientY: 200 });
    expect(onchange).not.toHaveBeenCalled();
    await fireEvent.pointerUp(svg, { clientX: 400, clientY: 200 });
    expect(onchange).toHaveBeenCalledTimes(1);
    expect(last(onchange)[0]?.shape).toEqual(rect(0.3, 0.3, 0.2, 0.2));
  });

  it("resizes a rectangle by dragging a corner handle", async () => {
    const { svg, onchange } = setup([{ id: "a", label: "A", shape: rect(0.2, 0.2, 0.2, 0.2) }]);
    await fireEvent.click(screen.getByRole("button", { name: /^a\s+A$/ }));
    const handle = svg.querySelector('[data-handle="se"]');
    if (!handle) throw new Error("no handle");
    // Grabbed 3 pixels off its centre, the handle moves by as much as the pointer.
    await fireEvent.pointerDown(handle, { clientX: 403, clientY: 198 });
    await fireEvent.pointerUp(svg, { clientX: 403, clientY: 198 });
    expect(onchange).not.toHaveBeenCalled();
    await fireEvent.pointerDown(handle, { clientX: 403, clientY: 198 });
    await fireEvent.pointerMove(svg, { clientX: 503, clientY: 248 });
    await fireEvent.pointerMove(svg, { clientX: 603, clientY: 298 });
    await fireEvent.pointerUp(svg, { clientX: 603, clientY: 298 });
    expect(onchange).toHaveBeenCalledTimes(1);
    expect(last(onchange)[0]?.shape).toEqual(rect(0.2, 0.2, 0.4, 0.4));
  });

  it("changes an ellipse's radius and moves a polygon's vertex", async () => {
    const { svg, onchange } = setup([
      { id: "e", label: "E", shape: { kind: "ellipse", cx: 0.5, cy: 0.5, rx: 0.1, ry: 0.1 } },
      { id: "p", label: "P", shape: { kind: "polygon", points: [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2]] } },
    ]);
    await fireEvent.click(screen.getByRole("button", { name: /^e\s+E$/ }));
    const rx = svg.querySelector('[data-handle="rx"]');
    if (!rx) throw new Error("no radius handle");
    await fireEvent.pointerDown(rx, { clientX: 600, clientY: 250 });
    await fireEvent.pointerUp(svg, { clientX: 700, clientY: 250 });
    expect(last(onchange)[0]?.shape).toEqual({ kind: "ellipse", cx: 0.5, cy: 0.5, rx: 0.2, ry: 0.1 });
    await fireEvent.click(screen.getByRole("button", { name: /^p\s+P$/ }));
    const vertex = svg.querySelector('[data-handle="v2"]');
    if (!vertex) throw new Error("no vertex handle");
    await fireEvent.pointerDown(vertex, { clientX: 200, clientY: 100 });
    await fireEvent.pointerUp(svg, { clientX: 300, clientY: 200 });
    expect(last(onchange)[1]?.shape).toEqual({
      kind: "polygon",
      points: [[0.1, 0.1], [0.2, 0.1], [0.3, 0.4]],
    });
  });

  it("removes a region with Delete or with the list's Remove button, and Escape deselects", async () => {
    const regions = [
      { id: "a", label: "A", shape: rect(0.1, 0.1, 0.1, 0.1) },
      { id: "b", label: "B", shape: rect(0.5, 0.5, 0.1, 0.1) },
    ];
    const { onchange } = setup(regions);
    const a = screen.getByRole("button", { name: "Region a: A" });
    await fireEvent.focus(a);
    expect(a.getAttribute("aria-pressed")).toBe("true");
    await fireEvent.keyDown(a, { key: "Escape" });
    expect(a.getAttribute("aria-pressed")).toBe("false");
    await fireEvent.keyDown(a, { key: "Delete" });
    expect(last(onchange)).toEqual([regions[1]]);
    await fireEvent.click(screen.getByRole("button", { name: "Remove region b" }));
    expect(last(onchange)).toEqual([regions[0]]);
    expect(onchange).toHaveBeenCalledTimes(2);
  });

  it("marks a region with an issue and shows the issue when it is selected", async () => {
    const { svg } = setup(
      [
        { id: "a", label: "A", shape: rect(0.8, 0.1, 0.3, 0.1) },
        { id: "b", label: "B", shape: rect(0.1, 0.5, 0.1, 0.1) },
        { id: "c", label: "", shape: null },
      ],
      [
        issue("/regions/0/shape", "the rectangle runs past the right edge of the image", "rectangle_past_right_edge"),
        issue("/regions/10/label", "not this one"),
      ],
    );
    const first = svg.querySelector('[data-region="0"]');
    const second = svg.querySelector('[data-region="1"]');
    expect(first?.classList.contains("invalid")).toBe(true);
    expect(second?.classList.contains("invalid")).toBe(false);
    expect(screen.queryByText("the rectangle runs past the right edge of the image")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: /^a\s+A\s+needs attention$/ }));
    expect(screen.getByText("the rectangle runs past the right edge of the image")).toBeTruthy();
    // A region without a shape is listed, with a way to draw it, but not drawn.
    expect(svg.querySelectorAll("[data-region]")).toHaveLength(2);
    expect(screen.getByRole("button", { name: "Draw shape of region c" })).toBeTruthy();
  });

  it("draws the missing shape of a region into that region", async () => {
    const { svg, onchange } = setup([{ id: "c", label: "C", shape: null }]);
    await fireEvent.click(screen.getByRole("button", { name: "Draw shape of region c" }));
    await fireEvent.pointerDown(svg, { clientX: 500, clientY: 250 });
    await fireEvent.pointerUp(svg, { clientX: 700, clientY: 400 });
    expect(last(onchange)).toEqual([{ id: "c", label: "C", shape: rect(0.5, 0.5, 0.2, 0.3) }]);
  });

  it("shows a placeholder without an image", () => {
    render(HotspotRegionEditor, {
      image: null,
      regions: [],
      issues: [],
      basePointer: "/regions",
      onchange: () => {},
    });
    expect(screen.getByText("No image yet — render the slide first.")).toBeTruthy();
    expect(screen.queryByRole("img")).toBeNull();
  });
});

describe("geometry", () => {
  it("keeps shapes on the image and rounds to 4 decimals", () => {
    expect(round4(0.123456)).toBe(0.1235);
    expect(drawnRect({ x: 0.5, y: 0.5 }, { x: 0.502, y: 0.5 })).toEqual(rect(0.45, 0.45, 0.1, 0.1));
    expect(drawnRect({ x: 0.4, y: 0.1 }, { x: 0.1, y: 0.2 })).toEqual(rect(0.1, 0.1, 0.3, 0.1));
    expect(moveShape(rect(0.9, 0.1, 0.1, 0.1), 0.05, -0.2)).toEqual(rect(0.9, 0, 0.1, 0.1));
    expect(resizeShape(rect(0.9, 0.1, 0.1, 0.1), 0.01, 0)).toEqual(rect(0.9, 0.1, 0.1, 0.1));
    expect(resizeShape(rect(0.1, 0.1, 0.01, 0.1), -0.01, 0)).toEqual(rect(0.1, 0.1, 0.01, 0.1));
    // A corner dragged past the opposite one flips the rectangle.
    const r = resizeRectCorner(rect(0.2, 0.2, 0.2, 0.2), "se", { x: 0.1, y: 0.3 });
    expect(r).toEqual(rect(0.1, 0.2, 0.1, 0.1));
    const third = drawnRect({ x: 1 / 3, y: 0 }, { x: 1, y: 1 / 7 });
    if (third.kind !== "rectangle") throw new Error("rectangle");
    expect((third.x ?? 0) + (third.width ?? 0)).toBeLessThanOrEqual(1 + 1e-9);
  });
});

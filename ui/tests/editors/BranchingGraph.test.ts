import { cleanup, fireEvent, render } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import BranchingGraph from "../../src/lib/editors/BranchingGraph.svelte";
import type { BranchingPayload, ValidationIssue } from "../../src/lib/generated/ipc";
import { issue } from "../issue";

afterEach(() => cleanup());

const choice = (id: string, target: string) => ({ id, text: `Choice ${id}`, target, points: 0 });

/** open → (stall, deal); stall → (open, n9 which does not exist); orphan unreachable. */
function scenario(): BranchingPayload {
  return {
    start: "open",
    nodes: [
      { id: "open", title: "Opening", choices: [choice("good", "deal"), choice("poor", "stall")] },
      { id: "stall", title: "Stalling", choices: [choice("retry", "open"), choice("lost", "n9")] },
      { id: "deal", title: "Deal", end: true, outcome: "You closed the deal.", choices: [] },
      { id: "orphan", title: "Forgotten", choices: [] },
    ],
  };
}

function setup(payload: BranchingPayload, issues: ValidationIssue[] = []) {
  const onselect = vi.fn<(index: number) => void>();
  const result = render(BranchingGraph, { payload, issues, onselect });
  const svg = result.container.querySelector<SVGSVGElement>("svg.graph");
  if (!svg) throw new Error("no graph");
  const node = (i: number) => {
    const g = svg.querySelector<SVGGElement>(`g.node[data-node="${i}"]`);
    if (!g) throw new Error(`no node ${i}`);
    return g;
  };
  return { ...result, svg, node, onselect };
}

describe("BranchingGraph alone", () => {
  it("draws only the picture, hidden from screen readers, without the list", () => {
    const { container, svg, node } = setup(scenario());
    expect(svg.getAttribute("aria-hidden")).toBe("true");
    expect(svg.closest(".scroller")).toBeTruthy();
    expect(container.querySelector(".node-list")).toBeNull();
    expect(container.querySelector("h3")).toBeNull();
    expect(svg.querySelectorAll("g.node")).toHaveLength(4);
    expect(node(0).classList.contains("start")).toBe(true);
    expect(node(2).classList.contains("end")).toBe(true);
    expect(node(3).classList.contains("unreachable")).toBe(true);
    expect(node(3).querySelector("text.flag")?.textContent?.trim()).toBe("⚠ unreachable");
    // (The space between the two parts of an SVG <title> is dropped by Svelte; not checked here.)
    expect(node(0).querySelector("title")?.textContent).toMatch(/^open Opening$/);
  });

  it("points a choice to a missing node at the error arrowhead", () => {
    const { svg } = setup(scenario());
    const [arrow, errorArrow] = Array.from(svg.querySelectorAll("marker")).map((m) => m.id);
    expect(arrow).toBeTruthy();
    expect(errorArrow).toBe(`${arrow}-error`);
    const dangling = svg.querySelectorAll("g.edge.dangling");
    expect(dangling).toHaveLength(1);
    expect(dangling[0]?.classList.contains("error")).toBe(true);
    expect(dangling[0]?.querySelector("path")?.getAttribute("marker-end")).toBe(`url(#${errorArrow})`);
    expect(dangling[0]?.querySelector("title")?.textContent).toMatch(/^Choice lost → no node “n9”$/);
    expect(svg.querySelector("g.edge.forward path")?.getAttribute("marker-end")).toBe(`url(#${arrow})`);
  });

  it("selects a node by click, Enter or space and shows it selected", async () => {
    const { node, onselect } = setup(scenario());
    await fireEvent.click(node(1));
    expect(onselect).toHaveBeenLastCalledWith(1);
    expect(node(1).classList.contains("selected")).toBe(true);
    await fireEvent.keyDown(node(2), { key: "Enter" });
    expect(onselect).toHaveBeenLastCalledWith(2);
    expect(node(1).classList.contains("selected")).toBe(false);
    expect(node(2).classList.contains("selected")).toBe(true);
    await fireEvent.keyDown(node(0), { key: " " });
    expect(onselect).toHaveBeenLastCalledWith(0);
    await fireEvent.keyDown(node(3), { key: "a" });
    expect(onselect).toHaveBeenCalledTimes(3);
  });

  it("shows a node with issues as invalid", () => {
    const { node } = setup(scenario(), [issue("/nodes/1/text", "empty")]);
    expect(node(1).classList.contains("invalid")).toBe(true);
    expect(node(0).classList.contains("invalid")).toBe(false);
  });

  it("shows the selection it is given", () => {
    const onselect = vi.fn<(index: number) => void>();
    const { container } = render(BranchingGraph, { payload: scenario(), issues: [], selected: 2, onselect });
    expect(container.querySelector('g.node[data-node="2"]')?.classList.contains("selected")).toBe(true);
    expect(onselect).not.toHaveBeenCalled();
  });
});

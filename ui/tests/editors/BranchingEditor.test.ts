import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import BranchingEditor from "../../src/lib/editors/BranchingEditor.svelte";
import { COL_GAP, NODE_W, PAD, addChoice, layout, removeNode, truncate } from "../../src/lib/editors/graph";
import type { BranchingPayload, ValidationIssue } from "../../src/lib/generated/ipc";
import { issue } from "../issue";

afterEach(() => cleanup());

const choice = (id: string, target: string, points = 0) => ({ id, text: `Choice ${id}`, target, points });

/** open → (stall, deal); stall → (open, nodeal, n9 which does not exist); orphan unreachable. */
function scenario(): BranchingPayload {
  return {
    schema_version: 1,
    title: "The supplier says 47 cents",
    start: "open",
    nodes: [
      { id: "open", title: "Opening", text: "The supplier calls.", choices: [choice("good", "deal", 2), choice("poor", "stall")] },
      { id: "stall", title: "Stalling", text: "Nothing moves.", choices: [choice("retry", "open", -1), choice("give", "nodeal"), choice("lost", "n9")] },
      { id: "deal", title: "Deal", end: true, outcome: "You closed the deal.", choices: [] },
      { id: "nodeal", title: "No deal", end: true, outcome: "No deal.", choices: [] },
      { id: "orphan", title: "Forgotten", text: "Nobody comes here.", choices: [choice("back", "open")] },
    ],
  };
}

function setup(payload: BranchingPayload, issues: ValidationIssue[] = []) {
  const onchange = vi.fn<(payload: BranchingPayload) => void>();
  const onselect = vi.fn<(index: number) => void>();
  const result = render(BranchingEditor, { payload, issues, onchange, onselect });
  return { ...result, onchange, onselect };
}

function last(onchange: ReturnType<typeof vi.fn<(payload: BranchingPayload) => void>>): BranchingPayload {
  const call = onchange.mock.calls.at(-1);
  if (!call) throw new Error("onchange was not called");
  return call[0];
}

function listItem(container: HTMLElement, index: number): HTMLElement {
  const item = container.querySelector<HTMLElement>(`.node-list > li[data-node="${index}"]`);
  if (!item) throw new Error(`no list item ${index}`);
  return item;
}

describe("graph layout", () => {
  it("puts nodes in columns by depth from the start, unreachable ones last", () => {
    const g = layout(scenario());
    expect(g.start).toBe(0);
    expect(g.depth).toEqual([0, 1, 1, 2, null]);
    // In the order the search met them: open's first choice leads to deal, its second to stall.
    expect(g.columns).toEqual([[0], [2, 1], [3]]);
    expect(g.unreachable).toEqual([4]);
    const columnX = (c: number) => PAD + c * (NODE_W + COL_GAP);
    expect(g.positions.map((p) => p.x)).toEqual([columnX(0), columnX(1), columnX(1), columnX(2), columnX(3)]);
    expect(g.positions[2]?.y).toBeLessThan(g.positions[1]?.y ?? 0);
    const kinds = g.edges.map((e) => `${e.from}/${e.choice}:${e.kind}`);
    expect(kinds).toEqual(["0/0:forward", "0/1:forward", "1/0:back", "1/1:forward", "1/2:dangling", "4/0:back"]);
    expect(g.headings.map((h) => h.kind)).toEqual(["start", "step", "step", "unreachable"]);
  });

  it("does not leave end nodes, like validation", () => {
    const g = layout({
      start: "a",
      nodes: [
        { id: "a", choices: [choice("c1", "b")] },
        { id: "b", end: true, choices: [choice("c2", "c")] },
        { id: "c", end: true },
      ],
    });
    expect(g.depth).toEqual([0, 1, null]);
  });

  it("lays every node out as unreachable without a start", () => {
    const g = layout({ start: "", nodes: [{ id: "a" }, { id: "b" }] });
    expect(g.start).toBeNull();
    expect(g.unreachable).toEqual([0, 1]);
  });
});

describe("graph edits", () => {
  it("adds a choice to a new node, both with fresh ids", () => {
    const next = addChoice(scenario(), 1, ":new");
    expect(next.nodes).toHaveLength(6);
    expect(next.nodes?.[5]).toEqual({ id: "n1", title: "", text: "", choices: [], end: false });
    expect(next.nodes?.[1]?.choices?.at(-1)).toEqual({ id: "c1", text: "", target: "n1", points: 0 });
  });

  it("removes a node with the choices that led to it", () => {
    const before = scenario();
    const next = removeNode(before, 2);
    expect(next.nodes?.map((n) => n.id)).toEqual(["open", "stall", "nodeal", "orphan"]);
    expect(next.nodes?.[0]?.choices?.map((c) => c.id)).toEqual(["poor"]);
    expect(next.start).toBe("open");
    // The payload given is left as it was.
    expect(before.nodes).toHaveLength(5);
    expect(before.nodes?.[0]?.choices).toHaveLength(2);
    expect(removeNode(before, 0).start).toBe("");
  });
});

describe("BranchingEditor", () => {
  it("draws the nodes at their depth and flags unreachable nodes and missing targets", () => {
    const { container } = setup(scenario());
    const svg = container.querySelector("svg.graph");
    if (!svg) throw new Error("no graph");
    const x = (i: number) => svg.querySelector(`g.node[data-node="${i}"] rect.box`)?.getAttribute("x");
    expect(x(1)).toBe(x(2));
    expect(Number(x(3))).toBeGreaterThan(Number(x(1)));
    expect(svg.querySelector('g.node[data-node="4"]')?.classList.contains("unreachable")).toBe(true);
    expect(svg.querySelector('g.node[data-node="0"]')?.classList.contains("start")).toBe(true);
    expect(svg.querySelector('g.node[data-node="2"]')?.classList.contains("end")).toBe(true);
    expect(svg.querySelectorAll("g.edge")).toHaveLength(6);
    expect(svg.querySelectorAll("g.edge.dangling")).toHaveLength(1);

    const orphan = listItem(container, 4);
    expect(orphan.classList.contains("unreachable")).toBe(true);
    expect(within(orphan).getAllByText("unreachable").length).toBeGreaterThan(0);
    const stall = listItem(container, 1);
    expect(within(stall).getByText("→ no node “n9”")).toBeTruthy();
    expect(within(stall).getByText("→ open")).toBeTruthy();
    expect(screen.getByText("Nodes: 5 · ends: 2 · unreachable: 1 · choices leading to missing nodes: 1")).toBeTruthy();
  });

  it("selects a node from the list", async () => {
    const { container, onselect } = setup(scenario());
    await fireEvent.click(within(listItem(container, 1)).getByRole("button", { name: /^stall/ }));
    expect(onselect).toHaveBeenCalledWith(1);
  });

  it("adds a node, and a choice leading to a new node or an existing one", async () => {
    const { container, onchange } = setup(scenario());
    await fireEvent.click(screen.getByRole("button", { name: "Add node" }));
    expect(last(onchange).nodes?.[5]).toEqual({ id: "n1", title: "", text: "", choices: [], end: false });

    await fireEvent.click(screen.getByRole("button", { name: "Add choice to node open" }));
    const withNew = last(onchange);
    expect(withNew.nodes?.map((n) => n.id)).toEqual(["open", "stall", "deal", "nodeal", "orphan", "n1"]);
    expect(withNew.nodes?.[0]?.choices?.at(-1)).toEqual({ id: "c1", text: "", target: "n1", points: 0 });

    const select = within(listItem(container, 4)).getByRole("combobox", { name: "New choice of node orphan leads to" });
    await fireEvent.change(select, { target: { value: "deal" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add choice to node orphan" }));
    const withExisting = last(onchange);
    expect(withExisting.nodes).toHaveLength(5);
    expect(withExisting.nodes?.[4]?.choices?.at(-1)).toEqual({ id: "c1", text: "", target: "deal", points: 0 });
    // End nodes offer no "add choice".
    expect(screen.queryByRole("button", { name: "Add choice to node deal" })).toBeNull();
  });

  it("removes a node and the choices that targeted it", async () => {
    const { onchange } = setup(scenario());
    await fireEvent.click(screen.getByRole("button", { name: "Remove node nodeal and every choice leading to it" }));
    const next = last(onchange);
    expect(next.nodes?.map((n) => n.id)).toEqual(["open", "stall", "deal", "orphan"]);
    expect(next.nodes?.[1]?.choices?.map((c) => c.id)).toEqual(["retry", "lost"]);
  });

  it("makes a node the start, toggles an end node and fixes a missing target", async () => {
    const { container, onchange } = setup(scenario());
    expect(screen.queryByRole("button", { name: "Make start node: open" })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Make start node: stall" }));
    expect(last(onchange).start).toBe("stall");
    await fireEvent.click(screen.getByRole("checkbox", { name: "Node orphan is an end node" }));
    expect(last(onchange).nodes?.[4]?.end).toBe(true);
    const good = within(listItem(container, 0)).getByRole("combobox", { name: "Choice good leads to" });
    expect((good as HTMLSelectElement).value).toBe("deal");
    const target = within(listItem(container, 1)).getByRole("combobox", { name: "Choice lost leads to" });
    expect((target as HTMLSelectElement).value).toBe("");
    expect(target.getAttribute("aria-invalid")).toBe("true");
    await fireEvent.change(target, { target: { value: "deal" } });
    expect(last(onchange).nodes?.[1]?.choices?.[2]?.target).toBe("deal");
    await fireEvent.click(screen.getByRole("button", { name: "Remove choice retry" }));
    expect(last(onchange).nodes?.[1]?.choices?.map((c) => c.id)).toEqual(["give", "lost"]);
  });

  it("shows the graph's issues on their node", () => {
    const { container } = setup(scenario(), [
      issue("/nodes/4", "no path from the start leads here, so learners never see this node", "node_unreachable"),
      issue("/nodes/1/choices/2/target", "there is no node \"n9\"", "no_such_node", { id: "n9" }),
      issue("/nodes/0/text", "shown by the form, not here"),
    ]);
    expect(within(listItem(container, 4)).getByText(/no path from the start leads here/)).toBeTruthy();
    expect(within(listItem(container, 1)).getByText("there is no node \"n9\"")).toBeTruthy();
    expect(screen.queryByText("shown by the form, not here")).toBeNull();
    expect(listItem(container, 0).classList.contains("invalid")).toBe(true);
  });

  it("starts an empty scenario with its first node", async () => {
    const { onchange } = setup({ start: "", nodes: [] });
    expect(screen.getByText("No nodes yet. Add the first situation.")).toBeTruthy();
    expect(truncate("브랜딩 전략 회의에서 공급업체", 10)).toBe("브랜딩 전…");
    expect(truncate("The supplier says 47 cents", 12)).toBe("The supplie…");
    await fireEvent.click(screen.getByRole("button", { name: "Add node" }));
    expect(last(onchange)).toEqual({ start: "n1", nodes: [{ id: "n1", title: "", text: "", choices: [], end: false }] });
  });

  it("keeps ~30 nodes readable: one column per depth, scrolling inside", () => {
    const nodes = Array.from({ length: 30 }, (_, i) => ({
      id: `s${i}`,
      text: `Situation ${i}`,
      choices: i < 29 ? [choice(`a${i}`, `s${i + 1}`), choice(`b${i}`, `s${Math.min(29, i + 2)}`)] : [],
      end: i === 29,
    }));
    const g = layout({ start: "s0", nodes });
    expect(g.columns.length).toBe(16);
    expect(Math.max(...g.columns.map((c) => c.length))).toBeLessThanOrEqual(2);
    const { container } = setup({ start: "s0", nodes });
    expect(container.querySelectorAll("svg.graph g.node")).toHaveLength(30);
  });
});

describe("BranchingEditor selection", () => {
  it("shares the selected node between the graph and the list", async () => {
    const { container, onselect } = setup(scenario());
    const graphNode = (i: number) => container.querySelector(`svg.graph g.node[data-node="${i}"]`);
    await fireEvent.click(graphNode(3) as Element);
    expect(onselect).toHaveBeenLastCalledWith(3);
    expect(listItem(container, 3).classList.contains("selected")).toBe(true);
    expect(within(listItem(container, 3)).getByRole("button", { name: /^nodeal/ }).getAttribute("aria-current")).toBe("true");

    await fireEvent.click(within(listItem(container, 1)).getByRole("button", { name: /^stall/ }));
    expect(graphNode(1)?.classList.contains("selected")).toBe(true);
    expect(graphNode(3)?.classList.contains("selected")).toBe(false);

    await fireEvent.click(screen.getByRole("button", { name: "Add node" }));
    expect(onselect).toHaveBeenLastCalledWith(5);
  });
});

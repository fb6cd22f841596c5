import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import BranchingNodeList from "../../src/lib/editors/BranchingNodeList.svelte";
import type { BranchingPayload, ValidationIssue } from "../../src/lib/generated/ipc";
import { issue } from "../issue";

afterEach(() => cleanup());

const choice = (id: string, target: string, points = 0) => ({ id, text: `Choice ${id}`, target, points });

/** open → (stall, deal); stall → (open, n9 which does not exist); orphan unreachable. */
function scenario(): BranchingPayload {
  return {
    start: "open",
    nodes: [
      { id: "open", title: "Opening", choices: [choice("good", "deal", 2), choice("poor", "stall")] },
      { id: "stall", title: "Stalling", choices: [choice("retry", "open"), choice("lost", "n9")] },
      { id: "deal", title: "Deal", end: true, outcome: "You closed the deal.", choices: [] },
      { id: "orphan", title: "Forgotten", choices: [] },
    ],
  };
}

function setup(payload: BranchingPayload, issues: ValidationIssue[] = []) {
  const onchange = vi.fn<(payload: BranchingPayload) => void>();
  const onselect = vi.fn<(index: number) => void>();
  const result = render(BranchingNodeList, { payload, issues, onchange, onselect });
  const item = (i: number) => {
    const li = result.container.querySelector<HTMLElement>(`.node-list > li[data-node="${i}"]`);
    if (!li) throw new Error(`no list item ${i}`);
    return li;
  };
  return { ...result, item, onchange, onselect };
}

describe("BranchingNodeList alone", () => {
  it("lists the nodes under its heading, without the picture", () => {
    const { container, item } = setup(scenario());
    expect(container.querySelector("svg")).toBeNull();
    const list = screen.getByRole("list", { name: "Nodes and choices" });
    expect(list.tagName).toBe("OL");
    expect(within(item(0)).getByText("Start node")).toBeTruthy();
    expect(within(item(0)).getByText("2 pts")).toBeTruthy();
    expect(within(item(2)).getByText("End node", { selector: ".badge" })).toBeTruthy();
    expect(within(item(2)).getByText("An end node offers no choices.")).toBeTruthy();
    expect(item(3).classList.contains("unreachable")).toBe(true);
    expect(within(item(3)).getByText("No choices yet.")).toBeTruthy();
    expect(within(item(1)).getByText("→ no node “n9”").classList.contains("error")).toBe(true);
  });

  it("selects a node with its button and marks it current", async () => {
    const { item, onselect } = setup(scenario());
    const button = within(item(1)).getByRole("button", { name: /^stall/ });
    expect(button.getAttribute("aria-current")).toBeNull();
    await fireEvent.click(button);
    expect(onselect).toHaveBeenCalledWith(1);
    expect(button.getAttribute("aria-current")).toBe("true");
    expect(item(1).classList.contains("selected")).toBe(true);
  });

  it("moves the selection past a removed node and forgets the picked targets", async () => {
    const { item, onchange } = setup(scenario());
    await fireEvent.click(within(item(3)).getByRole("button", { name: /^orphan/ }));
    const pick = within(item(3)).getByRole("combobox", { name: "New choice of node orphan leads to" });
    await fireEvent.change(pick, { target: { value: "deal" } });
    expect((pick as HTMLSelectElement).value).toBe("deal");

    await fireEvent.click(screen.getByRole("button", { name: "Remove node stall and every choice leading to it" }));
    expect(onchange.mock.calls.at(-1)?.[0].nodes?.map((n) => n.id)).toEqual(["open", "deal", "orphan"]);
    // The payload given stays as it was (the parent has not passed the new one): the selected
    // index moved from 3 to 2, and the picked target is back to "a new node".
    expect(item(2).classList.contains("selected")).toBe(true);
    expect(item(3).classList.contains("selected")).toBe(false);
    expect((pick as HTMLSelectElement).value).toBe(":new");
  });

  it("shows the graph's issues at their node, not the form's", () => {
    const { item } = setup(scenario(), [
      issue("/nodes/1/choices/1/target", "there is no node \"n9\"", "no_such_node", { id: "n9" }),
      issue("/nodes/0/title", "shown by the form"),
    ]);
    expect(within(item(1)).getByText("Problems:")).toBeTruthy();
    expect(within(item(1)).getByText("there is no node \"n9\"")).toBeTruthy();
    expect(screen.queryByText("shown by the form")).toBeNull();
    expect(item(0).classList.contains("invalid")).toBe(true);
    expect(within(item(0)).queryByText("Problems:")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import {
  choiceLabel,
  graphIssues,
  idText,
  isDangling,
  nodeId,
  nodeIssues,
  pendingTarget,
  selectionAfterRemoval,
  startIssues,
  summarize,
  targetText,
  titleOf,
  type Translate,
} from "../../src/lib/editors/branching";
import { NEW_NODE, indexOf, layout } from "../../src/lib/editors/graph";
import type { BranchingPayload, ValidationIssue } from "../../src/lib/generated/ipc";
import { t } from "../../src/lib/i18n/index.svelte";

/** A stand-in for `t` that shows the key and its parameters. */
const tr: Translate = (key, params = {}) =>
  Object.keys(params).length === 0 ? key : `${key}(${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(",")})`;

const choice = (id: string, target: string, points = 0) => ({ id, text: `Choice ${id}`, target, points });

/** open → (stall, deal); stall → (open, nodeal, n9 which does not exist); orphan unreachable. */
function scenario(): BranchingPayload {
  return {
    start: "open",
    nodes: [
      { id: "open", title: "Opening", text: "The supplier calls.", choices: [choice("good", "deal", 2), choice("poor", "stall")] },
      { id: "stall", title: "Stalling", choices: [choice("retry", "open", -1), choice("give", "nodeal"), choice("lost", "n9")] },
      { id: "deal", title: "Deal", end: true, outcome: "You closed the deal.", choices: [] },
      { id: "nodeal", title: "No deal", end: true, outcome: "No deal.", choices: [] },
      { id: "orphan", title: "Forgotten", choices: [choice("back", "open")] },
    ],
  };
}

describe("node and choice names", () => {
  it("gives a node's id, or the no-id text when it is blank", () => {
    expect(nodeId({ id: "open" })).toBe("open");
    expect(nodeId({ id: " padded " })).toBe(" padded ");
    expect(nodeId({ id: "  " })).toBeNull();
    expect(nodeId({})).toBeNull();
    expect(nodeId(undefined)).toBeNull();
    expect(idText({ id: "open" }, tr)).toBe("open");
    expect(idText({ id: "" }, tr)).toBe("branching.noId");
    expect(idText({ id: "" }, t)).toBe("(no id)");
  });

  it("titles a node by its title, else its outcome (end) or text, first line only", () => {
    expect(titleOf({ title: "  Opening ", text: "ignored" })).toBe("Opening");
    expect(titleOf({ title: "", text: "First line\nsecond line" })).toBe("First line");
    expect(titleOf({ end: true, text: "not shown", outcome: "You closed the deal." })).toBe("You closed the deal.");
    expect(titleOf({ end: false, text: "", outcome: "not shown" })).toBe("");
    expect(titleOf({})).toBe("");
  });

  it("names a choice by its id, or its position from 1", () => {
    expect(choiceLabel(choice("good", "deal"), 0)).toBe("good");
    expect(choiceLabel({ id: " ", target: "deal" }, 2)).toBe("3");
    expect(choiceLabel({}, 0)).toBe("1");
  });
});

describe("choice targets", () => {
  const index = indexOf(scenario().nodes ?? []);

  it("knows which targets name no node", () => {
    expect(isDangling(index, "deal")).toBe(false);
    expect(isDangling(index, "n9")).toBe(true);
    expect(isDangling(index, "")).toBe(true);
    expect(isDangling(index, undefined)).toBe(true);
  });

  it("says where a choice leads", () => {
    expect(targetText(index, "deal", tr)).toBe("deal");
    expect(targetText(index, "n9", tr)).toBe("branching.missingTarget(id=n9)");
    expect(targetText(index, " ", tr)).toBe("branching.noTarget");
    expect(targetText(index, undefined, tr)).toBe("branching.noTarget");
    expect(targetText(index, "n9", t)).toBe("no node “n9”");
  });

  it("keeps the target picked for the next choice while it names a node", () => {
    expect(pendingTarget("deal", index)).toBe("deal");
    expect(pendingTarget("gone", index)).toBe(NEW_NODE);
    expect(pendingTarget(undefined, index)).toBe(NEW_NODE);
    expect(pendingTarget(NEW_NODE, index)).toBe(NEW_NODE);
  });
});

describe("issues by node", () => {
  const issue = (pointer: string): ValidationIssue => ({ pointer, code: "wrong_form", params: {}, message: pointer });
  const issues = [
    issue("/start"),
    issue("/nodes/1"),
    issue("/nodes/1/choices"),
    issue("/nodes/1/choices/2/target"),
    issue("/nodes/1/choices/0/points"),
    issue("/nodes/1/choices/0/text"),
    issue("/nodes/1/text"),
    issue("/nodes/10"),
    issue("/nodes/10/choices/0/target"),
  ];
  const pointers = (list: ValidationIssue[]) => list.map((i) => i.pointer);

  it("gives every issue at or under a node, and not another node's", () => {
    expect(pointers(nodeIssues(issues, 1))).toEqual([
      "/nodes/1",
      "/nodes/1/choices",
      "/nodes/1/choices/2/target",
      "/nodes/1/choices/0/points",
      "/nodes/1/choices/0/text",
      "/nodes/1/text",
    ]);
    expect(nodeIssues(issues, 2)).toEqual([]);
  });

  it("keeps only the graph's own issues for the list", () => {
    expect(pointers(graphIssues(issues, 1))).toEqual([
      "/nodes/1",
      "/nodes/1/choices",
      "/nodes/1/choices/2/target",
      "/nodes/1/choices/0/points",
    ]);
    expect(pointers(graphIssues(issues, 10))).toEqual(["/nodes/10", "/nodes/10/choices/0/target"]);
  });

  it("gives the start's issues", () => {
    expect(pointers(startIssues(issues))).toEqual(["/start"]);
    expect(startIssues([issue("/starting")])).toEqual([]);
  });
});

describe("summary", () => {
  it("counts nodes, ends, unreachable nodes and dangling choices as the layout finds them", () => {
    const payload = scenario();
    const summary = summarize(payload);
    expect(summary).toEqual({ start: 0, nodes: 5, ends: 2, unreachable: 1, dangling: 1 });
    const g = layout(payload);
    expect(summary.start).toBe(g.start);
    expect(summary.unreachable).toBe(g.unreachable.length);
    expect(summary.dangling).toBe(g.edges.filter((e) => e.kind === "dangling").length);
  });

  it("counts a dangling choice of an end node and has no start when it names no node", () => {
    const summary = summarize({
      start: "nowhere",
      nodes: [{ id: "a", choices: [choice("c1", "")] }, { id: "b", end: true, choices: [choice("c2", "x")] }],
    });
    expect(summary).toEqual({ start: null, nodes: 2, ends: 1, unreachable: 2, dangling: 2 });
    expect(summarize({})).toEqual({ start: null, nodes: 0, ends: 0, unreachable: 0, dangling: 0 });
  });
});

describe("selection after removing a node", () => {
  it("clears it when the selected node goes and shifts it past a removed one", () => {
    expect(selectionAfterRemoval(2, 2)).toBeNull();
    expect(selectionAfterRemoval(3, 1)).toBe(2);
    expect(selectionAfterRemoval(1, 3)).toBe(1);
    expect(selectionAfterRemoval(null, 0)).toBeNull();
  });
});

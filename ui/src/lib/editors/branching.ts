// What the scenario map says about a BRANCHING scenario's nodes and choices, shared by its two
// views (BranchingGraph, the picture; BranchingNodeList, the list editor) and the editor around
// them (BranchingEditor): ids and titles as shown, where a choice leads, which validation issues
// belong to a node, the summary's counts and the selection after a node is removed. Pure
// functions: the text comes through a `Translate` function (the i18n `t`), the layout and the
// edits from graph.ts.
import type { BranchingChoice, BranchingNode, BranchingPayload, ValidationIssue } from "../generated/ipc";
import type { MessageKey } from "../i18n/en";
import { pointerUnder } from "./geometry";
import { NEW_NODE, allChoices, depths, indexOf } from "./graph";

/** The i18n `t`, or a stand-in for it. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The node's id as the author typed it, or null when it is blank. */
export function nodeId(node: BranchingNode | undefined): string | null {
  return node?.id?.trim() ? (node.id ?? "") : null;
}

/** The node's id, or the "(no id)" text when it is blank. */
export function idText(node: BranchingNode | undefined, tr: Translate): string {
  return nodeId(node) ?? tr("branching.noId");
}

/** The first line of the node's title, else of its outcome (end nodes) or its text; "" if blank. */
export function titleOf(node: BranchingNode): string {
  const text = node.title?.trim() || (node.end ? node.outcome : node.text)?.trim() || "";
  return text.split("\n")[0] ?? "";
}

/** How the list names the choice at position `j`: its id, or its position from 1 when blank. */
export function choiceLabel(choice: BranchingChoice, j: number): string {
  return choice.id?.trim() ? (choice.id ?? "") : String(j + 1);
}

/** Whether no node has the id `target` (a blank target is dangling too). */
export function isDangling(index: ReadonlyMap<string, number>, target: string | undefined): boolean {
  return !index.has(target ?? "");
}

/** Where a choice leads, as shown: the node's id, "no node “x”" or "no target chosen". */
export function targetText(index: ReadonlyMap<string, number>, target: string | undefined, tr: Translate): string {
  const id = target ?? "";
  if (id.trim() === "") return tr("branching.noTarget");
  return index.has(id) ? id : tr("branching.missingTarget", { id });
}

/** Every issue at or under node `i`: the node is shown as invalid when there is one. */
export function nodeIssues(issues: readonly ValidationIssue[], i: number): ValidationIssue[] {
  return issues.filter((issue) => pointerUnder(issue.pointer, `/nodes/${i}`));
}

/**
 * The issues about the graph itself at node `i`: the node as a whole, its choice list, its
 * choices' targets and points (loops). The form shows the others at their fields.
 */
export function graphIssues(issues: readonly ValidationIssue[], i: number): ValidationIssue[] {
  const at = `/nodes/${i}`;
  return issues.filter(
    (issue) =>
      issue.pointer === at ||
      issue.pointer === `${at}/choices` ||
      (issue.pointer.startsWith(`${at}/choices/`) &&
        (issue.pointer.endsWith("/target") || issue.pointer.endsWith("/points"))),
  );
}

/** The issues about the scenario's start. */
export function startIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.filter((issue) => pointerUnder(issue.pointer, "/start"));
}

export interface Summary {
  /** The start node's index, or null when `start` names no node. */
  start: number | null;
  nodes: number;
  ends: number;
  /** Nodes no path from the start leads to. */
  unreachable: number;
  /** Choices (of any node) whose target names no node. */
  dangling: number;
}

/** The counts the editor's summary line shows (the same as the graph's layout finds). */
export function summarize(payload: BranchingPayload): Summary {
  const nodes = payload.nodes ?? [];
  const index = indexOf(nodes);
  const { start, depth } = depths(payload);
  return {
    start,
    nodes: nodes.length,
    ends: nodes.filter((n) => n.end).length,
    unreachable: depth.filter((d) => d === null).length,
    dangling: allChoices(payload).filter((c) => isDangling(index, c.target)).length,
  };
}

/** The target picked for a node's next choice (`chosen`) while it still names a node, else NEW_NODE. */
export function pendingTarget(chosen: string | undefined, index: ReadonlyMap<string, number>): string {
  return chosen !== undefined && index.has(chosen) ? chosen : NEW_NODE;
}

/** The selected node's index once node `removed` is gone: none if it was the one, else shifted. */
export function selectionAfterRemoval(selected: number | null, removed: number): number | null {
  if (selected === removed) return null;
  if (selected !== null && selected > removed) return selected - 1;
  return selected;
}

// BRANCHING grading: crates/model/src/components/branching.rs (`Graded for BranchingPayload`)
// and branching/graph.rs (`index_of`, `Graph::best_scores`).
import type { Grade, ItemFeedback } from "@ui/generated/ipc";
import type { Filled, PayloadOf } from "@ui/schema";
import { fromItems, item, listOf, readGraded, readResponse, text, written } from "./shared";
import { isBlank } from "./text";

type Branching = Filled<PayloadOf<"BRANCHING">>;
type Edge = { from: number; to: number; points: number };

/** graph.rs `index_of`: the first node with each id; blank ids name nothing. */
function indexOf(branching: Branching): Map<string, number> {
  const index = new Map<string, number>();
  branching.nodes.forEach((node, i) => {
    if (!isBlank(node.id) && !index.has(node.id)) index.set(node.id, i);
  });
  return index;
}

/** graph.rs `Graph::best_scores`: the most points still reachable from each node (`null`: no
 * end reachable), by relaxing the edges in payload order as Rust does. Validation rules out
 * loops that earn points, so the numbers stay far below 2^53 (Rust saturates at 2^63). */
function bestScores(branching: Branching, index: Map<string, number>): (number | null)[] {
  const edges: Edge[] = [];
  branching.nodes.forEach((node, from) =>
    node.choices.forEach((choice) => {
      const to = index.get(choice.target);
      if (to !== undefined) edges.push({ from, to, points: choice.points });
    }),
  );
  const best = branching.nodes.map((node): number | null => (node.end ? 0 : null));
  for (let round = 0; round < branching.nodes.length; round++) {
    let changed = false;
    for (const { from, to, points } of edges) {
      const after = best[to];
      if (branching.nodes[from]?.end || after === null || after === undefined) continue;
      const candidate = points + after;
      const current = best[from];
      if (current === null || current === undefined || candidate > current) {
        best[from] = candidate;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return best;
}

/** branching.rs `BranchingPayload::grade`: walk the choices from the start node. */
export function gradeBranching(payload: unknown, response: unknown): Grade {
  const branching = readGraded("BRANCHING", payload, 1);
  const { choices } = readResponse<{ choices: string[] }>("BRANCHING", response, { choices: listOf(text) });
  const index = indexOf(branching);
  const start = index.get(branching.start);
  if (start === undefined) return fromItems([]);
  const best = bestScores(branching, index);
  const bestAt = (n: number) => best[n] ?? 0;
  const nodeOf = (n: number) => branching.nodes[n] as Branching["nodes"][number];
  const items: ItemFeedback[] = [];
  let total = 0;
  let at = start;
  for (const id of choices) {
    const node = nodeOf(at);
    if (node.end) {
      items.push(item(`/nodes/${at}`, "incorrect", 0, 0));
      return fromItems(items);
    }
    // The first choice with this id whose target exists.
    const j = node.choices.findIndex((c) => c.id === id && index.has(c.target));
    const choice = node.choices[j];
    const target = choice && index.get(choice.target);
    if (!choice || target === undefined) {
      items.push(item(`/nodes/${at}`, "incorrect", 0, bestAt(at)));
      return fromItems(items);
    }
    const maxScore = bestAt(at) - bestAt(target);
    const outcome = choice.points >= maxScore ? "correct" : "partial";
    items.push(item(`/nodes/${at}/choices/${j}`, outcome, choice.points, maxScore, written(choice.feedback)));
    total += choice.points;
    at = target;
  }
  const node = nodeOf(at);
  if (node.end) {
    const outcome = total >= bestAt(start) ? "correct" : "partial";
    items.push(item(`/nodes/${at}`, outcome, 0, 0, written(node.outcome)));
  } else {
    items.push(item(`/nodes/${at}`, "unanswered", 0, bestAt(at)));
  }
  return fromItems(items);
}

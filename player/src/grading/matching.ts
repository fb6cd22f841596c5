// MATCHING grading: crates/model/src/components/matching.rs (`Graded for MatchingPayload`).
// One item per pair, item or step, each worth at most 1 point.
import type { Grade, ItemFeedback } from "@ui/generated/ipc";
import type { Filled, PayloadOf } from "@ui/schema";
import { fromItems, item, listOf, mapOf, readGraded, readResponse, text, written } from "./shared";

type Matching = Filled<PayloadOf<"MATCHING">>;
type Response = { matches: Map<string, string>; placements: Map<string, string>; order: string[] };

/** matching.rs `grade_pairs`: `matches[pair.id] == pair.id`; a wrong match carries the chosen
 * distractor's feedback, then the pair's. */
function gradePairs(matching: Matching, { matches }: Response): ItemFeedback[] {
  // A HashMap collected from the list: the last distractor with an id wins.
  const distractors = new Map(matching.distractors.map((d) => [d.id, d]));
  return matching.pairs.map((pair, i) => {
    const pointer = `/pairs/${i}`;
    const chosen = matches.get(pair.id);
    if (chosen === undefined) return item(pointer, "unanswered", 0, 1);
    if (chosen === pair.id) return item(pointer, "correct", 1, 1);
    const feedback = written(distractors.get(chosen)?.feedback ?? "", pair.feedback);
    return item(pointer, "incorrect", 0, 1, feedback);
  });
}

/** matching.rs `grade_categories`: `placements[item.id] == item.category`. */
function gradeCategories(matching: Matching, { placements }: Response): ItemFeedback[] {
  return matching.items.map((it, i) => {
    const pointer = `/items/${i}`;
    const placed = placements.get(it.id);
    if (placed === undefined) return item(pointer, "unanswered", 0, 1);
    if (placed === it.category) return item(pointer, "correct", 1, 1);
    return item(pointer, "incorrect", 0, 1, written(it.feedback));
  });
}

/** matching.rs `grade_order`: item `k` is step `k - 1` put before step `k`, at their first places. */
function gradeOrder(matching: Matching, { order }: Response): ItemFeedback[] {
  const place = new Map<string, number>();
  order.forEach((id, i) => {
    if (!place.has(id)) place.set(id, i);
  });
  return matching.steps.slice(1).map((step, k) => {
    const pointer = `/steps/${k + 1}`;
    const before = place.get(matching.steps[k]?.id ?? "");
    const after = place.get(step.id);
    if (before === undefined || after === undefined) return item(pointer, "unanswered", 0, 1);
    if (before < after) return item(pointer, "correct", 1, 1);
    return item(pointer, "incorrect", 0, 1, written(step.feedback));
  });
}

/** matching.rs `MatchingPayload::grade`: by the payload's mode. Rust reads (and type-checks)
 * every field of the response, whatever the mode. */
export function gradeMatching(payload: unknown, response: unknown): Grade {
  const matching = readGraded("MATCHING", payload, 1);
  const given = readResponse<Response>("MATCHING", response, {
    matches: mapOf(text),
    placements: mapOf(text),
    order: listOf(text),
  });
  const grader = { pairs: gradePairs, categories: gradeCategories, order: gradeOrder }[matching.mode];
  return fromItems(grader(matching, given));
}

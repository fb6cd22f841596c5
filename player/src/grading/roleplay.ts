// ROLEPLAY grading: crates/model/src/components/roleplay.rs (`Graded for RoleplayPayload`).
import type { Grade, ItemFeedback } from "@ui/generated/ipc";
import { fromItems, item, mapOf, number, readGraded, readResponse, written } from "./shared";

/** roleplay.rs `SAME_SCORE`: a rating names the level whose score is this close to it. */
const SAME_SCORE = 1e-9;

/** roleplay.rs `RoleplayPayload::grade`: each criterion worth its weight, by the level chosen. */
export function gradeRoleplay(payload: unknown, response: unknown): Grade {
  const roleplay = readGraded("ROLEPLAY", payload, 1);
  const { levels } = readResponse<{ levels: Map<string, number> }>("ROLEPLAY", response, { levels: mapOf(number) });
  return fromItems(
    roleplay.rubric.criteria.map((criterion, i): ItemFeedback => {
      const pointer = `/rubric/criteria/${i}`;
      const rating = levels.get(criterion.id);
      // `Criterion::level`: the first level within SAME_SCORE of the rating.
      const level =
        rating === undefined ? undefined : criterion.levels.find((l) => Math.abs(l.score - rating) < SAME_SCORE);
      if (!level) return item(pointer, "unanswered", 0, criterion.weight);
      // `Criterion::top_score`: `fold(0.0, f64::max)`.
      const top = criterion.levels.reduce((best, l) => (l.score > best ? l.score : best), 0);
      const outcome = level.score >= top ? "correct" : level.score <= 0 ? "incorrect" : "partial";
      const score = (criterion.weight * level.score) / top;
      return item(pointer, outcome, score, criterion.weight, written(level.descriptor));
    }),
  );
}

// CLOZE grading: crates/model/src/components/cloze.rs (`Graded for ClozePayload`).
import type { Grade } from "@ui/generated/ipc";
import { fromItems, item, mapOf, readGraded, readResponse, text } from "./shared";
import { answersMatch, isBlank } from "./text";

/** cloze.rs `ClozePayload::grade`: one point per blank, in the order of `blanks`. */
export function gradeCloze(payload: unknown, response: unknown): Grade {
  const cloze = readGraded("CLOZE", payload, 1);
  const { answers } = readResponse<{ answers: Map<string, string> }>("CLOZE", response, { answers: mapOf(text) });
  return fromItems(
    cloze.blanks.map((blank, i) => {
      // A blank's own `case_sensitive` / `accent_sensitive` are `Option<bool>` in Rust: left out
      // or null, the component's setting applies. `readPayload` keeps that distinction (the
      // schema's type is boolean or null, and a missing field reads as null), so `??` is
      // `unwrap_or` (cloze.rs `match_options`).
      const options = {
        case_sensitive: blank.case_sensitive ?? cloze.case_sensitive,
        accent_sensitive: blank.accent_sensitive ?? cloze.accent_sensitive,
      };
      const given = answers.get(blank.id);
      const right = given !== undefined && blank.answers.some((a) => answersMatch(given, a, options));
      const outcome = given === undefined || isBlank(given) ? "unanswered" : right ? "correct" : "incorrect";
      return item(`/blanks/${i}`, outcome, outcome === "correct" ? 1 : 0, 1);
    }),
  );
}

import { expect, it } from "vitest";
import type { IssueCode } from "../src/lib/generated/ipc";
import schema from "../src/lib/generated/ipc.schema.json";
import { issueText, issuesKo } from "../src/lib/i18n/issues";
import { issue } from "./issue";

/** The `{name}` placeholders of a sentence. */
function placeholders(sentence: string): string[] {
  return [...new Set([...sentence.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ""))].sort();
}

/** Each issue code with its English sentence, as the Rust model describes it in the schema. */
const english: [IssueCode, string][] = (
  schema.$defs.IssueCode.oneOf as { const: string; description: string }[]
).map((v) => [v.const as IssueCode, v.description]);

it("has a Korean sentence for every code, naming the same values as the English one", () => {
  expect(english.length).toBeGreaterThan(100);
  expect(Object.keys(issuesKo).sort()).toEqual(english.map(([code]) => code).sort());
  for (const [code, sentence] of english) {
    expect(placeholders(issuesKo[code]), code).toEqual(placeholders(sentence));
  }
});

it("says issues in Korean with their values filled in", () => {
  const ko = (...args: Parameters<typeof issue>) => issueText(issue(...args), "ko");
  expect(ko("/t", "this text is 2100 characters long; the limit is 2000", "text_too_long", { count: 2100, max: 2000 })).toBe(
    "이 텍스트는 2100자입니다. 최대 2000자까지 쓸 수 있습니다.",
  );
  expect(ko("/o/1/id", "the id \"a\" is already used by option 1", "id_taken", { id: "a", item: "option", first: 1 })).toBe(
    "ID “a”은(는) 이미 1번 보기에서 쓰고 있습니다.",
  );
  expect(ko("/items/2/text", "\"Invoice\" already appears in item 1", "text_repeated", { text: "Invoice", item: "item", first: 1 })).toBe(
    "“Invoice”은(는) 이미 1번 항목에 있습니다.",
  );
  expect(
    ko("/steps", "steps belong to order mode, but this activity is in pairs mode; …", "steps_in_wrong_mode", { mode: "pairs" }),
  ).toBe("단계는 ‘순서 맞추기’ 방식에서 쓰는데 이 활동은 ‘짝 맞추기’ 방식입니다. 지우거나 방식을 바꾸세요.");
  expect(
    ko("/schema_version", "…", "schema_version_too_new", { version: 3, component_type: "QUIZ", supported: 2 }),
  ).toBe("이 데이터는 더 새로운 ClassKit Studio에서 작성되었습니다 (스키마 버전 3). 이 버전은 퀴즈 데이터를 버전 2까지 읽을 수 있습니다.");
  expect(ko("/regions/0/shape/points/1", "…", "point_outside_image", { x: 1.25, y: 0.5 })).toBe(
    "점 (1.25, 0.5)이(가) 이미지 밖에 있습니다. 두 좌표 모두 0에서 1 사이여야 합니다.",
  );
  expect(ko("/questions", "a quiz needs at least one question", "quiz_needs_question")).toBe(
    "퀴즈에는 문항이 하나 이상 필요합니다.",
  );
});

it("says issues in English as the model wrote them", () => {
  const i = issue("/cards", "a deck needs at least one card", "deck_needs_card");
  expect(issueText(i, "en")).toBe("a deck needs at least one card");
});

it("falls back to English rather than show a sentence with a value missing", () => {
  const i = issue("/o", "the id \"a\" is already used by option 1", "id_taken", { id: "a", item: "option" });
  expect(issueText(i, "ko")).toBe("the id \"a\" is already used by option 1");
  const unknown = { ...i, code: "said_by_a_newer_model" as IssueCode };
  expect(issueText(unknown, "ko")).toBe(i.message);
});

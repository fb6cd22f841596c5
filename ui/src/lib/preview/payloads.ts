// What each preview shows, read from a payload that may be an incomplete draft. Only the
// fields a learner sees are read; answers stay in the payload, which is graded in Rust.
import { asset, list, num, obj, oneOf, str, strings } from "./read";

export type QuestionKind = "single_choice" | "multiple_choice" | "true_false" | "short_answer";
const KINDS: readonly QuestionKind[] = ["single_choice", "multiple_choice", "true_false", "short_answer"];

export interface Choice {
  id: string;
  text: string;
}

export interface QuizQuestion {
  id: string;
  kind: QuestionKind;
  text: string;
  points: number;
  options: Choice[];
  explanation: string;
}

export function readQuiz(payload: unknown) {
  const p = obj(payload);
  // Version 1 quizzes are upgraded when graded (crates/model/src/components/quiz/v1.rs);
  // show them as they will be read.
  const v1 = p.schema_version === 1;
  return {
    title: str(p.title),
    shuffle: p.shuffle === true,
    questions: list(p.questions).map((q, i) => (v1 ? questionV1(q, i) : question(q))),
  };
}

function question(value: unknown): QuizQuestion {
  const q = obj(value);
  return {
    id: str(q.id),
    kind: oneOf(q.kind, KINDS, "single_choice"),
    text: str(q.text),
    points: num(q.points, 1),
    options: list(q.options).map((o) => ({ id: str(obj(o).id), text: str(obj(o).text) })),
    explanation: str(q.explanation),
  };
}

function questionV1(value: unknown, index: number): QuizQuestion {
  const q = obj(value);
  const id = typeof q.id === "string" ? q.id : `q${index + 1}`;
  const optionId = (j: number) =>
    j < 26 ? `q${index + 1}${String.fromCharCode(97 + j)}` : `q${index + 1}_${j + 1}`;
  return {
    id,
    kind: "single_choice",
    text: str(q.prompt ?? q.text),
    points: num(q.points, 1),
    options: list(q.choices).map((text, j) => ({ id: optionId(j), text: str(text) })),
    explanation: str(q.explanation),
  };
}

export interface ClozeBlank {
  id: string;
  answers: string[];
  hint: string;
  distractors: string[];
}

export function readCloze(payload: unknown) {
  const p = obj(payload);
  return {
    title: str(p.title),
    instructions: str(p.instructions),
    text: str(p.text),
    mode: oneOf(p.mode, ["typed", "drag"] as const, "typed"),
    blanks: list(p.blanks).map((b): ClozeBlank => {
      const o = obj(b);
      return { id: str(o.id), answers: strings(o.answers), hint: str(o.hint), distractors: strings(o.distractors) };
    }),
  };
}

export type ClozeSegment = { kind: "text"; text: string } | { kind: "blank"; id: string; raw: string };

/** The text split at its `[[id]]` markers, exactly as cloze.rs finds them. */
export function clozeSegments(text: string): ClozeSegment[] {
  const segments: ClozeSegment[] = [];
  const marker = /\[\[([^[\]]*)\]\]/g;
  let from = 0;
  for (const match of text.matchAll(marker)) {
    const at = match.index;
    if (at > from) segments.push({ kind: "text", text: text.slice(from, at) });
    segments.push({ kind: "blank", id: match[1] ?? "", raw: match[0] });
    from = at + match[0].length;
  }
  if (from < text.length) segments.push({ kind: "text", text: text.slice(from) });
  return segments;
}

export function readFlashcards(payload: unknown) {
  const p = obj(payload);
  return {
    title: str(p.title),
    cards: list(p.cards).map((c) => {
      const o = obj(c);
      return {
        id: str(o.id),
        term: str(o.term),
        definition: str(o.definition),
        example: str(o.example),
        image: asset(o.image),
        audio: asset(o.audio),
      };
    }),
  };
}

export function readMatching(payload: unknown) {
  const p = obj(payload);
  const items = (v: unknown, text: string) =>
    list(v).map((x): Choice => ({ id: str(obj(x).id), text: str(obj(x)[text]) }));
  return {
    instructions: str(p.instructions),
    mode: oneOf(p.mode, ["pairs", "categories", "order"] as const, "pairs"),
    pairs: list(p.pairs).map((x) => ({ id: str(obj(x).id), left: str(obj(x).left), right: str(obj(x).right) })),
    distractors: items(p.distractors, "text"),
    categories: items(p.categories, "name"),
    items: items(p.items, "text"),
    steps: items(p.steps, "text"),
  };
}

export type MatchingView = ReturnType<typeof readMatching>;

export type Shape =
  | { kind: "rectangle"; x: number; y: number; width: number; height: number }
  | { kind: "ellipse"; cx: number; cy: number; rx: number; ry: number }
  | { kind: "polygon"; points: [number, number][] };

function shape(value: unknown): Shape | null {
  const s = obj(value);
  switch (s.kind) {
    case "rectangle":
      return { kind: "rectangle", x: num(s.x, 0), y: num(s.y, 0), width: num(s.width, 0), height: num(s.height, 0) };
    case "ellipse":
      return { kind: "ellipse", cx: num(s.cx, 0), cy: num(s.cy, 0), rx: num(s.rx, 0), ry: num(s.ry, 0) };
    case "polygon": {
      const points = list(s.points)
        .map((pt) => list(pt))
        .filter((pt) => pt.length === 2 && pt.every((n) => typeof n === "number" && Number.isFinite(n)))
        .map((pt) => [pt[0], pt[1]] as [number, number]);
      return { kind: "polygon", points };
    }
    default:
      return null;
  }
}

export interface Region {
  id: string;
  label: string;
  feedback: string;
  shape: Shape | null;
}

export function readHotspot(payload: unknown) {
  const p = obj(payload);
  const width = num(p.image_width, 0);
  const height = num(p.image_height, 0);
  return {
    mode: oneOf(p.mode, ["explore", "label", "find"] as const, "explore"),
    prompt: str(p.prompt),
    image: asset(p.image),
    altText: str(p.alt_text),
    aspect: width > 0 && height > 0 ? width / height : 4 / 3,
    regions: list(p.regions).map((r): Region => {
      const o = obj(r);
      return { id: str(o.id), label: str(o.label), feedback: str(o.feedback), shape: shape(o.shape) };
    }),
  };
}

export interface BranchChoice {
  id: string;
  text: string;
  target: string;
  feedback: string;
}

export interface BranchNode {
  id: string;
  title: string;
  text: string;
  image: string | null;
  imageAlt: string;
  choices: BranchChoice[];
  end: boolean;
  outcome: string;
}

export function readBranching(payload: unknown) {
  const p = obj(payload);
  const nodes = list(p.nodes).map((n): BranchNode => {
    const o = obj(n);
    return {
      id: str(o.id),
      title: str(o.title),
      text: str(o.text),
      image: asset(o.image),
      imageAlt: str(o.image_alt),
      end: o.end === true,
      outcome: str(o.outcome),
      choices: list(o.choices).map((c) => {
        const x = obj(c);
        return { id: str(x.id), text: str(x.text), target: str(x.target), feedback: str(x.feedback) };
      }),
    };
  });
  // As graph.rs `index_of`: the first node with each id; blank ids name nothing.
  const index = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (node.id.trim() !== "" && !index.has(node.id)) index.set(node.id, i);
  });
  return { title: str(p.title), start: str(p.start), nodes, index };
}

export function readDictation(payload: unknown) {
  const p = obj(payload);
  return {
    title: str(p.title),
    instructions: str(p.instructions),
    sentences: list(p.sentences).map((s) => {
      const o = obj(s);
      return { id: str(o.id), text: str(o.text), audio: asset(o.audio), language: str(o.language) };
    }),
  };
}

export interface Turn {
  id: string;
  speaker: "persona" | "learner";
  text: string;
  expectedPhrases: string[];
  hints: string[];
}

export function readRoleplay(payload: unknown) {
  const p = obj(payload);
  const persona = obj(p.persona);
  return {
    title: str(p.title),
    scenario: str(p.scenario),
    personaName: str(persona.name),
    personaRole: str(persona.role),
    learnerRole: str(p.learner_role),
    learnerGoal: str(p.learner_goal),
    mode: oneOf(p.mode, ["scripted", "ai_driven"] as const, "scripted"),
    openingLine: str(p.opening_line),
    turns: list(p.turns).map((t): Turn => {
      const o = obj(t);
      return {
        id: str(o.id),
        speaker: oneOf(o.speaker, ["persona", "learner"] as const, "persona"),
        text: str(o.text),
        expectedPhrases: strings(o.expected_phrases),
        hints: strings(o.hints),
      };
    }),
    criteria: list(obj(p.rubric).criteria).map((c) => {
      const o = obj(c);
      return {
        id: str(o.id),
        description: str(o.description),
        levels: list(o.levels).map((l) => ({ score: num(obj(l).score, 0), descriptor: str(obj(l).descriptor) })),
      };
    }),
  };
}

export function readReview(payload: unknown) {
  const p = obj(payload);
  return {
    title: str(p.title),
    cards: list(p.cards).map((c) => ({ heading: str(obj(c).heading), points: strings(obj(c).points) })),
  };
}

export function readShadowing(payload: unknown) {
  const p = obj(payload);
  return {
    instructions: str(p.instructions),
    language: str(p.language),
    rates: list(p.playback_rates).filter((r): r is number => typeof r === "number" && r > 0 && Number.isFinite(r)),
    repetitions: num(p.repetitions, 3),
    items: list(p.items).map((i) => {
      const o = obj(i);
      return {
        id: str(o.id),
        text: str(o.text),
        audio: asset(o.audio),
        language: str(o.language),
        translation: str(o.translation),
      };
    }),
  };
}

export function readPronunciation(payload: unknown) {
  const p = obj(payload);
  return {
    instructions: str(p.instructions),
    language: str(p.language),
    items: list(p.items).map((i) => {
      const o = obj(i);
      return {
        id: str(o.id),
        target: str(o.target),
        ipa: str(o.ipa),
        audio: asset(o.audio),
        language: str(o.language),
        tips: str(o.tips),
      };
    }),
  };
}

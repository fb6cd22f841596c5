// What the browser offers for PRONUNCIATION practice where no phone scorer runs (the web
// player): its speech recogniser (the Web Speech API), which tells which words it heard, not
// which sounds. Where there is none, or it fails, the learner practises with the reference
// audio: they record themself and listen to their take beside the speaker's.

/** The part of the Web Speech API this uses (not in TypeScript's DOM library). */
interface Recognizer {
  lang: string;
  interimResults: boolean;
  maxAlternatives: number;
  continuous: boolean;
  onresult: ((event: { results: ArrayLike<ArrayLike<{ transcript: string }>> }) => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  abort(): void;
}

type RecognizerClass = new () => Recognizer;

function recognizerClass(): RecognizerClass | undefined {
  if (typeof window === "undefined") return undefined;
  const w = window as unknown as { SpeechRecognition?: RecognizerClass; webkitSpeechRecognition?: RecognizerClass };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition;
}

/** Whether the browser has a speech recogniser at all (it may still fail: offline, refused). */
export function canRecognize(): boolean {
  return recognizerClass() !== undefined;
}

/** Why recognition gave nothing: the learner can act on "denied" and "no-speech"; the rest
 * mean the browser's recogniser does not work here. */
export type RecognitionProblem = "denied" | "no-speech" | "unavailable";

export class RecognitionFailed extends Error {
  constructor(readonly problem: RecognitionProblem) {
    super(`speech recognition failed: ${problem}`);
  }
}

/** A recognition under way: `result` gives what was heard (alternatives, best first). */
export interface Listening {
  result: Promise<string[]>;
  abort(): void;
}

/** Listens for one utterance in `lang` (a BCP 47 tag). */
export function recognizeSpeech(lang: string): Listening {
  const Class = recognizerClass();
  if (!Class) return { result: Promise.reject(new RecognitionFailed("unavailable")), abort() {} };
  const r = new Class();
  r.lang = lang;
  r.interimResults = false;
  r.continuous = false;
  r.maxAlternatives = 5;
  const result = new Promise<string[]>((resolve, reject) => {
    let heard: string[] | null = null;
    r.onresult = (event) => {
      const first = event.results[0];
      heard = first ? Array.from({ length: first.length }, (_, i) => first[i]?.transcript ?? "") : [];
    };
    r.onerror = (event) => {
      const problem: RecognitionProblem =
        event.error === "not-allowed" ? "denied"
        : event.error === "no-speech" || event.error === "aborted" ? "no-speech"
        : "unavailable"; // network, service-not-allowed, language-not-supported, audio-capture
      reject(new RecognitionFailed(problem));
    };
    r.onend = () => {
      if (heard && heard.some((h) => h.trim() !== "")) resolve(heard);
      else reject(new RecognitionFailed("no-speech"));
    };
  });
  try {
    r.start();
  } catch {
    return { result: Promise.reject(new RecognitionFailed("unavailable")), abort() {} };
  }
  return { result, abort: () => r.abort() };
}

/** The words of a text as compared: lower case, letters and digits (any script) and inner
 * apostrophes, typographic apostrophes made plain. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFC")
    .replace(/[’‘]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ""))
    .filter((w) => w !== "");
}

export interface WordHeard {
  /** The target's word as written. */
  word: string;
  /** Whether the recogniser heard it, in order. */
  heard: boolean;
}

/** Which of the target's words the recogniser heard, in order (the longest common
 * subsequence of the two word lists), for the alternative that matches the most. */
export function compareWords(target: string, alternatives: string[]): { words: WordHeard[]; transcript: string } {
  const wanted = target.split(/\s+/).filter((w) => words(w).length > 0);
  const keys = wanted.map((w) => words(w).join(" "));
  let best: { words: WordHeard[]; transcript: string; count: number } = {
    words: wanted.map((word) => ({ word, heard: false })),
    transcript: alternatives[0] ?? "",
    count: -1,
  };
  for (const alternative of alternatives) {
    const said = words(alternative);
    // LCS table over the target's words (each may itself be several, "don't" → "don't").
    const n = keys.length;
    const m = said.length;
    const table = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i]![j] = keys[i] === said[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
      }
    }
    const heard = new Array<boolean>(n).fill(false);
    for (let i = 0, j = 0; i < n && j < m; ) {
      if (keys[i] === said[j]) {
        heard[i] = true;
        i++;
        j++;
      } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
      else j++;
    }
    const count = table[0]![0]!;
    if (count > best.count) {
      best = { words: wanted.map((word, i) => ({ word, heard: heard[i]! })), transcript: alternative, count };
    }
  }
  return { words: best.words, transcript: best.transcript };
}

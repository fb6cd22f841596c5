// The course as crates/export writes it into course.js (`PlayerCourse` in
// crates/export/src/course.rs; the export's tests and the player's end-to-end test read the
// same files).
import type { ComponentType } from "@ui/generated/ipc";

export type Delivery = "web" | "scorm12" | "scorm2004";

export interface Cue {
  start_ms: number;
  end_ms: number;
  text: string;
}

export interface PlayerNarration {
  audio: string;
  duration_ms: number | null;
  cues: Cue[];
  captions: string | null;
}

export interface PlayerComponent {
  id: string;
  component_type: ComponentType;
  payload: unknown;
  graded: boolean;
}

export interface PlayerSlide {
  id: string;
  title: string;
  layout: "title" | "bullets" | "two_columns" | "image_text" | "quote";
  body_html: string;
  image: string | null;
  narration: PlayerNarration | null;
  components: PlayerComponent[];
}

export interface PlayerLesson {
  id: string;
  title: string;
  slides: PlayerSlide[];
}

export interface PlayerCourse {
  format: "classkit-player-course";
  format_version: number;
  id: string;
  title: string;
  description_html: string;
  language: string | null;
  delivery: Delivery;
  sco_layout: "course" | "per_lesson";
  mastery_score: number;
  xapi: { endpoint: string; auth: string } | null;
  generator: string;
  lessons: PlayerLesson[];
  media: Record<string, string>;
  /** Speaking-practice features of each shadowing reference audio, by its SHA-256. */
  practice: Record<string, unknown>;
}

/** The layout version this player reads. */
export const FORMAT_VERSION = 1;

/** The course course.js set, or why it cannot be played. */
export function loadCourse(value: unknown): PlayerCourse | "missing" | "newer" {
  if (typeof value !== "object" || value === null) return "missing";
  const course = value as Partial<PlayerCourse>;
  if (course.format !== "classkit-player-course" || !Array.isArray(course.lessons)) return "missing";
  if (typeof course.format_version !== "number" || course.format_version > FORMAT_VERSION) return "newer";
  return course as PlayerCourse;
}

/** A slide with where it is: its lesson's index and its own index in the course. */
export interface Placed {
  slide: PlayerSlide;
  lesson: number;
  /** The slide's place among all slides in scope. */
  index: number;
}

/** The slides in scope (one lesson, or all), in order. */
export function slidesOf(course: PlayerCourse, lesson: number | null): Placed[] {
  const out: Placed[] = [];
  course.lessons.forEach((l, li) => {
    if (lesson !== null && li !== lesson) return;
    for (const slide of l.slides) out.push({ slide, lesson: li, index: out.length });
  });
  return out;
}

/** The lesson a launch asks for: `?lesson=N` (1-based, SCORM item parameters), or all. */
export function lessonOfLaunch(search: string, course: PlayerCourse): number | null {
  const n = Number(new URLSearchParams(search).get("lesson"));
  return Number.isInteger(n) && n >= 1 && n <= course.lessons.length ? n - 1 : null;
}

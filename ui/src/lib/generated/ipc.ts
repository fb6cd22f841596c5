/* Generated from ipc.schema.json by scripts/gen-types.mjs (npm run gen:types). Do not edit. */

/**
 * The eleven kinds of learning component.
 */
export type ComponentType =
  | "REVIEW"
  | "QUIZ"
  | "ROLEPLAY"
  | "SHADOWING"
  | "PRONUNCIATION"
  | "FLASHCARDS"
  | "CLOZE"
  | "MATCHING"
  | "HOTSPOT"
  | "BRANCHING"
  | "DICTATION";
/**
 * Whether a component is still being written or can be shown to learners.
 */
export type ComponentStatus = "draft" | "ready";
/**
 * A reference to a stored asset (audio, image) by the sha256 of its bytes.
 */
export type AssetRef = string;
/**
 * How a slide is laid out when rendered.
 */
export type SlideLayout = "title" | "bullets" | "two_columns" | "image_text" | "quote";

/**
 * The types the ClassKit Studio UI receives from the app. Generated; do not edit.
 */
export interface Ipc {
  CourseSummary: CourseSummary;
  CourseTree: CourseTree;
  ImportSummary: ImportSummary;
  LearningComponent: LearningComponent;
  ValidationIssue: ValidationIssue;
  WireError: WireError;
}
/**
 * A course as listed in the library.
 */
export interface CourseSummary {
  components: number;
  created_at: string;
  /**
   * A short description shown in the library.
   */
  description?: string;
  id: string;
  /**
   * BCP 47 language tag of the lecture text, when known (`en`, `ko`).
   */
  language?: string | null;
  lessons: number;
  slides: number;
  title: string;
  updated_at: string;
  /**
   * Incremented on every saved change; the base version for sync and conflict checks.
   */
  version: number;
}
/**
 * A whole course with its lessons, slides and components, as shown by `classkit show`
 * and written into bundles.
 */
export interface CourseTree {
  created_at: string;
  /**
   * A short description shown in the library.
   */
  description?: string;
  id: string;
  /**
   * BCP 47 language tag of the lecture text, when known (`en`, `ko`).
   */
  language?: string | null;
  lessons: LessonTree[];
  title: string;
  updated_at: string;
  /**
   * Incremented on every saved change; the base version for sync and conflict checks.
   */
  version: number;
}
/**
 * A lesson with its slides.
 */
export interface LessonTree {
  course_id: string;
  created_at: string;
  id: string;
  /**
   * Zero-based place of the lesson in its course.
   */
  position: number;
  slides: SlideTree[];
  title: string;
  updated_at: string;
  version: number;
}
/**
 * A slide with its learning components.
 */
export interface SlideTree {
  /**
   * On-screen content in Markdown.
   */
  body: string;
  components: LearningComponent[];
  created_at: string;
  id: string;
  /**
   * The slide's image, by content hash.
   */
  image?: AssetRef | null;
  /**
   * Notes for the instructor only: never shown to learners or narrated.
   */
  instructor_notes?: string;
  layout: SlideLayout;
  lesson_id: string;
  /**
   * The slide's narration audio, by content hash.
   */
  narration?: AssetRef | null;
  /**
   * Zero-based place of the slide in its lesson.
   */
  position: number;
  /**
   * The narration script (speaker notes), spoken over the slide.
   */
  speaker_notes: string;
  title: string;
  updated_at: string;
  version: number;
}
/**
 * A learning component attached to a slide.
 */
export interface LearningComponent {
  component_type: ComponentType;
  created_at: string;
  id: string;
  /**
   * The type's payload as JSON, always carrying its `schema_version`.
   */
  payload: {
    [k: string]: unknown | undefined;
  };
  slide_id: string;
  status: ComponentStatus;
  updated_at: string;
  version: number;
}
/**
 * What importing a lecture created.
 */
export interface ImportSummary {
  course_id: string;
  language?: string | null;
  lessons: number;
  slides: number;
  title: string;
}
/**
 * One problem found in a payload, with a JSON pointer (RFC 6901) to the field.
 */
export interface ValidationIssue {
  /**
   * What is wrong, in words an instructor understands.
   */
  message: string;
  /**
   * JSON pointer into the payload, e.g. `/questions/2/options`; empty for the whole payload.
   */
  pointer: string;
}
/**
 * An error as it crosses to the UI or a `--json` caller.
 */
export interface WireError {
  /**
   * Stable: the UI matches on it, never on the message.
   */
  code: string;
  details: unknown;
  message: string;
}

// Realistic values of the app's types for the UI tests.
import type {
  ComponentType,
  ComponentView,
  CourseTree,
  JobView,
  LessonTree,
  SlideTree,
  ValidationIssue,
} from "../src/lib/generated/ipc";

export const at = "2026-11-28T10:00:00Z";

/** The order key the library gives the item at `index` of a new list (of up to ten). */
export const orderKey = (index: number): string => `a${index}`;

export function slide(lessonId: string, title: string, position: number, extra: Partial<SlideTree> = {}): SlideTree {
  return {
    id: crypto.randomUUID(),
    lesson_id: lessonId,
    order_key: orderKey(position),
    position,
    title,
    body: "- First point",
    speaker_notes: "Say this.",
    instructor_notes: "",
    layout: "bullets",
    created_at: at,
    updated_at: at,
    version: 1,
    components: [],
    ...extra,
  };
}

export function course(titles: string[][] = [["환영합니다", "팀 소개"]], language = "ko"): CourseTree {
  const id = crypto.randomUUID();
  const lessons: LessonTree[] = titles.map((slides, l) => {
    const lessonId = crypto.randomUUID();
    return {
      id: lessonId,
      course_id: id,
      order_key: orderKey(l),
      position: l,
      title: l === 0 ? "첫 주" : `Lesson ${l + 1}`,
      created_at: at,
      updated_at: at,
      version: 1,
      slides: slides.map((title, s) => slide(lessonId, title, s)),
    };
  });
  return { id, title: "신입 사원 오리엔테이션", language, created_at: at, updated_at: at, version: 1, lessons };
}

export function view(
  type: ComponentType,
  payload: Record<string, unknown>,
  issues: ValidationIssue[] = [],
  extra: { version?: number; status?: "draft" | "ready"; id?: string } = {},
): ComponentView {
  return {
    component: {
      id: extra.id ?? crypto.randomUUID(),
      slide_id: crypto.randomUUID(),
      component_type: type,
      status: extra.status ?? "draft",
      payload,
      created_at: at,
      updated_at: at,
      version: extra.version ?? 1,
    },
    issues,
    moved_to_draft: false,
  };
}

/** A job as the app sends it (the app says whether its state is final). */
export function job(extra: Partial<JobView> = {}): JobView {
  const state = extra.state ?? "queued";
  return {
    finished: state === "succeeded" || state === "dead" || state === "cancelled",
    id: crypto.randomUUID(),
    kind: "narration",
    target: null,
    engine: "espeak",
    state: "queued",
    attempts: 0,
    max_attempts: 6,
    progress: 0,
    message: "",
    error: null,
    error_retryable: null,
    run_at: null,
    estimated_cost_micros: 0,
    cost_micros: null,
    created_at: at,
    updated_at: at,
    finished_at: null,
    course_id: null,
    requested_by: null,
    team: false,
    slide_id: null,
    slide_title: null,
    component_type: null,
    course_title: null,
    ...extra,
  };
}

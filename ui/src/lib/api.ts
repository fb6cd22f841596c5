// The one typed client for the app layer: every command the UI sends goes through here, with
// the types generated from the Rust side (generated/ipc.ts).
import { invoke } from "@tauri-apps/api/core";
import type {
  ApiKeys,
  BundleExport,
  BundleImport,
  ComponentType,
  ComponentView,
  Course,
  CourseSummary,
  CourseTree,
  Dispatched,
  Grade,
  ImportSummary,
  JobView,
  Part,
  Preferences,
  Restored,
  Revision,
  RevisionDiff,
  Scope,
  Slide,
  SlideChanges,
  SlideMedia,
  WireError,
} from "./generated/ipc";

/** A failed command, as `{code, message, details}`; the UI matches on `code`. */
export class CommandError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = "CommandError";
    this.code = wire.code;
    this.details = wire.details;
  }
}

function isWireError(value: unknown): value is WireError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as WireError).code === "string" &&
    typeof (value as WireError).message === "string"
  );
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isWireError(e)) throw new CommandError(e);
    throw new CommandError({ code: "ipc_failed", message: String(e), details: null });
  }
}

export const api = {
  /** Every course in the open library. */
  listCourses: () => call<CourseSummary[]>("list_courses"),
  /** A course with its lessons, slides and components. */
  course: (courseId: string) => call<CourseTree>("course", { courseId }),
  /** Imports a lecture file (Markdown or plain text) as a new course. */
  importLecture: (path: string, title: string | null) =>
    call<ImportSummary>("import_lecture", { path, title }),
  /** Asks for a lecture file with the system's file dialog; null when it was closed. */
  pickLectureFile: () => call<string | null>("pick_lecture_file"),
  /** Creates an empty course with one lesson and a title slide. */
  createCourse: (title: string, language: string | null) =>
    call<Course>("create_course", { title, language }),
  /** Adds an empty slide at the end of a lesson. */
  addSlide: (lessonId: string, title: string) => call<Slide>("add_slide", { lessonId, title }),
  /** Saves changes to a slide's text; refused when someone saved it since `expectedVersion`. */
  editSlide: (slideId: string, changes: SlideChanges, expectedVersion: number | null) =>
    call<Slide>("edit_slide", { slideId, changes, expectedVersion }),
  /** Moves a slide to `position` in `lessonId` (its own lesson or another of the course). */
  moveSlide: (slideId: string, lessonId: string, position: number, expectedVersion: number | null) =>
    call<Slide>("move_slide", { slideId, lessonId, position, expectedVersion }),
  /** A slide's rendered page, thumbnail and narration, once made. */
  slideMedia: (slideId: string) => call<SlideMedia>("slide_media", { slideId }),
  /** Attaches a new, empty draft component to a slide. */
  addComponent: (slideId: string, componentType: ComponentType, payload: unknown = null) =>
    call<ComponentView>("add_component", { slideId, componentType, payload }),
  /** A component with the rules it breaks now. */
  component: (componentId: string) => call<ComponentView>("component", { componentId }),
  /** Saves a component's payload; answers with the rules it breaks now. An edit that breaks
   * a ready component moves it back to draft (`moved_to_draft`). */
  saveComponent: (componentId: string, payload: unknown, expectedVersion: number | null) =>
    call<ComponentView>("save_component", { componentId, payload, expectedVersion }),
  /** Marks a component ready (refused with every issue when it is not valid) or draft. */
  setReady: (componentId: string, ready: boolean) =>
    call<ComponentView>("set_ready", { componentId, ready }),
  /** Grades a learner's response with the same functions the player uses. */
  grade: (componentType: ComponentType, payload: unknown, response: unknown) =>
    call<Grade>("grade", { componentType, payload, response }),
  /** Every saved version of a slide or component, oldest first. */
  history: (id: string) => call<Revision[]>("history", { id }),
  /** What changed between two versions, field by field. */
  diff: (id: string, fromVersion: number, toVersion: number) =>
    call<RevisionDiff>("diff", { id, fromVersion, toVersion }),
  /** Restores an earlier version as a new version. */
  restore: (id: string, version: number) => call<Restored>("restore", { id, version }),
  /** Queues the generation a course, lesson or slide still needs on the bundled workers. */
  dispatch: (courseId: string, scope: Scope, parts: Part[]) =>
    call<Dispatched>("dispatch", { courseId, scope, parts }),
  /** The newest jobs, for the job tray. */
  jobs: (limit: number) => call<JobView[]>("jobs", { limit }),
  /** Cancels a job that has not finished. */
  cancelJob: (jobId: string) => call<JobView>("cancel_job", { jobId }),
  /** Queues a dead or cancelled job again. */
  retryJob: (jobId: string) => call<JobView>("retry_job", { jobId }),
  /** Removes a component from its slide (its history stays). */
  deleteComponent: (componentId: string, expectedVersion: number | null) =>
    call<null>("delete_component", { componentId, expectedVersion }),
  /** Puts the slide's rendered picture under a HOTSPOT. */
  useSlidePicture: (componentId: string) => call<ComponentView>("use_slide_picture", { componentId }),
  /** The paid engines and where their keys come from (never the keys). */
  apiKeys: () => call<ApiKeys>("api_keys"),
  /** Keeps an engine's key in the OS keyring, or for this session only. */
  setApiKey: (engine: string, key: string, sessionOnly: boolean) =>
    call<ApiKeys>("set_api_key", { engine, key, sessionOnly }),
  /** Forgets an engine's key. */
  forgetApiKey: (engine: string) => call<ApiKeys>("forget_api_key", { engine }),
  /** Writes a course bundle where the instructor chooses; null when the dialog was closed. */
  exportBundle: (courseId: string) => call<BundleExport | null>("export_bundle", { courseId }),
  /** Reads a course bundle the instructor chooses; null when the dialog was closed. */
  importBundle: (asCopy: boolean) => call<BundleImport | null>("import_bundle", { asCopy }),
  /** The instructor's preferences. */
  preferences: () => call<Preferences>("preferences"),
  /** Saves the instructor's preferences. */
  savePreferences: (preferences: Preferences) => call<null>("save_preferences", { preferences }),
};

/** The URL the webview loads a stored file from (images, audio), by its sha256. */
export function assetUrl(sha256: string): string {
  // Windows serves custom schemes as http://<scheme>.localhost; Linux and macOS as <scheme>://.
  const windows = typeof navigator !== "undefined" && /Windows/.test(navigator.userAgent);
  return windows ? `http://classkit.localhost/${sha256}` : `classkit://localhost/${sha256}`;
}

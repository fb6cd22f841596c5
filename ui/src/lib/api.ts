// The one typed client for the app layer: every command the UI sends goes through here. The
// commands, their arguments and answers are generated from the Rust side's one list
// (generated/commands.ts), so a call the app does not know does not compile.
import { invoke } from "@tauri-apps/api/core";
import type { Commands } from "./generated/commands";
import type {
  ComponentType,
  ErrorCode,
  ExportOptions,
  KeepChoice,
  Part,
  Preferences,
  Scope,
  SlideChanges,
  WireError,
} from "./generated/ipc";

/** A failed command, as `{code, message, details}`; the UI matches on `code`. */
export class CommandError extends Error {
  readonly code: ErrorCode;
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

/** Calls a command of the list (generated/commands.ts) with its arguments; its answer is typed. */
async function call<K extends keyof Commands>(
  command: K,
  ...[args]: keyof Commands[K]["args"] extends never ? [] : [Commands[K]["args"]]
): Promise<Commands[K]["returns"]> {
  try {
    return await invoke<Commands[K]["returns"]>(command, args);
  } catch (e) {
    if (isWireError(e)) throw new CommandError(e);
    throw new CommandError({ code: "ipc_failed", message: String(e), details: null });
  }
}

export const api = {
  /** Every course in the open library. */
  listCourses: () => call("list_courses"),
  /** A course with its lessons, slides and components. */
  course: (courseId: string) => call("course", { courseId }),
  /** Imports a lecture file (Markdown or plain text) as a new course. */
  importLecture: (path: string, title: string | null) =>
    call("import_lecture", { path, title }),
  /** Asks for a lecture file with the system's file dialog; null when it was closed. */
  pickLectureFile: () => call("pick_lecture_file"),
  /** Creates an empty course with one lesson and a title slide. */
  createCourse: (title: string, language: string | null) =>
    call("create_course", { title, language }),
  /** Adds an empty slide at the end of a lesson. */
  addSlide: (lessonId: string, title: string) => call("add_slide", { lessonId, title }),
  /** Saves changes to a slide's text; refused when someone saved it since `expectedVersion`. */
  editSlide: (slideId: string, changes: SlideChanges, expectedVersion: number | null) =>
    call("edit_slide", { slideId, changes, expectedVersion }),
  /** Moves a slide to `position` in `lessonId` (its own lesson or another of the course). */
  moveSlide: (slideId: string, lessonId: string, position: number, expectedVersion: number | null) =>
    call("move_slide", { slideId, lessonId, position, expectedVersion }),
  /** A slide's rendered page, thumbnail and narration, once made. */
  slideMedia: (slideId: string) => call("slide_media", { slideId }),
  /** Attaches a new, empty draft component to a slide. */
  addComponent: (slideId: string, componentType: ComponentType, payload: unknown = null) =>
    call("add_component", { slideId, componentType, payload }),
  /** A component with the rules it breaks now. */
  component: (componentId: string) => call("component", { componentId }),
  /** Saves a component's payload; answers with the rules it breaks now. An edit that breaks
   * a ready component moves it back to draft (`moved_to_draft`). */
  saveComponent: (componentId: string, payload: unknown, expectedVersion: number | null) =>
    call("save_component", { componentId, payload, expectedVersion }),
  /** Marks a component ready (refused with every issue when it is not valid) or draft. */
  setReady: (componentId: string, ready: boolean) =>
    call("set_ready", { componentId, ready }),
  /** Grades a learner's response with the same functions the player uses. */
  grade: (componentType: ComponentType, payload: unknown, response: unknown) =>
    call("grade", { componentType, payload, response }),
  /** Every saved version of a slide or component, oldest first. */
  history: (id: string) => call("history", { id }),
  /** What changed between two versions, field by field. */
  diff: (id: string, fromVersion: number, toVersion: number) =>
    call("diff", { id, fromVersion, toVersion }),
  /** Restores an earlier version as a new version. */
  restore: (id: string, version: number) => call("restore", { id, version }),
  /** Which types of activity the drafting engines found the slide's text supports. */
  draftVerdicts: (slideId: string) => call("draft_verdicts", { slideId }),
  /** The thumbnail of every rendered slide of a course, for the filmstrip. */
  slidePictures: (courseId: string) => call("slide_pictures", { courseId }),
  /** What can be undone and redone in a course now. */
  undoState: (courseId: string) => call("undo_state", { courseId }),
  /** Takes back the course's latest edit, wherever in the app it was made. */
  undo: (courseId: string) => call("undo", { courseId }),
  /** Makes the latest undone edit of the course again. */
  redo: (courseId: string) => call("redo", { courseId }),
  /** Queues the generation a course, lesson or slide still needs: on the team's workers for
   *  a team course (on the bundled workers while the server is away), else on the bundled ones. */
  dispatch: (courseId: string, scope: Scope, parts: Part[]) =>
    call("dispatch", { courseId, scope, parts }),
  /** The newest jobs, the followed team courses' included, for the job tray. */
  jobs: (limit: number) => call("jobs", { limit }),
  /** Cancels a job that has not finished (a team job through the team server). */
  cancelJob: (jobId: string) => call("cancel_job", { jobId }),
  /** Queues a dead or cancelled job again (a team job through the team server). */
  retryJob: (jobId: string) => call("retry_job", { jobId }),
  /** Shows a team course's jobs, whoever dispatched them, in the job tray. */
  followTeamJobs: (courseId: string) => call("follow_team_jobs", { courseId }),
  /** Removes a component from its slide (its history stays). */
  deleteComponent: (componentId: string, expectedVersion: number | null) =>
    call("delete_component", { componentId, expectedVersion }),
  /** Puts the slide's rendered picture under a HOTSPOT. */
  useSlidePicture: (componentId: string) => call("use_slide_picture", { componentId }),
  /** The paid engines and where their keys come from (never the keys). */
  apiKeys: () => call("api_keys"),
  /** Keeps an engine's key in the OS keyring, or for this session only. */
  setApiKey: (engine: string, key: string, sessionOnly: boolean) =>
    call("set_api_key", { engine, key, sessionOnly }),
  /** Forgets an engine's key. */
  forgetApiKey: (engine: string) => call("forget_api_key", { engine }),
  /** Writes a course bundle where the instructor chooses; null when the dialog was closed. */
  exportBundle: (courseId: string) => call("export_bundle", { courseId }),
  /** Reads a course bundle the instructor chooses; null when the dialog was closed. */
  importBundle: (asCopy: boolean) => call("import_bundle", { asCopy }),
  /** Writes a package for learners (web player or SCORM) where the instructor chooses; null
   * when the dialog was closed. */
  exportCourse: (courseId: string, options: ExportOptions) => call("export_course", { courseId, options }),
  /** Scores a shadowing take (mono samples at `rate` Hz) against the reference audio. */
  scoreShadowing: (reference: string, samples: number[], rate: number) =>
    call("score_shadowing", { reference, samples, rate }),
  /** Scores a pronunciation take (mono samples at `rate` Hz) of an English word or phrase,
   * phone by phone (offline, PocketSphinx). */
  scorePronunciation: (text: string, ipa: string, language: string, samples: number[], rate: number) =>
    call("score_pronunciation", { text, ipa, language, samples, rate }),
  /** Opens the course's web player in a window of its own, as a learner sees it. */
  previewPlayer: (courseId: string, options: ExportOptions) => call("preview_player", { courseId, options }),
  /** The instructor's preferences. */
  preferences: () => call("preferences"),
  /** Saves the instructor's preferences. */
  savePreferences: (preferences: Preferences) => call("save_preferences", { preferences }),
  /** The team state: the server, online or not, changes waiting, last sync, conflicts. */
  teamStatus: () => call("team_status"),
  /** Checks a team server's address and token: whose token it is, or what is wrong. */
  testTeamConnection: (url: string, token: string) => call("test_team_connection", { url, token }),
  /** Sets the team server after checking it; the token goes to the OS keyring. */
  setTeamServer: (url: string, token: string) => call("set_team_server", { url, token }),
  /** Whether this app's workers serve the team's queue too (null: off, the default). */
  teamWorker: () => call("team_worker"),
  /** Lets this app's workers serve the team's queue (checked first), and starts them. */
  setTeamWorker: (redisUrl: string, token: string, concurrency: number) =>
    call("set_team_worker", { redisUrl, token, concurrency }),
  /** Stops serving the team's queue and forgets the worker token. */
  turnOffTeamWorker: () => call("turn_off_team_worker"),
  /** Syncs every team course now. */
  syncNow: () => call("sync_now"),
  /** Shares a course of this library with the team. */
  shareCourse: (courseId: string) => call("share_course", { courseId }),
  /** The team's courses the user is a member of. */
  teamCourses: () => call("team_courses"),
  /** Opens a team course in this library and pulls it. */
  openTeamCourse: (courseId: string) => call("open_team_course", { courseId }),
  /** The members of a team course. */
  teamMembers: (courseId: string) => call("team_members", { courseId }),
  /** Open conflicts of a course (or of all), with where each is and, for text, a merge. */
  conflicts: (courseId: string | null) => call("conflicts", { courseId }),
  /** Settles a conflict with one side or a text written from both. */
  resolveConflict: (conflictId: string, choice: KeepChoice) =>
    call("resolve_conflict", { conflictId, choice }),
};

/** The URL the webview loads a stored file from (images, audio), by its sha256. */
export function assetUrl(sha256: string): string {
  // Windows serves custom schemes as http://<scheme>.localhost; Linux and macOS as <scheme>://.
  const windows = typeof navigator !== "undefined" && /Windows/.test(navigator.userAgent);
  return windows ? `http://classkit.localhost/${sha256}` : `classkit://localhost/${sha256}`;
}

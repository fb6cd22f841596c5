/* Generated from ipc.schema.json by scripts/gen-types.mjs (npm run gen:types). Do not edit. */
import type { ApiKeys, BundleExport, BundleImport, ComponentType, ComponentView, ConflictView, Course, CourseSummary, CourseTree, Dispatched, DraftVerdict, ExportOptions, ExportReport, Grade, ImportSummary, JobView, KeepChoice, Me, Member, Part, Preferences, PronunciationScore, RemoteView, Restored, Revision, RevisionDiff, Scope, ShadowingScore, Slide, SlideChanges, SlideMedia, SlidePicture, SyncOutcome, TeamCourse, TeamStatus, TeamWorkerView, UndoOutcome, UndoState } from "./ipc";

/** Every command the UI may call: its arguments (as the UI sends them) and its answer. */
export interface Commands {
  /**
   * Every course in the open library.
   */
  list_courses: { args: {  }; returns: (CourseSummary)[] };
  /**
   * A course with its lessons, slides and components.
   */
  course: { args: { courseId: string }; returns: CourseTree };
  /**
   * Imports a lecture file (Markdown or plain text) as a new course.
   */
  import_lecture: { args: { path: string; title: string | null }; returns: ImportSummary };
  /**
   * Creates an empty course with one lesson and a title slide.
   */
  create_course: { args: { language: string | null; title: string }; returns: Course };
  /**
   * Adds an empty slide at the end of a lesson.
   */
  add_slide: { args: { lessonId: string; title: string }; returns: Slide };
  /**
   * Saves changes to a slide's text; refused when someone saved it since `expected_version`.
   */
  edit_slide: { args: { changes: SlideChanges; expectedVersion: number | null; slideId: string }; returns: Slide };
  /**
   * Moves a slide to `position` in a lesson of its course.
   */
  move_slide: { args: { expectedVersion: number | null; lessonId: string; position: number; slideId: string }; returns: Slide };
  /**
   * Which types of activity the drafting engines found the slide's text supports.
   */
  draft_verdicts: { args: { slideId: string }; returns: (DraftVerdict)[] };
  /**
   * The thumbnail of every rendered slide of a course, for the filmstrip.
   */
  slide_pictures: { args: { courseId: string }; returns: (SlidePicture)[] };
  /**
   * The slide's generated media: rendered pages and narration.
   */
  slide_media: { args: { slideId: string }; returns: SlideMedia };
  /**
   * Adds a learning component to a slide, from a payload or the type's starting one.
   */
  add_component: { args: { componentType: ComponentType; payload: unknown; slideId: string }; returns: ComponentView };
  /**
   * A component with its validation issues.
   */
  component: { args: { componentId: string }; returns: ComponentView };
  /**
   * Saves a component's payload; a ready component that the edit breaks becomes a draft.
   */
  save_component: { args: { componentId: string; expectedVersion: number | null; payload: unknown }; returns: ComponentView };
  /**
   * Marks a component ready (refused with its issues when it breaks a rule) or draft.
   */
  set_ready: { args: { componentId: string; ready: boolean }; returns: ComponentView };
  /**
   * Deletes a component (its history is kept).
   */
  delete_component: { args: { componentId: string; expectedVersion: number | null }; returns: null };
  /**
   * Uses the slide's rendered picture as a HOTSPOT component's image.
   */
  use_slide_picture: { args: { componentId: string }; returns: ComponentView };
  /**
   * Grades a learner's response to a payload, as the preview does.
   */
  grade: { args: { componentType: ComponentType; payload: unknown; response: unknown }; returns: Grade };
  /**
   * The saved versions of a slide or component, newest first.
   */
  history: { args: { id: string }; returns: (Revision)[] };
  /**
   * What changed between two versions of a slide or component.
   */
  diff: { args: { fromVersion: number; id: string; toVersion: number }; returns: RevisionDiff };
  /**
   * Makes an earlier version the current one, as a new version.
   */
  restore: { args: { id: string; version: number }; returns: Restored };
  /**
   * What can be undone and redone in a course now.
   */
  undo_state: { args: { courseId: string }; returns: UndoState };
  /**
   * Takes back the course's latest edit (slide text, a component's content or status, a
   * restore, adding, deleting or moving), wherever it was made in the app.
   */
  undo: { args: { courseId: string }; returns: UndoOutcome };
  /**
   * Makes the latest undone edit of the course again.
   */
  redo: { args: { courseId: string }; returns: UndoOutcome };
  /**
   * Queues the jobs that make what is missing or out of date in a course: a team course's
   * on the team's workers (on the bundled workers while the server cannot be reached).
   */
  dispatch: { args: { courseId: string; parts: (Part)[]; scope: Scope }; returns: Dispatched };
  /**
   * The newest jobs: the app's queue's, and the team jobs of the team courses followed.
   */
  jobs: { args: { limit: number }; returns: (JobView)[] };
  /**
   * Cancels a job that has not finished (a team job through the team server).
   */
  cancel_job: { args: { jobId: string }; returns: JobView };
  /**
   * Runs a failed or cancelled job again (a team job through the team server).
   */
  retry_job: { args: { jobId: string }; returns: JobView };
  /**
   * Follows a team course's jobs (whoever dispatched them) in the job tray; false for a
   * course not shared with a team.
   */
  follow_team_jobs: { args: { courseId: string }; returns: boolean };
  /**
   * The paid engines and where their keys come from.
   */
  api_keys: { args: {  }; returns: ApiKeys };
  /**
   * Keeps an API key for a paid engine (in the OS keyring, or for this session only).
   */
  set_api_key: { args: { engine: string; key: string; sessionOnly: boolean }; returns: ApiKeys };
  /**
   * Forgets the API key of a paid engine.
   */
  forget_api_key: { args: { engine: string }; returns: ApiKeys };
  /**
   * The instructor's preferences.
   */
  preferences: { args: {  }; returns: Preferences };
  /**
   * Saves the instructor's preferences.
   */
  save_preferences: { args: { preferences: Preferences }; returns: null };
  /**
   * Asks for a lecture file with the system's file dialog; null when it was closed.
   */
  pick_lecture_file: { args: {  }; returns: string | null };
  /**
   * Exports a course as a bundle file chosen with the system's dialog; null when closed.
   */
  export_bundle: { args: { courseId: string }; returns: BundleExport | null };
  /**
   * Imports a bundle file chosen with the system's dialog; null when closed.
   */
  import_bundle: { args: { asCopy: boolean }; returns: BundleImport | null };
  /**
   * Exports the course for learners (the web player, or a SCORM 1.2 or 2004 package) to a
   * zip file chosen with the system's dialog; null when the dialog was closed. The report
   * says what was left out and why.
   */
  export_course: { args: { courseId: string; options: ExportOptions }; returns: ExportReport | null };
  /**
   * Scores a shadowing take (the learner's recording: mono samples at `rate` Hz) against
   * the reference audio `reference` (a stored file's SHA-256).
   */
  score_shadowing: { args: { rate: number; reference: string; samples: (number)[] }; returns: ShadowingScore };
  /**
   * Scores a pronunciation take (mono samples at `rate` Hz) of `text`, an English word or
   * phrase, phone by phone, offline (PocketSphinx). `ipa`, when not empty, is the
   * pronunciation expected; `language` is the item's (other languages are refused).
   */
  score_pronunciation: { args: { ipa: string; language: string; rate: number; samples: (number)[]; text: string }; returns: PronunciationScore };
  /**
   * Opens the course's web player in a window of its own, as a learner sees it (exported
   * with these options to a folder of the app's cache).
   */
  preview_player: { args: { courseId: string; options: ExportOptions }; returns: ExportReport };
  /**
   * The team state: the server, online or not, changes waiting, last sync, conflicts.
   */
  team_status: { args: {  }; returns: TeamStatus };
  /**
   * Checks a team server's address and token: whose token it is, or exactly what is wrong.
   */
  test_team_connection: { args: { token: string; url: string }; returns: Me };
  /**
   * Sets the team server after checking it (the token goes to the OS keyring).
   */
  set_team_server: { args: { token: string; url: string }; returns: RemoteView };
  /**
   * Whether this app's workers serve the team's queue too (off by default), and how.
   */
  team_worker: { args: {  }; returns: TeamWorkerView | null };
  /**
   * Lets this app's workers serve the team's queue with a worker token the team's admin
   * gives (checked with the server, and the Redis URL with Redis), and starts them.
   */
  set_team_worker: { args: { concurrency: number; redisUrl: string; token: string }; returns: TeamWorkerView };
  /**
   * Stops this app's workers from serving the team's queue and forgets the token.
   */
  turn_off_team_worker: { args: {  }; returns: null };
  /**
   * Syncs every team course now (and opens team courses new to this library).
   */
  sync_now: { args: {  }; returns: TeamStatus };
  /**
   * Shares a course of this library with the team: the server creates it and receives it.
   */
  share_course: { args: { courseId: string }; returns: SyncOutcome };
  /**
   * The team server's courses the user is a member of.
   */
  team_courses: { args: {  }; returns: (TeamCourse)[] };
  /**
   * Opens a team course in this library and pulls it.
   */
  open_team_course: { args: { courseId: string }; returns: SyncOutcome };
  /**
   * The members of a team course and their roles.
   */
  team_members: { args: { courseId: string }; returns: (Member)[] };
  /**
   * Open conflicts of a course (or of all), with where each is and, for text, a merge.
   */
  conflicts: { args: { courseId: string | null }; returns: (ConflictView)[] };
  /**
   * Settles a conflict: one side, or a text written from both; an ordinary edit that syncs.
   */
  resolve_conflict: { args: { choice: KeepChoice; conflictId: string }; returns: null };
}

/** The commands' names, in the Rust list's order. */
export const COMMANDS = ["list_courses","course","import_lecture","create_course","add_slide","edit_slide","move_slide","draft_verdicts","slide_pictures","slide_media","add_component","component","save_component","set_ready","delete_component","use_slide_picture","grade","history","diff","restore","undo_state","undo","redo","dispatch","jobs","cancel_job","retry_job","follow_team_jobs","api_keys","set_api_key","forget_api_key","preferences","save_preferences","pick_lecture_file","export_bundle","import_bundle","export_course","score_shadowing","score_pronunciation","preview_player","team_status","test_team_connection","set_team_server","team_worker","set_team_worker","turn_off_team_worker","sync_now","share_course","team_courses","open_team_course","team_members","conflicts","resolve_conflict"] as const;

// The one typed client for the app layer: every command the UI sends goes through here, with
// the types generated from the Rust side (generated/ipc.ts).
import { invoke } from "@tauri-apps/api/core";
import type { CourseSummary, CourseTree, ImportSummary, WireError } from "./generated/ipc";

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
};

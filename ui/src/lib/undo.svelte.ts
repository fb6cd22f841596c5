// Undo and redo of the open course's edits. The steps live in the app layer (one list for
// every edit, wherever in the UI it was made); this asks for them, saves what is still being
// typed first, and says in words what was undone.
import { api, CommandError } from "./api";
import { flushAll } from "./autosave.svelte";
import type { EditSummary, UndoState } from "./generated/ipc";
import { t, tError, tryT } from "./i18n/index.svelte";
import { humanize } from "./schema";

/** An edit in words: "editing the Quiz", "moving the slide". */
export function editText(edit: EditSummary): string {
  const target =
    edit.target.entity_type === "slide"
      ? t("undo.target.slide")
      : t("undo.target.component", {
          type: tryT(`type.${edit.target.component_type}`, humanize(edit.target.component_type.toLowerCase())),
        });
  return tryT(`undo.what.${edit.change}`, t("undo.what.other")).replace("{target}", target);
}

/** Whether a key press asks for undo or redo: Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z, Ctrl+Y. */
export function undoKey(event: KeyboardEvent): "undo" | "redo" | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? "redo" : "undo";
  if (key === "y" && !event.shiftKey) return "redo";
  return null;
}

export class CourseUndo {
  state = $state<UndoState>({ undo: null, redo: null });
  /** What the last undo or redo did, or why it could not, for a live region. */
  message = $state("");
  /** Whether the message is an error. */
  failed = $state(false);
  busy = $state(false);

  constructor(
    private readonly courseId: () => string,
    /** Shows the edit's place again after an undo or redo (reloads what it changed). */
    private readonly show: (edit: EditSummary | null) => Promise<void>,
  ) {}

  /** Reads what can be undone now (after a save anywhere in the course). */
  async refresh(): Promise<void> {
    try {
      this.state = await api.undoState(this.courseId());
    } catch {
      // Outside the desktop app there is nothing to undo.
    }
  }

  async run(direction: "undo" | "redo"): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      // What is being typed is saved first, so it is the edit undone.
      await flushAll();
      const outcome = direction === "undo" ? await api.undo(this.courseId()) : await api.redo(this.courseId());
      this.state = outcome.state;
      this.failed = false;
      if (outcome.done) {
        const what = editText(outcome.done);
        this.message = direction === "undo" ? t("undo.undone", { what }) : t("undo.redone", { what });
      } else {
        this.message = direction === "undo" ? t("undo.nothingToUndo") : t("undo.nothingToRedo");
      }
      await this.show(outcome.done ?? null);
    } catch (e) {
      this.failed = true;
      const edit = e instanceof CommandError ? (e.details as { edit?: EditSummary } | null)?.edit : undefined;
      this.message = edit ? t("undo.changedSince", { what: editText(edit) }) : tError(e);
      await this.refresh();
      await this.show(null);
    } finally {
      this.busy = false;
    }
  }
}

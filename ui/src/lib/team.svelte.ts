// The team state the header, the library and the conflict view share: loaded once, then kept
// up to date by the app's `team` events (sent by the background sync) and by the answers of
// the team commands.
import { api } from "./api";
import { onEvent } from "./events.svelte";
import type { TeamStatus } from "./generated/ipc";

export const team = $state<{ status: TeamStatus | null }>({ status: null });

export function setTeamStatus(status: TeamStatus | null): void {
  team.status = status;
}

/** Reads the team state again (after a share, an open, a settled conflict). */
export async function refreshTeam(): Promise<void> {
  try {
    team.status = await api.teamStatus();
  } catch {
    // Outside the desktop app there is no team state; the header shows nothing.
  }
}

/** Loads the team state and follows its changes; returns the function that stops. */
export function followTeam(): () => void {
  let stop: (() => void) | null = null;
  let gone = false;
  void refreshTeam();
  onEvent("team", setTeamStatus).then(
    (unlisten) => (gone ? unlisten() : (stop = unlisten)),
    () => {
      // Outside the desktop app: no events.
    },
  );
  return () => {
    gone = true;
    stop?.();
  };
}

/** The role this library has in a linked course, or null for a course of its own. */
export function teamRole(courseId: string): string | null {
  return team.status?.courses.find((c) => c.course_id === courseId)?.role ?? null;
}

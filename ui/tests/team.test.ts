import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import ConflictsView from "../src/lib/ConflictsView.svelte";
import type { ConflictView, TeamStatus } from "../src/lib/generated/ipc";
import SyncStatus from "../src/lib/SyncStatus.svelte";
import { setTeamStatus } from "../src/lib/team.svelte";
import TeamServerPanel from "../src/lib/TeamServerPanel.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
  setTeamStatus(null);
});

const remote = { url: "https://team.example.org", email: "ana@example.org", token_file: null };

function status(over: Partial<TeamStatus> = {}): TeamStatus {
  return {
    connection: "online",
    remote,
    syncing: false,
    last_sync: "2026-12-04T10:00:00Z",
    last_error: null,
    next_attempt: null,
    waiting: 0,
    conflicts: 0,
    courses: [],
    ...over,
  };
}

it("shows nothing while the library is solo", () => {
  setTeamStatus(status({ connection: "not_set", remote: null }));
  const { container } = render(SyncStatus, { onconflicts: () => {} });
  expect(container.querySelector(".sync")).toBeNull();
});

it("says offline, what waits, why, and when it tries again; conflicts open the view", async () => {
  setTeamStatus(
    status({
      connection: "offline",
      waiting: 3,
      conflicts: 2,
      next_attempt: "2026-12-04T10:01:00Z",
      last_error: { code: "server_unreachable", message: "cannot reach https://team.example.org", details: null },
    }),
  );
  const opened = vi.fn();
  render(SyncStatus, { onconflicts: opened });
  expect(screen.getByText("Offline")).toBeTruthy();
  expect(screen.getByText("3 waiting")).toBeTruthy();
  expect(screen.getByText(/next try/)).toBeTruthy();
  expect(screen.getByRole("alert").textContent).toContain("cannot reach");
  await fireEvent.click(screen.getByRole("button", { name: "2 conflicts" }));
  expect(opened).toHaveBeenCalledOnce();
});

it("syncs now on request and shows the new state", async () => {
  setTeamStatus(status({ waiting: 1 }));
  mockIPC((cmd) => {
    if (cmd === "sync_now") return status({ waiting: 0 });
    throw new Error(`unexpected ${cmd}`);
  });
  render(SyncStatus, { onconflicts: () => {} });
  expect(screen.getByText("1 waiting")).toBeTruthy();
  await fireEvent.click(screen.getByRole("button", { name: "Sync now" }));
  await vi.waitFor(() => expect(screen.queryByText("1 waiting")).toBeNull());
});

it("tests a connection, says exactly what is wrong, and connects", async () => {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "test_team_connection") {
      const { token } = args as { token: string };
      if (token === "revoked") throw { code: "token_revoked", message: "the team's admin revoked this token", details: null };
      return { email: "ana@example.org", name: "Ana" };
    }
    if (cmd === "set_team_server") return remote;
    if (cmd === "team_status") return status();
    throw new Error(`unexpected ${cmd}`);
  });
  render(TeamServerPanel, {});
  await fireEvent.click(screen.getByRole("button", { name: "Test connection" }));
  expect(screen.getByRole("alert").textContent).toContain("address");
  await fireEvent.input(screen.getByLabelText("Server address"), { target: { value: " https://team.example.org " } });
  const token = screen.getByLabelText("Token") as HTMLInputElement;
  expect(token.type).toBe("password");
  await fireEvent.input(token, { target: { value: "revoked" } });
  await fireEvent.click(screen.getByRole("button", { name: "Test connection" }));
  await vi.waitFor(() => expect(screen.getByRole("alert").textContent).toContain("revoked this token"));
  await fireEvent.input(token, { target: { value: "good" } });
  await fireEvent.click(screen.getByRole("button", { name: "Test connection" }));
  await vi.waitFor(() => expect(screen.getByRole("status").textContent).toBe("Connected as Ana (ana@example.org)."));
  await fireEvent.click(screen.getByRole("button", { name: "Connect" }));
  await vi.waitFor(() => expect(token.value).toBe(""));
  expect(calls.filter(([c]) => c === "set_team_server")).toEqual([
    ["set_team_server", { url: "https://team.example.org", token: "good" }],
  ]);
});

function conflict(over: Partial<ConflictView["conflict"]>, text: ConflictView["text"] = null): ConflictView {
  return {
    conflict: {
      id: "c1",
      course_id: "k1",
      kind: "slide",
      entity_id: "s1",
      path: [],
      pointer: "/title",
      base: "Opening the call",
      mine: "Opening a call",
      theirs: "Starting the call",
      mine_author: "bo@example.org",
      mine_at: "2026-12-04T09:00:00Z",
      theirs_author: "ana@example.org",
      created_at: "2026-12-04T09:01:00Z",
      resolved_at: null,
      resolved_by: null,
      seq: 7,
      ...over,
    },
    place: { course_title: "Negotiating by phone", title: "Opening the call", component_type: null },
    text,
  };
}

it("shows both sides with their authors, and settles with a merged text", async () => {
  let open: ConflictView[] = [
    conflict({}, { base: "Opening the call", mine: "Opening a call", theirs: "Starting the call", merged: null }),
    conflict(
      { id: "c2", kind: "component", pointer: "/payload/questions/0/points", base: 1, mine: 2, theirs: 3 },
      null,
    ),
  ];
  open[1]!.place.component_type = "QUIZ";
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "conflicts") return open;
    if (cmd === "resolve_conflict") {
      open = open.filter((c) => c.conflict.id !== (args as { conflictId: string }).conflictId);
      return null;
    }
    if (cmd === "team_status") return status();
    throw new Error(`unexpected ${cmd}`);
  });
  render(ConflictsView, { onBack: () => {} });
  expect(await screen.findByText("Slide “Opening the call” in “Negotiating by phone”")).toBeTruthy();
  expect(screen.getByText("Quiz on slide “Opening the call” in “Negotiating by phone”")).toBeTruthy();
  expect(screen.getByText("Field: Questions › #1 › Points", { exact: false })).toBeTruthy();
  expect(screen.getAllByText("by ana@example.org").length).toBe(2);
  // The edits changed the same words: the text starts from the current one, to be rewritten.
  const merged = screen.getByLabelText("Merged text") as HTMLTextAreaElement;
  expect(merged.value).toBe("Starting the call");
  expect(screen.getByText(/changed the same words/)).toBeTruthy();
  await fireEvent.input(merged, { target: { value: "Opening and starting the call" } });
  await fireEvent.click(screen.getByRole("button", { name: "Use this text" }));
  await vi.waitFor(() => expect(screen.queryByLabelText("Merged text")).toBeNull());
  await fireEvent.click(screen.getByRole("button", { name: "Keep this edit" }));
  await vi.waitFor(() => expect(screen.getByText("No conflicts: every edit is merged.")).toBeTruthy());
  expect(calls.filter(([c]) => c === "resolve_conflict")).toEqual([
    ["resolve_conflict", { conflictId: "c1", choice: { keep: "text", text: "Opening and starting the call" } }],
    ["resolve_conflict", { conflictId: "c2", choice: { keep: "mine" } }],
  ]);
});

it("turns serving the team's queue on with the admin's worker token, says why not, and off", async () => {
  const TeamWorkerPanel = (await import("../src/lib/TeamWorkerPanel.svelte")).default;
  setTeamStatus(status());
  const calls: [string, unknown][] = [];
  let refuse = true;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "team_worker") return null;
    if (cmd === "set_team_worker") {
      if (refuse) {
        throw { code: "invalid_input", message: "this is a person's token; the team's queue takes a worker token", details: null };
      }
      return { redis_url: "redis://queue:6379/", concurrency: 3 };
    }
    if (cmd === "turn_off_team_worker") return null;
    throw new Error(`unexpected ${cmd}`);
  });
  render(TeamWorkerPanel, {});
  await screen.findByText("Serve the team's queue");
  // Nothing is sent without the address and the token.
  await fireEvent.click(screen.getByRole("button", { name: "Turn on" }));
  expect((await screen.findByRole("alert")).textContent).toContain("Redis address");
  await fireEvent.input(screen.getByLabelText("Redis address of the team's queue"), {
    target: { value: "redis://queue:6379/" },
  });
  await fireEvent.input(screen.getByLabelText("Worker token from the admin"), {
    target: { value: "ckt_person" },
  });
  await fireEvent.input(screen.getByLabelText("Jobs at once (1–16)"), { target: { value: "3" } });
  await fireEvent.click(screen.getByRole("button", { name: "Turn on" }));
  await vi.waitFor(() => expect(screen.getByRole("alert").textContent).toContain("worker token"));
  refuse = false;
  await fireEvent.click(screen.getByRole("button", { name: "Turn on" }));
  await screen.findByText("On: this app now runs team jobs, 3 at once.");
  expect(screen.getByText(/serves the team's queue at redis:\/\/queue:6379\//)).toBeTruthy();
  await fireEvent.click(screen.getByRole("button", { name: "Turn off" }));
  await screen.findByText("Off: this app runs only its own jobs.");
  expect(calls.filter(([c]) => c === "set_team_worker").at(-1)).toEqual([
    "set_team_worker",
    { redisUrl: "redis://queue:6379/", token: "ckt_person", concurrency: 3 },
  ]);
});

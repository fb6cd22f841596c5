import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import HistoryPanel from "../src/lib/HistoryPanel.svelte";
import type { Revision } from "../src/lib/generated/ipc";
import { at } from "./fixtures";

afterEach(() => {
  cleanup();
  clearMocks();
});

it("shows what a version changed and restores it", async () => {
  const id = crypto.randomUUID();
  const revision = (version: number, change: string): Revision => ({
    entity_type: "component",
    entity_id: id,
    version,
    change,
    created_at: at,
    data: {},
  });
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "history") return [revision(1, "created"), revision(2, "updated"), revision(3, "updated")];
    if (cmd === "diff")
      return {
        id,
        from_version: 1,
        to_version: 2,
        lines: [
          { change: "same", text: "questions/0/id: q1\n" },
          { change: "removed", text: "questions/0/text: (empty)\n" },
          { change: "added", text: "questions/0/text: <script>alert(1)</script>\n" },
        ],
      };
    if (cmd === "restore") return { entity_type: "component", id, version: 4 };
    throw new Error(`unexpected ${cmd}`);
  });
  const onrestored = vi.fn();
  render(HistoryPanel, { id, onrestored });
  await fireEvent.click(await screen.findByRole("button", { name: /Version 2 · updated/ }));
  const diff = await screen.findByRole("region", { name: "Changes from version 1 to 2" });
  expect(diff.textContent).toContain("− questions/0/text: (empty)");
  expect(diff.textContent).toContain("+ questions/0/text: <script>alert(1)</script>");
  expect(diff.querySelector("script")).toBeNull();
  expect(diff.textContent).not.toContain("questions/0/id");

  await fireEvent.click(screen.getByRole("button", { name: "Restore version 2" }));
  await vi.waitFor(() => expect(onrestored).toHaveBeenCalled());
  expect(calls.filter(([c]) => c !== "history")).toEqual([
    ["diff", { id, fromVersion: 1, toVersion: 2 }],
    ["restore", { id, version: 2 }],
  ]);
  // The newest version has nothing to restore.
  expect(screen.queryByRole("button", { name: "Restore version 3" })).toBeNull();
});

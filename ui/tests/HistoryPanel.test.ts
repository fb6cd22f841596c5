import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import HistoryPanel from "../src/lib/HistoryPanel.svelte";
import type { ChangeKind, Revision } from "../src/lib/generated/ipc";
import { setLocale } from "../src/lib/i18n/index.svelte";
import { at } from "./fixtures";

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

const revision = (id: string, version: number, change: ChangeKind, restored_from: number | null = null): Revision => ({
  entity_type: "component",
  entity_id: id,
  version,
  change,
  restored_from,
  created_at: at,
  data: {},
});

it("shows what a version changed and restores it", async () => {
  const id = crypto.randomUUID();
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "history") return [revision(id, 1, "created"), revision(id, 2, "updated"), revision(id, 3, "updated")];
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

it("says what each save did in the UI's language, with the version a restore brought back", async () => {
  const id = crypto.randomUUID();
  const history = [
    revision(id, 1, "imported"),
    revision(id, 2, "marked_ready"),
    revision(id, 3, "restored", 1),
    revision(id, 4, "reference_audio_recorded"),
  ];
  mockIPC((cmd) => {
    if (cmd === "history") return history;
    throw new Error(`unexpected ${cmd}`);
  });
  const { unmount } = render(HistoryPanel, { id, onrestored: () => {} });
  expect(await screen.findByRole("button", { name: /^Version 3 · restored from version 1 · / })).toBeTruthy();
  expect(screen.getByRole("button", { name: /^Version 2 · marked ready · / })).toBeTruthy();
  expect(screen.getByRole("button", { name: /^Version 4 · reference audio recorded · / })).toBeTruthy();
  expect(document.body.textContent).not.toContain("marked_ready");
  unmount();

  setLocale("ko");
  render(HistoryPanel, { id, onrestored: () => {} });
  expect(await screen.findByRole("button", { name: /^버전 3 · 버전 1에서 복원됨 · / })).toBeTruthy();
  expect(screen.getByRole("button", { name: /^버전 1 · 강의 파일에서 가져옴 · / })).toBeTruthy();
  expect(screen.getByRole("button", { name: /^버전 2 · 준비됨으로 표시됨 · / })).toBeTruthy();
});

// Shared by the preview tests: the app answers `grade` with a fixed grade and records what
// it was asked; every test ends with a clean page and no mocks.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup } from "@testing-library/svelte";
import { afterEach } from "vitest";
import type { Grade } from "../../src/lib/generated/ipc";

afterEach(() => {
  cleanup();
  clearMocks();
});

/** Answers every `grade` call with `grade`; returns the arguments of each call. */
export function mockGrade(grade: Grade): unknown[] {
  const calls: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "grade") throw new Error(`unexpected ${cmd}`);
    calls.push(args);
    return grade;
  });
  return calls;
}

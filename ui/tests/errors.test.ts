import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it } from "vitest";
import ApiKeysPanel from "../src/lib/ApiKeysPanel.svelte";
import { CommandError } from "../src/lib/api";
import type { ChangeKind, ErrorCode, PaidEngine, WireError } from "../src/lib/generated/ipc";
import schema from "../src/lib/generated/ipc.schema.json";
import { changesEn, changesKo, changeText } from "../src/lib/i18n/changes";
import { errorsKo, errorText } from "../src/lib/i18n/errors";
import { setLocale, tError } from "../src/lib/i18n/index.svelte";
import LibraryView from "../src/lib/LibraryView.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
  setLocale("en");
});

/** The codes of an enum as the Rust side writes them in the schema. */
function codes(name: "ErrorCode" | "ChangeKind"): string[] {
  return (schema.$defs[name].oneOf as { const: string }[]).map((v) => v.const).sort();
}

const wire = (code: ErrorCode, message: string): WireError => ({ code, message, details: null });

it("has a Korean sentence for every error code, and only for those", () => {
  const all = codes("ErrorCode");
  expect(all.length).toBeGreaterThan(40);
  expect(Object.keys(errorsKo).sort()).toEqual(all);
  for (const code of all) {
    const sentence = errorsKo[code as ErrorCode];
    expect(sentence.trim(), code).not.toBe("");
    // A sentence, not an English message left in place.
    expect(sentence, code).toMatch(/[가-힣]/);
    expect(sentence, code).toMatch(/[.)]$/);
  }
});

it("says a command's error in English as the app wrote it", () => {
  const e = new CommandError(wire("disk_full", "the disk is full (no space left on device); free some space"));
  expect(tError(e)).toBe("the disk is full (no space left on device); free some space");
  expect(errorText(e, "en")).toBe(e.message);
});

it("says a command's error in Korean by its code, with the app's message for the specifics", () => {
  setLocale("ko");
  const notFound = new CommandError(wire("library_not_found", "there is no library at /home/me/Courses"));
  expect(tError(notFound)).toBe("지정한 폴더에 라이브러리가 없습니다. (there is no library at /home/me/Courses)");
  const conflict = new CommandError(
    wire("version_conflict", "slide 1f0e was changed elsewhere (it is now at version 4; this edit was made on version 3)"),
  );
  expect(tError(conflict)).toBe(
    "불러온 뒤 다른 곳에서 저장되었습니다. 다시 불러온 뒤 변경 사항을 다시 적용하세요. " +
      "(slide 1f0e was changed elsewhere (it is now at version 4; this edit was made on version 3))",
  );
  // Without a message there is nothing to add.
  expect(tError(new CommandError(wire("internal", "")))).toBe("예기치 않은 문제가 생겼습니다.");
  // A code from an app newer than this UI is said by the app's message.
  expect(tError(new CommandError(wire("said_by_a_newer_app" as ErrorCode, "a new kind of failure")))).toBe(
    "a new kind of failure",
  );
});

it("says anything that is not a command's error as it is, in either language", () => {
  for (const locale of ["en", "ko"] as const) {
    setLocale(locale);
    expect(tError(new Error("database is busy"))).toBe("database is busy");
    expect(tError("plain text")).toBe("plain text");
    expect(tError(42)).toBe("42");
    expect(tError(null)).toBe("null");
  }
});

it("has every change kind in English and Korean, and names the version a restore came from", () => {
  const all = codes("ChangeKind");
  expect(Object.keys(changesEn).sort()).toEqual(all);
  expect(Object.keys(changesKo).sort()).toEqual(all);
  for (const kind of all as ChangeKind[]) {
    expect(changesKo[kind], kind).toMatch(/[가-힣]/);
    expect(changeText({ change: kind, restored_from: null }, "en")).toBe(changesEn[kind]);
  }
  expect(changeText({ change: "marked_ready", restored_from: null }, "en")).toBe("marked ready");
  expect(changeText({ change: "restored", restored_from: 3 }, "en")).toBe("restored from version 3");
  expect(changeText({ change: "restored", restored_from: 3 }, "ko")).toBe("버전 3에서 복원됨");
  expect(changeText({ change: "restored", restored_from: null }, "ko")).toBe("복원됨");
  expect(changeText({ change: "restored" }, "en")).toBe("restored");
});

const engine: PaidEngine = {
  id: "cloud-tts",
  kind: "tts",
  endpoint: "https://api.openai.com/v1",
  model: "tts-1",
  api_key_env: "OPENAI_API_KEY",
};

it("shows a Korean instructor the shell's refusal in Korean, with the app's message", async () => {
  setLocale("ko");
  mockIPC((cmd) => {
    if (cmd === "api_keys") return { keyring_unavailable: null, engines: [{ engine, source: "none" }] };
    throw wire("keyring_unavailable", "no OS keyring (secret service) is reachable");
  });
  render(ApiKeysPanel, {});
  await fireEvent.input(await screen.findByLabelText("cloud-tts의 API 키"), { target: { value: "sk-live-1" } });
  await fireEvent.click(screen.getByRole("button", { name: "키 보관" }));
  expect((await screen.findByRole("alert")).textContent).toBe(
    "시스템 키링을 쓸 수 없습니다. (no OS keyring (secret service) is reachable)",
  );
});

it("shows a Korean instructor why the library cannot be read, in Korean", async () => {
  setLocale("ko");
  mockIPC(() => {
    throw wire("library_unavailable", "the library at /home/me/Courses could not be opened: database is locked");
  });
  render(LibraryView, { onOpen: () => {} });
  const alert = await screen.findByRole("alert");
  expect(alert.textContent).toContain("문제가 생겼습니다: 라이브러리를 열 수 없습니다 (잠겨 있거나 읽을 수 없습니다).");
  expect(alert.textContent).toContain("(the library at /home/me/Courses could not be opened: database is locked)");
});

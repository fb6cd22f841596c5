import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, expect, it, vi } from "vitest";
import ApiKeysPanel from "../src/lib/ApiKeysPanel.svelte";
import type { ApiKeys, PaidEngine } from "../src/lib/generated/ipc";

afterEach(() => {
  cleanup();
  clearMocks();
});

const engine: PaidEngine = {
  id: "cloud-tts",
  kind: "tts",
  endpoint: "https://api.openai.com/v1",
  model: "tts-1",
  api_key_env: "OPENAI_API_KEY",
};

it("sends a typed key to the shell, keeps it for the session without a keyring, and forgets it", async () => {
  let keys: ApiKeys = {
    keyring_unavailable: "no OS keyring (secret service) is reachable",
    engines: [{ engine, source: "none" }],
  };
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "api_keys") return keys;
    if (cmd === "set_api_key") {
      keys = { ...keys, engines: [{ engine, source: "session" }] };
      return keys;
    }
    if (cmd === "forget_api_key") {
      keys = { ...keys, engines: [{ engine, source: "none" }] };
      return keys;
    }
    throw new Error(`unexpected ${cmd}`);
  });
  render(ApiKeysPanel, {});
  expect(await screen.findByText(/Keys cannot be kept on this system/)).toBeTruthy();
  const input = screen.getByLabelText("API key for cloud-tts") as HTMLInputElement;
  expect(input.type).toBe("password");
  await fireEvent.input(input, { target: { value: "sk-live-1" } });
  await fireEvent.click(screen.getByRole("button", { name: "For this session only" }));
  await vi.waitFor(() => expect(screen.getByText("For this session only", { selector: ".source" })).toBeTruthy());
  expect(input.value).toBe("");
  await fireEvent.click(screen.getByRole("button", { name: "Forget the key" }));
  await vi.waitFor(() => expect(screen.getByText("No key")).toBeTruthy());
  expect(calls.filter(([c]) => c !== "api_keys")).toEqual([
    ["set_api_key", { engine: "cloud-tts", key: "sk-live-1", sessionOnly: true }],
    ["forget_api_key", { engine: "cloud-tts" }],
  ]);
});

it("says what the shell refused", async () => {
  mockIPC((cmd) => {
    if (cmd === "api_keys") return { keyring_unavailable: null, engines: [{ engine, source: "environment" }] };
    throw { code: "invalid_input", message: "that is not an API key", details: null };
  });
  render(ApiKeysPanel, {});
  expect(await screen.findByText("From the environment (OPENAI_API_KEY)")).toBeTruthy();
  await fireEvent.input(screen.getByLabelText("API key for cloud-tts"), { target: { value: "x\ny" } });
  await fireEvent.click(screen.getByRole("button", { name: "Keep the key" }));
  expect((await screen.findByRole("alert")).textContent).toContain("not an API key");
});

import { afterEach, expect, it, vi } from "vitest";
import { storedAudio } from "../src/lib/audio";

const sha = (c: string) => c.repeat(64);
const realAgent = navigator.userAgent;
const { createObjectURL, revokeObjectURL } = URL;

function agent(value: string) {
  Object.defineProperty(navigator, "userAgent", { value, configurable: true });
}

afterEach(() => {
  agent(realAgent);
  Object.assign(URL, { createObjectURL, revokeObjectURL });
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

it("plays a stored file from its address where the webview can", () => {
  agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/120");
  const fetch = vi.fn();
  vi.stubGlobal("fetch", fetch);
  const audio = document.createElement("audio");
  const action = storedAudio(audio, sha("a"));
  expect(audio.src).toBe(`http://classkit.localhost/${sha("a")}`);
  action.update(sha("b"));
  expect(audio.src).toBe(`http://classkit.localhost/${sha("b")}`);
  expect(fetch).not.toHaveBeenCalled();
});

it("on WebKitGTK reads the file and plays it from a blob: URL, released when it changes or goes", async () => {
  agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)");
  const fetch = vi.fn(async (url: string) => new Response(new Blob([url], { type: "audio/ogg" })));
  vi.stubGlobal("fetch", fetch);
  let made = 0;
  const create = vi.fn(() => `blob:tauri://localhost/${++made}`);
  const revoke = vi.fn();
  // jsdom has no blob: URLs; these stand in for the browser's (put back after each test).
  Object.assign(URL, { createObjectURL: create, revokeObjectURL: revoke });
  const audio = document.createElement("audio");
  const action = storedAudio(audio, sha("a"));
  await vi.waitFor(() => expect(audio.src).toBe("blob:tauri://localhost/1"));
  expect(fetch).toHaveBeenCalledWith(`classkit://localhost/${sha("a")}`);
  action.update(sha("a"));
  expect(fetch).toHaveBeenCalledTimes(1);
  action.update(sha("b"));
  await vi.waitFor(() => expect(audio.src).toBe("blob:tauri://localhost/2"));
  expect(revoke).toHaveBeenCalledWith("blob:tauri://localhost/1");
  action.destroy();
  expect(revoke).toHaveBeenCalledWith("blob:tauri://localhost/2");
});

it("on WebKitGTK a file that cannot be read leaves the element's own error, not silence", async () => {
  agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)");
  vi.stubGlobal("fetch", vi.fn(async () => new Response("no such file", { status: 404 })));
  const audio = document.createElement("audio");
  storedAudio(audio, sha("c"));
  await vi.waitFor(() => expect(audio.src).toBe(`classkit://localhost/${sha("c")}`));
});

import { afterEach, expect, it, vi } from "vitest";
import { Autosaver, flushAll, overallState, retryAll } from "../src/lib/autosave.svelte";

afterEach(() => {
  vi.useRealTimers();
});

it("saves once after a pause, with the newest value", async () => {
  vi.useFakeTimers();
  const saved: number[] = [];
  const saver = new Autosaver<number>(async (v) => {
    saved.push(v);
  }, 500);
  saver.schedule(1);
  saver.schedule(2);
  vi.advanceTimersByTime(400);
  saver.schedule(3);
  expect(saver.state).toBe("pending");
  vi.advanceTimersByTime(499);
  expect(saved).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  expect(saved).toEqual([3]);
  expect(saver.state).toBe("saved");
  await saver.close();
});

it("runs one save at a time and saves an edit made during a save afterwards", async () => {
  const order: string[] = [];
  let release: () => void = () => {};
  const saver = new Autosaver<string>((v) => {
    order.push(`start ${v}`);
    return new Promise<void>((resolve) => {
      release = () => {
        order.push(`end ${v}`);
        resolve();
      };
    });
  }, 0);
  saver.schedule("a");
  const first = saver.flush();
  await Promise.resolve();
  saver.schedule("b");
  const second = saver.flush();
  release();
  await vi.waitFor(() => expect(order).toContain("start b"));
  expect(saver.state).toBe("saving");
  release();
  // Both flushes return once everything scheduled before them is saved.
  await Promise.all([first, second]);
  expect(order).toEqual(["start a", "end a", "start b", "end b"]);
  expect(saver.state).toBe("saved");
  await saver.close();
});

it("keeps a value whose save failed, and saves it on retry", async () => {
  let fail = true;
  const saved: string[] = [];
  const saver = new Autosaver<string>(async (v) => {
    if (fail) throw new Error("disk full");
    saved.push(v);
  }, 10_000);
  saver.schedule("typed");
  await saver.flush();
  expect(saver.state).toBe("failed");
  expect(saver.error).toBe("disk full");
  fail = false;
  await saver.retry();
  expect(saved).toEqual(["typed"]);
  expect(saver.state).toBe("saved");
  await saver.close();
});

it("flushAll saves everything still waiting (the window is closing)", async () => {
  const saved: string[] = [];
  const a = new Autosaver<string>(async (v) => void saved.push(v), 60_000);
  const b = new Autosaver<string>(async (v) => void saved.push(v), 60_000);
  a.schedule("quiz edit");
  b.schedule("slide edit");
  await flushAll();
  expect(saved.sort()).toEqual(["quiz edit", "slide edit"]);
  await a.close();
  await b.close();
});

it("an editor closed after a failed save leaves it to be retried, not dropped", async () => {
  let fail = true;
  const saved: string[] = [];
  const saver = new Autosaver<string>(async (v) => {
    if (fail) throw new Error("database is busy");
    saved.push(v);
  }, 60_000);
  saver.schedule("typed before leaving");
  await saver.close();
  expect(saver.state).toBe("failed");
  expect(overallState()).toBe("failed");
  fail = false;
  await retryAll();
  expect(saved).toEqual(["typed before leaving"]);
  expect(overallState()).toBe("saved");
  await saver.close();
});

it("a value discarded during a save that then fails does not come back", async () => {
  let reject: (e: Error) => void = () => {};
  const saved: string[] = [];
  let first = true;
  const saver = new Autosaver<string>((v) => {
    if (first) {
      first = false;
      return new Promise<void>((_, r) => (reject = r));
    }
    saved.push(v);
    return Promise.resolve();
  }, 60_000);
  saver.schedule("the author's draft");
  const flushing = saver.flush();
  await Promise.resolve();
  saver.discard();
  reject(new Error("version conflict"));
  await flushing;
  await saver.flush();
  expect(saved).toEqual([]);
  await saver.close();
});

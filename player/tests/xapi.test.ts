// xAPI statements: what is sent to the LRS, and that none is lost when it does not answer.
// `fetch` is a test double here (vi.stubGlobal): the LRS's side is recorded, not run.
import { afterEach, describe, expect, it, vi } from "vitest";
import { COMPONENT_TYPE_EXTENSION, XapiClient, xapiConfig } from "../src/lib/xapi";

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

const course = { id: "c1", title: "Negotiation", language: "en" };

describe("which LRS", () => {
  it("the launch's address wins over the export's, and only web addresses count", () => {
    const exported = { endpoint: "https://lrs.example.org/xapi", auth: "Basic a" };
    expect(xapiConfig("", exported, localStorage)?.endpoint).toBe("https://lrs.example.org/xapi/");
    const launched = xapiConfig(
      "?endpoint=https%3A%2F%2Fother.example%2Fx%2F&auth=Basic%20b&actor=%7B%22mbox%22%3A%22mailto%3Aa%40b.c%22%7D&registration=r1",
      exported,
      localStorage,
    );
    expect(launched).toMatchObject({ endpoint: "https://other.example/x/", auth: "Basic b", actor: { mbox: "mailto:a@b.c" }, registration: "r1" });
    expect(xapiConfig("?endpoint=javascript:alert(1)", null, localStorage)).toBeNull();
    expect(xapiConfig("", null, localStorage)).toBeNull();
  });

  it("an anonymous learner is the same on every visit", () => {
    const a = xapiConfig("?actor=not-json", { endpoint: "https://l/", auth: "" }, localStorage);
    const b = xapiConfig("", { endpoint: "https://l/", auth: "" }, localStorage);
    expect(a?.actor).toEqual(b?.actor);
  });
});

describe("statements", () => {
  it("answered, completed and passed, with the type and the score", async () => {
    const sent: unknown[][] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      sent.push(JSON.parse(String(init.body)) as unknown[]);
      return new Response("[]", { status: 200 });
    });
    const client = new XapiClient(xapiConfig("", { endpoint: "https://lrs/", auth: "Basic x" }, localStorage)!, course, localStorage);
    client.answered("q-1", "QUIZ", "Prices", { score: 1, max_score: 2, items: [] });
    await client.flush();
    client.finished({ raw: 1, max: 2, scaled: 0.5 }, true);
    await client.flush();
    const all = sent.flat() as { verb: { id: string }; object: { definition?: { extensions?: Record<string, string> } }; result?: { score?: { scaled?: number }; success?: boolean } }[];
    expect(all.map((s) => s.verb.id.split("/").pop())).toEqual(["answered", "completed", "passed"]);
    expect(all[0]?.object.definition?.extensions?.[COMPONENT_TYPE_EXTENSION]).toBe("QUIZ");
    expect(all[0]?.result?.score?.scaled).toBe(0.5);
    expect(all[2]?.result?.success).toBe(true);
  });

  it("keeps what the LRS did not take, and sends it later", async () => {
    let up = false;
    const seen: number[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      seen.push((JSON.parse(String(init.body)) as unknown[]).length);
      if (!up) throw new TypeError("Failed to fetch");
      return new Response("[]", { status: 200 });
    });
    const client = new XapiClient(xapiConfig("", { endpoint: "https://lrs/", auth: "" }, localStorage)!, course, localStorage);
    client.answered("a", "CLOZE", "", { score: 0, max_score: 1, items: [] });
    await client.flush();
    client.answered("b", "CLOZE", "", { score: 1, max_score: 1, items: [] });
    await client.flush();
    up = true;
    await client.flush();
    expect(seen.at(-1)).toBe(2);
    await client.flush();
    expect(JSON.parse(localStorage.getItem("classkit-xapi-queue:c1") ?? "[]")).toEqual([]);
  });
});

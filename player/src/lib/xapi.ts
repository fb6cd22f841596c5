// xAPI statements to a learning record store (LRS): answered (each checked activity),
// completed, and passed or failed, with the component type and the score. The LRS is the
// one the launch address names (the xAPI launch convention: `endpoint`, `auth`, `actor`,
// `registration`), else the one set at export. Statements not yet accepted are kept in the
// browser and sent again later, so none is lost when the network is.
import type { ComponentType, Grade } from "@ui/generated/ipc";

export interface XapiConfig {
  endpoint: string;
  auth: string;
  actor: Record<string, unknown>;
  registration: string | null;
}

const VERBS = {
  answered: "http://adlnet.gov/expapi/verbs/answered",
  completed: "http://adlnet.gov/expapi/verbs/completed",
  passed: "http://adlnet.gov/expapi/verbs/passed",
  failed: "http://adlnet.gov/expapi/verbs/failed",
} as const;

/** The extension that carries a component's type (one of the eleven). */
export const COMPONENT_TYPE_EXTENSION = "https://w3id.org/classkit/xapi/component-type";

function uuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The LRS to use: the launch's, else the export's; none without an http(s) endpoint. */
export function xapiConfig(
  search: string,
  exported: { endpoint: string; auth: string } | null,
  storage: Storage | null,
): XapiConfig | null {
  const q = new URLSearchParams(search);
  const endpoint = q.get("endpoint") ?? exported?.endpoint ?? "";
  if (!/^https?:\/\//i.test(endpoint)) return null;
  let actor: Record<string, unknown> | null = null;
  try {
    const given = JSON.parse(q.get("actor") ?? "null") as unknown;
    if (given && typeof given === "object" && !Array.isArray(given)) actor = given as Record<string, unknown>;
  } catch {
    actor = null;
  }
  if (!actor) {
    // An anonymous learner of this browser, the same on every visit.
    const key = "classkit-xapi-learner";
    let name = storage?.getItem(key) ?? null;
    if (!name) {
      name = uuid();
      storage?.setItem(key, name);
    }
    actor = { objectType: "Agent", account: { homePage: location.origin.startsWith("http") ? location.origin : "urn:classkit:browser", name } };
  }
  return {
    endpoint: endpoint.endsWith("/") ? endpoint : `${endpoint}/`,
    auth: q.get("auth") ?? exported?.auth ?? "",
    actor,
    registration: q.get("registration"),
  };
}

export class XapiClient {
  readonly #config: XapiConfig;
  readonly #courseId: string;
  readonly #courseTitle: string;
  readonly #language: string;
  readonly #storage: Storage | null;
  readonly #queueKey: string;
  #sending: Promise<void> | null = null;
  #again = false;

  constructor(config: XapiConfig, course: { id: string; title: string; language: string | null }, storage: Storage | null) {
    this.#config = config;
    this.#courseId = `urn:classkit:course:${course.id}`;
    this.#courseTitle = course.title;
    this.#language = course.language || "en";
    this.#storage = storage;
    this.#queueKey = `classkit-xapi-queue:${course.id}`;
  }

  #queue(): unknown[] {
    try {
      const q = JSON.parse(this.#storage?.getItem(this.#queueKey) ?? "[]") as unknown;
      return Array.isArray(q) ? q : [];
    } catch {
      return [];
    }
  }

  #store(q: unknown[]): void {
    this.#storage?.setItem(this.#queueKey, JSON.stringify(q.slice(-500)));
  }

  #statement(verb: keyof typeof VERBS, object: Record<string, unknown>, result?: Record<string, unknown>) {
    return {
      id: uuid(),
      actor: this.#config.actor,
      verb: { id: VERBS[verb], display: { "en-US": verb } },
      object,
      ...(result ? { result } : {}),
      context: {
        ...(this.#config.registration ? { registration: this.#config.registration } : {}),
        contextActivities: {
          parent: [{ id: this.#courseId, objectType: "Activity" }],
        },
        language: this.#language,
      },
      timestamp: new Date().toISOString(),
    };
  }

  /** A checked activity. */
  answered(componentId: string, type: ComponentType, name: string, grade: Grade): void {
    const scaled = grade.max_score > 0 ? grade.score / grade.max_score : null;
    this.#add(
      this.#statement(
        "answered",
        {
          id: `${this.#courseId}:component:${componentId}`,
          objectType: "Activity",
          definition: {
            type: "http://adlnet.gov/expapi/activities/cmi.interaction",
            name: { [this.#language]: name || type },
            extensions: { [COMPONENT_TYPE_EXTENSION]: type },
          },
        },
        {
          score: {
            raw: grade.score,
            min: Math.min(0, grade.score),
            max: grade.max_score,
            ...(scaled !== null ? { scaled: Math.max(-1, Math.min(1, scaled)) } : {}),
          },
          success: grade.score >= grade.max_score,
          completion: true,
        },
      ),
    );
  }

  /** The course (or lesson) completed, and passed or failed when it has a score. */
  finished(score: { raw: number; max: number; scaled: number | null }, passed: boolean | null): void {
    const object = { id: this.#courseId, objectType: "Activity", definition: { name: { [this.#language]: this.#courseTitle } } };
    const result = {
      completion: true,
      ...(score.scaled !== null ? { score: { raw: score.raw, min: 0, max: score.max, scaled: score.scaled } } : {}),
    };
    this.#add(this.#statement("completed", object, result));
    if (passed !== null) this.#add(this.#statement(passed ? "passed" : "failed", object, { ...result, success: passed }));
  }

  #add(statement: unknown): void {
    this.#store([...this.#queue(), statement]);
    void this.flush();
  }

  /** Sends what is waiting; what the LRS does not accept stays for the next try. */
  async flush(): Promise<void> {
    if (this.#sending) {
      // Sent once the batch on its way is answered.
      this.#again = true;
      return this.#sending;
    }
    const waiting = this.#queue();
    if (waiting.length === 0) return;
    this.#again = false;
    this.#sending = this.#send(waiting);
    try {
      await this.#sending;
    } finally {
      this.#sending = null;
    }
    if (this.#again) await this.flush();
  }

  async #send(waiting: unknown[]): Promise<void> {
    try {
      const reply = await fetch(`${this.#config.endpoint}statements`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Experience-API-Version": "1.0.3",
          ...(this.#config.auth ? { Authorization: this.#config.auth } : {}),
        },
        body: JSON.stringify(waiting),
        keepalive: true,
      });
      // Accepted, or refused for good (a statement the LRS cannot take, or ids it has already):
      // sending again would not help. Otherwise (no rights yet, a server error) kept.
      if (reply.ok || reply.status === 400 || reply.status === 409) {
        const sent = new Set(waiting.map((s) => (s as { id: string }).id));
        this.#store(this.#queue().filter((s) => !sent.has((s as { id: string }).id)));
      }
    } catch {
      // Offline: kept for the next try.
      this.#again = false;
    }
  }
}

// The SCORM session against a real SCORM runtime (scorm-again, the library LMSs embed), in
// the page as an LMS puts it.
import { Scorm12API, Scorm2004API } from "scorm-again";
import { afterEach, describe, expect, it } from "vitest";
import { grade } from "../src/grading";
import { duration2004, findApi, interactions, LmsSession, timespan12 } from "../src/lib/lms";

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).API;
  delete (window as unknown as Record<string, unknown>).API_1484_11;
});

const quiz = {
  schema_version: 2,
  questions: [
    { id: "q1", kind: "single_choice", text: "Where does the Calvin cycle run?", points: 1,
      options: [{ id: "a", text: "Stroma", correct: true }, { id: "b", text: "Lumen" }] },
    { id: "q2", kind: "true_false", text: "Plants make oxygen.", points: 1, answer: true, options: [] },
    { id: "q3", kind: "short_answer", text: "Name the pigment.", points: 2, accepted_answers: ["chlorophyll"], options: [] },
  ],
};

describe("times as SCORM writes them", () => {
  it("SCORM 1.2 timespan and 2004 duration", () => {
    expect(timespan12(0)).toBe("0000:00:00.00");
    expect(timespan12(3_723_450)).toBe("0001:02:03.45");
    expect(duration2004(3_723_450)).toBe("PT1H2M3.45S");
    expect(duration2004(-5)).toBe("PT0H0M0S");
  });
});

describe("interactions", () => {
  it("one per answered item, in the form of its kind", () => {
    const response = { answers: { q1: "b", q3: "  {Chlorophyll\n" } };
    const g = grade("QUIZ", quiz, response);
    const list = interactions("c-1", "QUIZ", quiz, response, g);
    expect(list.map((i) => [i.id, i.type, i.response, i.result, i.weighting])).toEqual([
      ["c-1__questions_0", "choice", "b", "incorrect", 1],
      // What the learner typed, on one line and without a leading brace (read as a language).
      ["c-1__questions_2", "long-fill-in", "Chlorophyll", "incorrect", 2],
    ]);
    expect(list[0]?.description).toBe("Where does the Calvin cycle run?");
  });
});

describe("a SCORM 1.2 session", () => {
  it("reaches the LMS: status, score, interactions, suspend data, session time", () => {
    const api = new Scorm12API({ logLevel: 5, autocommit: false });
    (window as unknown as Record<string, unknown>).API = api;
    const found = findApi("scorm12");
    expect(found?.kind).toBe("scorm12");
    const session = new LmsSession(found!);
    expect(session.start()).toEqual({ suspend: null, mastery: null });
    const response = { answers: { q1: "a", q2: false } };
    const g = grade("QUIZ", quiz, response);
    session.record(interactions("c-1", "QUIZ", quiz, response, g));
    session.report({ score: 1, max: 4, scaled: 0.25, complete: true, passed: false, progress: 1, location: 2, suspend: '{"v":1}', allTried: true });
    session.finish(true);
    const cmi = api.getFlattenedCMI() as Record<string, string>;
    expect(cmi["cmi.core.lesson_status"]).toBe("failed");
    expect(cmi["cmi.core.score.raw"]).toBe("25");
    expect(cmi["cmi.core.score.max"]).toBe("100");
    expect(cmi["cmi.interactions.0.type"]).toBe("choice");
    expect(cmi["cmi.interactions.1.type"]).toBe("true-false");
    expect(cmi["cmi.interactions.1.student_response"]).toBe("f");
    expect(cmi["cmi.interactions.1.result"]).toBe("wrong");
    expect(cmi["cmi.suspend_data"]).toBe('{"v":1}');
    expect(cmi["cmi.core.exit"]).toBe("");
    expect(session.lastError).toBeNull();
  });
});

describe("a SCORM 2004 session", () => {
  it("reports scaled score, completion and success, and resumes", () => {
    const api = new Scorm2004API({ logLevel: 5, autocommit: false });
    api.loadFromFlattenedJSON({ "cmi.suspend_data": '{"v":1,"at":3}', "cmi.scaled_passing_score": "0.6" }, "");
    (window as unknown as Record<string, unknown>).API_1484_11 = api;
    const session = new LmsSession(findApi("scorm2004")!);
    expect(session.start()).toEqual({ suspend: '{"v":1,"at":3}', mastery: 0.6 });
    session.report({ score: 3, max: 4, scaled: 0.75, complete: false, passed: null, progress: 0.5, location: 3, suspend: "{}", allTried: true });
    let cmi = api.getFlattenedCMI() as Record<string, string>;
    expect(cmi["cmi.completion_status"]).toBe("incomplete");
    expect(cmi["cmi.success_status"]).toBe("unknown");
    expect(cmi["cmi.score.scaled"]).toBe("0.75");
    session.finish(false);
    cmi = api.getFlattenedCMI() as Record<string, string>;
    expect(cmi["cmi.exit"]).toBe("suspend");
    expect(cmi["cmi.session_time"]).toMatch(/^PT0H0M[\d.]+S$/);
  });
});

it("a web player finds no LMS, and an LMS's missing API is no error", () => {
  expect(findApi("web")).toBeNull();
  expect(findApi("scorm2004")).toBeNull();
});

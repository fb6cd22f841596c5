// The learner's player: reads the course course.js set, and plays it.
import { mount } from "svelte";
import App from "./App.svelte";
import { loadCourse } from "./lib/course";
import { setLocale, startLocale } from "./lib/i18n";
import Problem from "./Problem.svelte";

const target = document.getElementById("app");
if (target) {
  const loaded = loadCourse((window as unknown as { CLASSKIT_COURSE?: unknown }).CLASSKIT_COURSE);
  const course = typeof loaded === "string" ? null : loaded;
  setLocale(startLocale(navigator.languages ?? [navigator.language], course?.language ?? null));
  if (typeof loaded === "string") mount(Problem, { target, props: { problem: loaded } });
  else mount(App, { target, props: { course: loaded } });
}

// English UI text. Every other language must have every key (see ko.ts).
import { fieldsEn } from "./fields";
import { previewEn } from "./preview";
import { regionsEn } from "./regions";
import { teamEn } from "./team";
import { undoEn } from "./undo";
import { designEn } from "./design";
import { layoutEn } from "./layout";
import { studioEn } from "./studio";

export const en = {
  ...fieldsEn,
  ...previewEn,
  ...regionsEn,
  ...studioEn,
  ...undoEn,
  ...designEn,
  ...layoutEn,
  ...teamEn,
  "app.title": "ClassKit Studio",
  "app.language": "Language",
  "library.heading": "Library",
  "library.loading": "Loading the library…",
  "library.open": "Open {title}",
  "import.heading": "Import a lecture",
  "import.path": "Lecture file (Markdown or plain text)",
  "import.title": "Course title (optional)",
  "import.submit": "Import",
  "import.busy": "Importing…",
  "import.pathRequired": "Choose the lecture file to import.",
  "import.done": "Imported “{title}”: {lessons} lessons, {slides} slides.",
  "course.back": "Back to the library",
  "course.loading": "Loading the course…",
  "course.lesson": "Lesson {n}: {title}",
  "course.components": "{count} components",
  "error.generic": "Something went wrong: {message}",
} as const;

export type MessageKey = keyof typeof en;

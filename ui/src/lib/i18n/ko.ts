import type { MessageKey } from "./en";
import { fieldsKo } from "./fields";
import { previewKo } from "./preview";
import { regionsKo } from "./regions";
import { teamKo } from "./team";
import { undoKo } from "./undo";
import { designKo } from "./design";
import { layoutKo } from "./layout";
import { studioKo } from "./studio";

// Korean UI text: the type makes a missing key a compile error.
export const ko: Record<MessageKey, string> = {
  ...fieldsKo,
  ...previewKo,
  ...regionsKo,
  ...studioKo,
  ...undoKo,
  ...designKo,
  ...layoutKo,
  ...teamKo,
  "app.title": "ClassKit Studio",
  "app.language": "언어",
  "library.heading": "라이브러리",
  "library.loading": "라이브러리를 불러오는 중…",
  "library.open": "{title} 열기",
  "import.heading": "강의 가져오기",
  "import.path": "강의 파일 (Markdown 또는 일반 텍스트)",
  "import.title": "과정 제목 (선택)",
  "import.submit": "가져오기",
  "import.busy": "가져오는 중…",
  "import.pathRequired": "가져올 강의 파일을 선택하세요.",
  "import.done": "“{title}”을(를) 가져왔습니다: 레슨 {lessons}개, 슬라이드 {slides}개.",
  "course.back": "라이브러리로 돌아가기",
  "course.loading": "과정을 불러오는 중…",
  "course.lesson": "레슨 {n}: {title}",
  "course.components": "구성 요소 {count}개",
  "error.generic": "문제가 생겼습니다: {message}",
};

// The player's own words in English and Korean (the learner components' words are the app's,
// in ui/src/lib/i18n/preview.ts). The language follows the app's i18n state.
import { currentLocale, type Locale, setLocale } from "@ui/i18n/index.svelte";

const en = {
  "player.missing": "This lesson could not be loaded: course.js is missing or damaged. Unzip the whole package and open index.html again.",
  "player.newer": "This lesson was made by a newer version of ClassKit Studio than this player. Export it again.",
  "player.contents": "Contents",
  "player.lesson": "Lesson {n}",
  "player.slideOf": "Slide {n} of {total}",
  "player.previous": "Previous",
  "player.next": "Next",
  "player.finish": "See my results",
  "player.results": "Your results",
  "player.score": "Score: {percent} %",
  "player.noScore": "This lesson has no scored activities.",
  "player.passed": "Passed: you reached the {mastery} % needed.",
  "player.failed": "Not passed yet: {mastery} % is needed. Go back to the activities and try again.",
  "player.notDone": "{count} activities not tried yet.",
  "player.visited": "Seen",
  "player.activity": "Activity {n}",
  "player.narration": "Narration",
  "player.language": "Language",
  "player.progress": "{done} of {total} slides seen",
  "player.restart": "Start again",
  "player.restartConfirm": "Forget your answers and start this lesson again?",
  "player.broken": "This activity could not be shown. Start it again.",
  "player.startAgain": "Start this activity again",
  "player.lms.lost": "Your learning platform did not accept your progress. Keep this page open: it is sent again with your next step.",
  "player.lms.closed": "Your learning platform's connection is not open: this time your progress is not recorded there. Open the lesson from the platform again.",
  "player.skip": "Skip to the lesson",
  "player.practice.missing": "This sentence's reference audio could not be prepared for scoring: listen to it and repeat it aloud.",
} as const;

export type PlayerKey = keyof typeof en;

const ko: Record<PlayerKey, string> = {
  "player.missing": "이 학습을 불러올 수 없습니다. course.js가 없거나 손상되었습니다. 패키지 전체의 압축을 풀고 index.html을 다시 여세요.",
  "player.newer": "이 학습은 이 플레이어보다 새로운 ClassKit Studio 버전으로 만들어졌습니다. 다시 내보내세요.",
  "player.contents": "목차",
  "player.lesson": "{n}과",
  "player.slideOf": "슬라이드 {n} / {total}",
  "player.previous": "이전",
  "player.next": "다음",
  "player.finish": "결과 보기",
  "player.results": "학습 결과",
  "player.score": "점수: {percent}%",
  "player.noScore": "이 학습에는 점수가 매겨지는 활동이 없습니다.",
  "player.passed": "통과: 필요한 {mastery}%에 도달했습니다.",
  "player.failed": "아직 통과하지 못했습니다. {mastery}%가 필요합니다. 활동으로 돌아가 다시 해 보세요.",
  "player.notDone": "아직 하지 않은 활동이 {count}개 있습니다.",
  "player.visited": "봄",
  "player.activity": "활동 {n}",
  "player.narration": "내레이션",
  "player.language": "언어",
  "player.progress": "슬라이드 {total}개 중 {done}개를 봄",
  "player.restart": "처음부터 다시",
  "player.restartConfirm": "답을 모두 지우고 이 학습을 처음부터 다시 시작할까요?",
  "player.broken": "이 활동을 표시할 수 없습니다. 다시 시작하세요.",
  "player.startAgain": "이 활동 다시 시작",
  "player.lms.lost": "학습 플랫폼이 진도를 받지 않았습니다. 이 페이지를 닫지 마세요. 다음 단계에서 다시 보냅니다.",
  "player.lms.closed": "학습 플랫폼과 연결되어 있지 않아 이번 진도는 기록되지 않습니다. 플랫폼에서 학습을 다시 여세요.",
  "player.skip": "학습으로 건너뛰기",
  "player.practice.missing": "이 문장의 기준 음성은 채점에 쓸 수 없습니다. 듣고 소리 내어 따라 말하세요.",
};

const catalogs: Record<Locale, Record<PlayerKey, string>> = { en, ko };

/** The player's text for `key` in the current language. */
export function pt(key: PlayerKey, params: Record<string, string | number> = {}): string {
  return catalogs[currentLocale()][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The language to start in: the learner's browser's first of ours, else the course's, else English. */
export function startLocale(preferred: readonly string[], courseLanguage: string | null): Locale {
  for (const tag of [...preferred, courseLanguage ?? ""]) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "ko" || base === "en") return base;
  }
  return "en";
}

export { currentLocale, setLocale };

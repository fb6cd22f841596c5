// What a save did (a revision's `change`, crates/model/src/change.rs), in the instructor's
// language, for the history panel. The types make a kind missing in a language a compile error.
import type { ChangeKind, Revision } from "../generated/ipc";
import type { Locale } from "./index.svelte";

/** The kinds in English, as libraries store them in their history. */
export const changesEn: Record<ChangeKind, string> = {
  created: "created",
  updated: "updated",
  moved: "moved",
  marked_ready: "marked ready",
  marked_draft: "marked as a draft",
  deleted: "deleted",
  drafted: "drafted",
  drafted_again: "drafted again",
  reference_audio_recorded: "reference audio recorded",
  imported: "imported",
  imported_from_bundle: "imported from a bundle",
  outlined: "outlined",
  restored: "restored",
  synced: "synced from the team",
};

export const changesKo: Record<ChangeKind, string> = {
  created: "생성됨",
  updated: "수정됨",
  moved: "이동됨",
  marked_ready: "준비됨으로 표시됨",
  marked_draft: "초안으로 표시됨",
  deleted: "삭제됨",
  drafted: "초안 생성됨",
  drafted_again: "초안 다시 생성됨",
  reference_audio_recorded: "참고 음성 녹음됨",
  imported: "강의 파일에서 가져옴",
  imported_from_bundle: "과정 번들에서 가져옴",
  outlined: "강의 개요로 생성됨",
  restored: "복원됨",
  synced: "팀에서 동기화됨",
};

const catalogs: Record<Locale, { kinds: Record<ChangeKind, string>; restoredFrom: string }> = {
  en: { kinds: changesEn, restoredFrom: "restored from version {version}" },
  ko: { kinds: changesKo, restoredFrom: "버전 {version}에서 복원됨" },
};

/** What a revision's save did, in `locale`; a restore names the version it brought back. */
export function changeText(revision: Pick<Revision, "change" | "restored_from">, locale: Locale): string {
  const { kinds, restoredFrom } = catalogs[locale];
  const from = revision.restored_from;
  if (revision.change === "restored" && from !== null && from !== undefined) {
    return restoredFrom.replace("{version}", String(from));
  }
  // A kind from a newer app than this UI is shown as it came.
  return (kinds[revision.change] as string | undefined) ?? revision.change;
}

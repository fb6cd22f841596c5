// Undo and redo: the buttons, and what an undone edit was, in the instructor's language.
// `{target}` is the slide or the component's type.
export const undoEn = {
  "undo.undo": "Undo",
  "undo.redo": "Redo",
  "undo.undoWhat": "Undo {what}",
  "undo.redoWhat": "Redo {what}",
  "undo.nothingToUndo": "Nothing to undo",
  "undo.nothingToRedo": "Nothing to redo",
  "undo.undone": "Undone: {what}.",
  "undo.redone": "Redone: {what}.",
  "undo.changedSince":
    "Could not undo {what}: it was changed since, elsewhere (by assembly, the command line or a teammate). Its History has every version.",
  "undo.target.slide": "the slide",
  "undo.target.component": "the {type}",
  "undo.what.updated": "editing {target}",
  "undo.what.marked_ready": "marking {target} ready",
  "undo.what.marked_draft": "marking {target} as a draft",
  "undo.what.restored": "restoring {target}",
  "undo.what.created": "adding {target}",
  "undo.what.deleted": "deleting {target}",
  "undo.what.moved": "moving {target}",
  "undo.what.other": "the change to {target}",
} as const;

export const undoKo: Record<keyof typeof undoEn, string> = {
  "undo.undo": "실행 취소",
  "undo.redo": "다시 실행",
  "undo.undoWhat": "{what} 실행 취소",
  "undo.redoWhat": "{what} 다시 실행",
  "undo.nothingToUndo": "실행 취소할 작업이 없습니다",
  "undo.nothingToRedo": "다시 실행할 작업이 없습니다",
  "undo.undone": "실행 취소함: {what}.",
  "undo.redone": "다시 실행함: {what}.",
  "undo.changedSince":
    "{what}은(는) 실행 취소할 수 없습니다. 그 뒤에 다른 곳(자동 구성, 명령줄, 팀원)에서 변경되었습니다. 모든 버전은 기록에 있습니다.",
  "undo.target.slide": "슬라이드",
  "undo.target.component": "{type}",
  "undo.what.updated": "{target} 편집",
  "undo.what.marked_ready": "{target} 준비됨 표시",
  "undo.what.marked_draft": "{target} 초안 표시",
  "undo.what.restored": "{target} 복원",
  "undo.what.created": "{target} 추가",
  "undo.what.deleted": "{target} 삭제",
  "undo.what.moved": "{target} 이동",
  "undo.what.other": "{target} 변경",
};

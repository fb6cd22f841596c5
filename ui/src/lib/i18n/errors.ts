// A command's error in the instructor's language. English is the app's own `message`; Korean
// has a sentence per error code (the Rust `ErrorCode` of crates/model/src/error_code.rs), typed
// so that a code on one side only fails to compile. The English message still follows the
// Korean sentence in parentheses: it carries the specifics (a path, a number, an id).
import { CommandError } from "../api";
import type { ErrorCode } from "../generated/ipc";
import type { Locale } from "./index.svelte";

export const errorsKo: Record<ErrorCode, string> = {
  // Input the person can fix.
  invalid_input: "입력한 내용을 받아들일 수 없습니다. 너무 길거나 비어 있지 않은지 확인하세요.",
  invalid_arguments: "명령의 인수를 해석할 수 없거나 함께 쓸 수 없는 옵션입니다.",
  invalid_json: "올바른 JSON 형식이 아닙니다.",
  validation_failed: "규칙에 맞지 않는 내용이 있습니다. 표시된 문제를 고치세요.",
  unknown_component_type: "없는 학습 구성 요소 유형입니다.",
  import_empty: "강의 파일에 텍스트가 없습니다.",
  import_too_large: "강의 파일이 크기 제한을 넘습니다.",
  import_binary: "강의 파일이 텍스트가 아닙니다. Markdown 또는 일반 텍스트 파일을 선택하세요.",
  import_not_utf8: "강의 파일이 UTF-8 인코딩이 아닙니다. UTF-8로 저장한 뒤 다시 가져오세요.",
  import_nul_character: "강의 파일에 NUL 문자(U+0000)가 들어 있습니다. 지운 뒤 다시 가져오세요.",
  input_too_large: "입력이 크기 제한을 넘습니다.",
  not_a_file: "선택한 경로는 일반 파일이 아닙니다 (폴더나 장치입니다). 파일을 선택하세요.",
  bundle_invalid: "ClassKit Studio 과정 번들로 읽을 수 없는 파일입니다.",
  invalid_profile: "비용 시뮬레이션 프로필을 쓸 수 없습니다.",
  invalid_budget: "예산은 0보다 큰 금액이어야 합니다.",
  invalid_engines_config: "라이브러리의 engines.toml을 쓸 수 없습니다.",

  // What is asked for is not there, or not in the state it must be in.
  not_found: "찾는 항목(과정, 슬라이드, 구성 요소, 버전, 작업, 엔진 또는 파일)이 없습니다.",
  course_exists: "이 과정은 이미 라이브러리에 있습니다. 새 사본으로 가져오거나 기존 과정을 먼저 삭제하세요.",
  id_taken: "새 항목에 지정한 ID를 이미 쓰고 있습니다.",
  version_conflict: "불러온 뒤 다른 곳에서 저장되었습니다. 다시 불러온 뒤 변경 사항을 다시 적용하세요.",
  not_graded: "채점할 수 없는 구성 요소입니다 (채점하지 않는 유형이거나 아직 준비되지 않았습니다).",
  grading_failed: "응답을 채점하지 못했습니다. 응답이 구성 요소와 맞지 않습니다.",
  wrong_state: "작업이 지금 상태에서는 그렇게 할 수 없습니다 (예: 실행 중인 작업은 다시 시도할 수 없습니다).",
  invalid_job: "대기열에 넣을 수 없는 작업입니다.",
  lease_lost: "이 작업자가 작업을 맡을 수 있는 시간이 지나, 다른 작업자가 작업을 넘겨받았습니다.",
  not_servable: "저장된 파일이 그림이나 소리가 아니어서 표시하지 않습니다.",
  asset_too_large: "파일이 크기 제한을 넘어 저장할 수 없습니다.",
  asset_missing: "구성 요소가 쓰는 파일이 라이브러리에 없습니다.",
  budget_exceeded: "예산을 넘게 되어 아무것도 대기열에 넣지 않았습니다.",

  // The machine, the library or a service.
  library_not_found: "지정한 폴더에 라이브러리가 없습니다.",
  library_unavailable: "라이브러리를 열 수 없습니다 (잠겨 있거나 읽을 수 없습니다).",
  library_too_new: "더 새로운 ClassKit Studio에서 작성된 라이브러리입니다. ClassKit Studio를 업데이트하세요.",
  library_damaged: "라이브러리의 데이터베이스가 손상되었습니다.",
  database_error: "라이브러리의 데이터베이스에서 오류가 생겼습니다.",
  queue_database_error: "작업 대기열의 데이터베이스에서 오류가 생겼습니다.",
  queue_damaged: "작업 대기열에 읽을 수 없는 기록이 있습니다.",
  redis_error: "Redis에 연결할 수 없거나 Redis에서 오류가 생겼습니다.",
  io_error: "파일을 읽거나 쓰지 못했습니다.",
  disk_full: "디스크가 가득 찼습니다. 공간을 확보한 뒤 다시 시도하세요. 지금까지 저장한 내용은 그대로 있습니다.",
  work_stalled: "작업자가 작업 대기열을 쓸 수 없게 되어 조립이 멈췄습니다. 지금까지 만든 것은 그대로 있습니다.",
  workers_unavailable: "대기열의 작업을 처리하는 작업자가 없습니다.",
  engine_unavailable: "엔진을 쓸 수 없습니다 (설치나 설정이 되지 않았거나 API 키가 없습니다).",
  keyring_unavailable: "시스템 키링을 쓸 수 없습니다.",
  settings_error: "설정을 읽거나 저장할 수 없습니다.",
  chart_failed: "차트를 그릴 수 없습니다.",
  unsupported: "이 컴퓨터나 이 버전의 앱에서는 할 수 없는 작업입니다.",
  ipc_failed: "데스크톱 앱에 요청을 전달하지 못했습니다.",

  // The team server and the way to it.
  unauthorized: "팀 서버가 이 토큰을 모릅니다. 관리자에게 받은 토큰을 다시 확인하세요.",
  token_revoked: "팀 관리자가 이 토큰을 폐기했습니다. 관리자에게 새 토큰을 받으세요.",
  forbidden: "이 과정에서 맡은 역할로는 할 수 없는 일입니다.",
  asset_hash_mismatch: "올린 파일의 내용이 보낸 해시(sha256)와 맞지 않습니다.",
  schema_version_unsupported: "이 프로그램이 모르는 더 새로운 형식으로 작성된 내용입니다. 앱을 업데이트하세요.",
  server_unreachable: "팀 서버에 연결할 수 없습니다. 주소와 네트워크를 확인하세요. 작업은 계속할 수 있고, 변경 사항은 연결되면 동기화됩니다.",
  tls_failed: "팀 서버와 보안 연결(TLS)을 맺지 못했습니다. 인증서나 주소(https)를 확인하세요.",
  server_error: "팀 서버가 오류로 응답했거나 팀 서버의 API가 아닌 응답을 보냈습니다. 주소를 확인하세요.",
  no_remote: "이 라이브러리에는 팀 서버가 설정되어 있지 않습니다.",
  internal: "예기치 않은 문제가 생겼습니다.",
};

/** Every language but English (which is the app's own message): a sentence per code. */
const catalogs: Record<Exclude<Locale, "en">, Record<ErrorCode, string>> = { ko: errorsKo };

/**
 * What went wrong, in `locale`: for a command's error, the sentence for its code followed by
 * the app's message in parentheses (English: the app's message alone); for another error its
 * message, and for anything else its text. A code this UI does not know (an app newer than
 * the UI) is said by the app's message.
 */
export function errorText(e: unknown, locale: Locale): string {
  if (!(e instanceof CommandError)) return e instanceof Error ? e.message : String(e);
  if (locale === "en") return e.message;
  const sentence: string | undefined = catalogs[locale][e.code];
  if (sentence === undefined) return e.message;
  return e.message.trim() === "" ? sentence : `${sentence} (${e.message})`;
}

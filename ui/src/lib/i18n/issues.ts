// Validation issues in the instructor's language. English is the model's own `message`; Korean
// has a sentence per issue code (the Rust `Problem` table in crates/model/src/validation/
// problem.rs), typed so that a code without a Korean sentence fails to compile. `{name}` takes
// the issue's `params.name`: item names, matching modes and component types are said in
// Korean, numbers and the instructor's own text as they are.
import type {
  IssueCode,
  IssueParams,
  ItemName,
  MatchingMode,
  ValidationIssue,
} from "../generated/ipc";
import { fieldsKo } from "./fields";
import type { Locale } from "./index.svelte";
import { studioKo } from "./studio";

const itemNamesKo: Record<ItemName, string> = {
  question: "문항",
  option: "보기",
  card: "카드",
  sentence: "문장",
  item: "항목",
  blank: "빈칸",
  pair: "짝",
  distractor: "오답 보기",
  category: "범주",
  step: "단계",
  region: "영역",
  node: "노드",
  choice: "선택지",
  criterion: "평가 기준",
  turn: "대화 차례",
};

/** A matching mode by the name the mode picker shows. */
const mode = (m: MatchingMode): string => fieldsKo[`enum.${m}`];

/** "`list` belong to `belongsTo` mode, but this activity is in {mode} mode; …" (`list` with its particle). */
const wrongMode = (list: string, belongsTo: MatchingMode): string =>
  `${list} ‘${mode(belongsTo)}’ 방식에서 쓰는데 이 활동은 ‘{mode}’ 방식입니다. 지우거나 방식을 바꾸세요.`;

export const issuesKo: Record<IssueCode, string> = {
  // Any text, id, file or language.
  text_too_long: "이 텍스트는 {count}자입니다. 최대 {max}자까지 쓸 수 있습니다.",
  id_missing: "{item}마다 ID가 필요합니다.",
  id_not_plain: "ID “{id}”에는 영문자 a-z와 A-Z, 숫자, “-”, “_”만 최대 {max}자까지 쓸 수 있습니다.",
  id_taken: "ID “{id}”은(는) 이미 {first}번 {item}에서 쓰고 있습니다.",
  text_repeated: "“{text}”은(는) 이미 {first}번 {item}에 있습니다.",
  asset_not_stored:
    "“{asset}”은(는) 저장된 파일이 아닙니다. 파일을 다시 선택하세요 (파일 참조는 파일의 64자리 sha256 값입니다).",
  language_tag_spelling: "언어 태그는 “{suggestion}”(으)로 쓰세요.",
  not_a_language_tag: "“{tag}”은(는) 언어 태그가 아닙니다. “en”, “en-GB”, “ko” 같은 태그를 쓰세요.",
  language_missing: "말하는 언어를 en-US 같은 태그로 정하세요.",
  source_quote_missing: "출처 문장이 없습니다.",
  source_range_mismatch: "출처 범위 {start}..{end}이(가) 인용한 문장({bytes}바이트)과 맞지 않습니다.",
  nul_character: "이 텍스트에는 저장할 수 없는 NUL 문자(U+0000)가 들어 있습니다. 지우세요.",
  nul_in_field_name: "이 필드 이름에 NUL 문자가 들어 있습니다.",
  course_needs_title: "과정에는 제목이 필요합니다.",
  image_alt_missing: "이미지를 볼 수 없는 학습자를 위해 이미지를 설명하세요.",
  accepted_answer_empty: "인정되는 답은 비워 둘 수 없습니다.",

  // Reading a payload.
  payload_not_an_object: "구성 요소 데이터는 JSON 객체여야 합니다.",
  schema_version_invalid: "스키마 버전은 1 이상의 정수여야 합니다.",
  schema_version_too_new:
    "이 데이터는 더 새로운 ClassKit Studio에서 작성되었습니다 (스키마 버전 {version}). 이 버전은 {component_type} 데이터를 버전 {supported}까지 읽을 수 있습니다.",
  schema_version_unknown: "{component_type} 데이터에는 스키마 버전 {version}이(가) 없습니다.",
  unknown_field: "{field}은(는) 여기에 쓸 수 없는 필드입니다 ({detail}).",
  missing_field: "필수 필드 {field}이(가) 없습니다.",
  wrong_form: "이 필드의 형식이 맞지 않습니다: {detail}",

  // REVIEW.
  review_needs_card: "복습에는 카드가 하나 이상 필요합니다.",
  card_needs_heading: "카드에는 제목이 필요합니다.",
  card_needs_key_point: "카드에는 요점이 하나 이상 필요합니다.",
  key_point_empty: "요점은 비워 둘 수 없습니다.",

  // QUIZ.
  quiz_needs_question: "퀴즈에는 문항이 하나 이상 필요합니다.",
  question_needs_text: "문항에는 본문이 필요합니다.",
  question_points_not_positive: "문항의 배점은 0점보다 커야 합니다.",
  options_only_for_choice: "보기는 선택형 문항에만 있습니다. 보기를 지우거나 문항 종류를 바꾸세요.",
  true_false_needs_answer: "진술이 참인지 거짓인지 고르세요.",
  answer_only_for_true_false:
    "참/거짓 답은 참/거짓 문항에만 있습니다. 답을 지우거나 문항 종류를 바꾸세요.",
  short_answer_needs_answer: "단답형 문항에는 인정되는 답이 하나 이상 필요합니다.",
  accepted_answers_only_for_short_answer:
    "인정되는 답은 단답형 문항에만 있습니다. 답을 지우거나 문항 종류를 바꾸세요.",
  question_needs_two_options: "문항에는 보기가 두 개 이상 필요합니다.",
  single_choice_none_correct: "단일 선택 문항에는 정답 보기가 정확히 하나 필요한데, 정답으로 표시된 보기가 없습니다.",
  single_choice_many_correct:
    "단일 선택 문항에는 정답 보기가 정확히 하나 필요한데, {count}개가 정답으로 표시되어 있습니다 (정답이 여러 개라면 복수 선택으로 바꾸세요).",
  multiple_choice_none_correct: "복수 선택 문항에는 정답 보기가 하나 이상 필요합니다.",
  option_needs_text: "보기에는 내용이 필요합니다.",
  option_text_repeated: "이 보기는 {first}번 보기와 내용이 같습니다.",

  // ROLEPLAY.
  scenario_missing: "상황을 설명하세요.",
  persona_name_missing: "페르소나에는 이름이 필요합니다.",
  learner_goal_missing: "학습자가 이뤄야 할 목표를 적으세요.",
  rubric_needs_criterion: "루브릭에는 평가 기준이 하나 이상 필요합니다.",
  script_needs_turns: "대본 역할극에는 대화 차례를 모두 적어야 합니다.",
  script_needs_learner_turn: "대본 역할극에는 학습자 차례가 하나 이상 필요합니다.",
  turn_needs_text: "대화 차례에는 내용이 필요합니다.",
  expected_phrases_only_for_learner:
    "기대 표현은 학습자 차례에만 있습니다. 지우거나 이 차례를 학습자 차례로 바꾸세요.",
  hints_only_for_learner: "힌트는 학습자 차례에만 있습니다. 지우거나 이 차례를 학습자 차례로 바꾸세요.",
  expected_phrase_empty: "기대 표현은 비워 둘 수 없습니다.",
  hint_empty: "힌트는 비워 둘 수 없습니다.",
  criterion_needs_description: "평가 기준에는 설명이 필요합니다.",
  criterion_weight_not_positive: "평가 기준의 가중치는 0보다 커야 합니다.",
  criterion_needs_level: "평가 기준에는 수준이 하나 이상 필요합니다.",
  best_level_not_positive: "가장 높은 수준의 점수는 0보다 커야 합니다.",
  level_score_negative: "수준의 점수는 0 이상이어야 합니다.",
  level_score_repeated: "{first}번 수준과 점수가 같습니다. 수준마다 점수가 달라야 합니다.",
  level_needs_descriptor: "수준에는 설명이 필요합니다.",

  // SHADOWING.
  playback_rate_out_of_range:
    "{rate}은(는) 플레이어에서 고를 수 있는 재생 속도가 아닙니다. 0.5에서 2 사이로 고르세요 (1이 보통 속도입니다).",
  playback_rate_repeated: "속도 {rate}은(는) 이미 있습니다.",
  repetitions_out_of_range: "문장마다 반복 횟수는 1에서 {max} 사이로 정하세요.",
  shadowing_needs_sentence: "따라 말할 문장을 하나 이상 추가하세요.",
  shadowing_sentence_missing: "학습자가 따라 말할 문장을 적으세요.",

  // PRONUNCIATION.
  pronunciation_needs_item: "연습할 단어나 표현을 하나 이상 추가하세요.",
  pronunciation_target_missing: "학습자가 말할 단어나 표현을 적으세요.",
  ipa_digit:
    "IPA에는 “{symbol}” 같은 숫자를 쓰지 않습니다. 강세는 ˈ와 ˌ로, 성조는 ˥ ˧ ˩ 같은 성조 문자로 쓰세요.",
  ipa_apostrophe: "강세는 아포스트로피 대신 ˈ(제1강세)나 ˌ(제2강세)로 쓰세요.",
  ipa_colon: "긴소리는 콜론 대신 ː로 쓰세요.",
  ipa_unknown_symbol: "“{symbol}”은(는) IPA 기호가 아닙니다.",

  // FLASHCARDS.
  deck_needs_card: "카드 묶음에는 카드가 하나 이상 필요합니다.",
  card_needs_term: "카드에는 용어가 필요합니다.",
  term_repeated: "{first}번 카드에 이미 이 용어가 있습니다.",
  card_needs_definition: "카드에는 정의가 필요합니다.",

  // CLOZE.
  cloze_needs_blank: "본문에 빈칸이 하나 이상 있어야 합니다. 빈칸의 ID를 넣어 [[id]]처럼 쓰세요.",
  marker_not_plain:
    "[[{marker}]]은(는) 빈칸 표시가 아닙니다. 빈칸의 ID(영문자, 숫자, -, _)를 넣어 [[id]]처럼 쓰세요.",
  marker_without_blank: "[[{marker}]]에 맞는, ID가 “{marker}”인 빈칸이 없습니다.",
  marker_repeated: "[[{marker}]]이(가) {count}번 나옵니다. 빈칸은 한 번씩만 써야 합니다.",
  blank_not_in_text: "빈칸 “{id}”이(가) 본문에 없습니다. 들어갈 자리에 [[{id}]]를 쓰세요.",
  blank_needs_answer: "빈칸에는 인정되는 답이 하나 이상 필요합니다.",
  distractor_empty: "오답 보기는 비워 둘 수 없습니다.",
  distractor_is_answer: "이 오답 보기는 빈칸의 인정되는 답이기도 합니다.",

  // MATCHING.
  matching_needs_two_pairs: "짝 맞추기에는 짝이 두 개 이상 필요합니다.",
  pair_left_missing: "왼쪽 항목을 적으세요.",
  pair_right_missing: "왼쪽 항목과 짝이 되는 오른쪽 항목을 적으세요.",
  distractor_text_missing: "오답 보기의 내용을 적거나 오답 보기를 지우세요.",
  sorting_needs_two_categories: "범주로 분류하기에는 범주가 두 개 이상 필요합니다.",
  category_name_missing: "범주 이름을 적으세요.",
  sort_item_text_missing: "항목의 내용을 적으세요.",
  item_category_missing: "이 항목이 속한 범주를 고르세요.",
  no_such_category: "“{id}” 범주가 없습니다.",
  category_empty: "이 범주에 속한 항목이 없습니다. 범주마다 항목이 하나 이상 필요합니다.",
  ordering_needs_two_steps: "순서 맞추기에는 단계가 두 개 이상 필요합니다.",
  step_text_missing: "단계를 설명하세요.",
  pairs_in_wrong_mode: wrongMode("짝은", "pairs"),
  distractors_in_wrong_mode: wrongMode("오답 보기는", "pairs"),
  categories_in_wrong_mode: wrongMode("범주는", "categories"),
  items_in_wrong_mode: wrongMode("분류할 항목은", "categories"),
  steps_in_wrong_mode: wrongMode("단계는", "order"),

  // HOTSPOT.
  hotspot_prompt_missing: "학습자가 이미지를 클릭해 답할 질문을 적으세요.",
  hotspot_image_missing: "학습자가 사용할 이미지를 고르세요.",
  image_size_zero: "이미지는 가로와 세로 모두 1픽셀 이상이어야 합니다.",
  labelling_needs_two_regions: "레이블 붙이기에는 영역이 두 개 이상 필요합니다.",
  hotspot_needs_region: "영역을 하나 이상 추가하세요.",
  region_label_missing: "학습자가 이 영역에 끌어다 놓을 레이블을 적으세요.",
  label_repeated: "“{text}”은(는) 이미 {first}번 영역의 레이블입니다. 레이블은 모두 달라야 합니다.",
  region_name_missing: "학습자가 이 영역을 열 때 보일 이름을 적으세요.",
  region_shape_missing: "이미지 위에 영역을 그리세요.",
  find_needs_correct_region: "지시문의 정답인 영역을 하나 이상 표시하세요.",
  horizontal_outside_image:
    "{coordinate} 값 {value}은(는) 이미지 밖입니다. 0(왼쪽 가장자리)에서 1(오른쪽 가장자리) 사이여야 합니다.",
  vertical_outside_image:
    "{coordinate} 값 {value}은(는) 이미지 밖입니다. 0(위쪽 가장자리)에서 1(아래쪽 가장자리) 사이여야 합니다.",
  width_not_positive: "너비는 0보다 커야 합니다.",
  height_not_positive: "높이는 0보다 커야 합니다.",
  radius_x_not_positive: "가로 반지름은 0보다 커야 합니다.",
  radius_y_not_positive: "세로 반지름은 0보다 커야 합니다.",
  rectangle_past_right_edge: "사각형이 이미지의 오른쪽 가장자리를 넘어갑니다.",
  rectangle_past_bottom_edge: "사각형이 이미지의 아래쪽 가장자리를 넘어갑니다.",
  ellipse_past_side_edge: "타원이 이미지의 왼쪽이나 오른쪽 가장자리를 넘어갑니다.",
  ellipse_past_top_or_bottom_edge: "타원이 이미지의 위쪽이나 아래쪽 가장자리를 넘어갑니다.",
  point_outside_image: "점 ({x}, {y})이(가) 이미지 밖에 있습니다. 두 좌표 모두 0에서 1 사이여야 합니다.",
  polygon_needs_three_points: "다각형에는 점이 세 개 이상 필요합니다.",
  polygon_has_no_area: "다각형의 넓이가 없습니다: 점들이 한 직선 위에 있습니다.",

  // BRANCHING.
  start_missing: "시나리오가 시작할 노드를 고르세요.",
  start_is_end: "시나리오는 결말 노드에서 시작할 수 없습니다. 학습자가 결정할 것이 없게 됩니다.",
  no_such_node: "“{id}” 노드가 없습니다.",
  branching_needs_nodes: "시나리오의 상황들과 결말을 하나 이상 추가하세요.",
  end_outcome_missing: "학습자가 이 결말에서 읽을 결과를 적으세요.",
  situation_text_missing: "학습자가 여기서 마주하는 상황을 설명하세요.",
  end_has_choices: "결말 노드에는 선택지가 있을 수 없습니다. 선택지를 지우거나 이 노드를 상황으로 바꾸세요.",
  situation_needs_choice: "여기에 학습자의 선택지를 하나 이상 두거나, 이 노드를 결말로 만드세요.",
  choice_id_taken: "ID “{id}”은(는) 이미 “{node}” 노드의 {first}번 선택지에서 쓰고 있습니다.",
  choice_id_taken_at_node: "ID “{id}”은(는) 이미 {node_number}번 노드의 {first}번 선택지에서 쓰고 있습니다.",
  choice_text_missing: "이 선택지에서 학습자가 하는 말이나 행동을 적으세요.",
  choice_target_missing: "이 선택지가 이어질 노드를 고르세요.",
  no_end_reachable: "시작에서 도달할 수 있는 결말이 없습니다. 선택지를 결말로 표시된 노드에 연결하세요.",
  node_unreachable: "시작에서 이곳으로 가는 경로가 없어 학습자가 이 노드를 볼 수 없습니다.",
  node_cannot_finish:
    "“{node}” 노드에 도달한 학습자는 결말에 이를 수 없습니다: 여기서 고를 수 있는 모든 선택지가 끝나지 않는 노드로만 이어집니다.",
  node_at_cannot_finish:
    "{node_number}번 노드에 도달한 학습자는 결말에 이를 수 없습니다: 여기서 고를 수 있는 모든 선택지가 끝나지 않는 노드로만 이어집니다.",
  scoring_loop:
    "순환 경로 {path}을(를) 한 바퀴 돌 때마다 {total}점을 얻으므로 학습자가 점수를 끝없이 모을 수 있습니다. 이 경로의 점수 합이 0 이하가 되게 하세요.",
  scoring_loop_one_point:
    "순환 경로 {path}을(를) 한 바퀴 돌 때마다 1점을 얻으므로 학습자가 점수를 끝없이 모을 수 있습니다. 이 경로의 점수 합이 0 이하가 되게 하세요.",

  // DICTATION.
  dictation_needs_sentence: "받아쓰기에는 문장이 하나 이상 필요합니다.",
  sentence_needs_text: "문장에는 내용이 필요합니다.",
  sentence_has_no_words: "문장 부호를 빼면 이 문장에는 입력할 단어가 없습니다.",

  // The library.
  file_not_in_library: "이 파일이 라이브러리에 없습니다. 다시 추가하세요.",
  used_file_not_in_library: "이 구성 요소가 쓰는 파일이 라이브러리에 없습니다.",
};

/** One value of `params` as the Korean sentence says it; `undefined` when it is not there. */
function sayKo(params: IssueParams, name: string): string | undefined {
  switch (name) {
    case "item":
      return params.item ? itemNamesKo[params.item] : undefined;
    case "mode":
      return params.mode ? mode(params.mode) : undefined;
    case "component_type":
      return params.component_type ? studioKo[`type.${params.component_type}`] : undefined;
  }
  const value: unknown = (params as Record<string, unknown>)[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/** Every language but English (which is the model's own message): a sentence per code. */
const catalogs: Record<Exclude<Locale, "en">, { sentences: Record<IssueCode, string>; say: typeof sayKo }> = {
  ko: { sentences: issuesKo, say: sayKo },
};

/**
 * The issue in `locale`. A sentence whose values are not all there (an issue from a newer
 * ClassKit Studio, a number JSON cannot hold) is shown in English rather than with a gap.
 */
export function issueText(issue: Pick<ValidationIssue, "code" | "params" | "message">, locale: Locale): string {
  if (locale === "en") return issue.message;
  const { sentences, say } = catalogs[locale];
  const template: string | undefined = sentences[issue.code];
  if (template === undefined) return issue.message;
  let complete = true;
  const text = template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const said = say(issue.params ?? {}, name);
    if (said === undefined) complete = false;
    return said ?? "";
  });
  return complete ? text : issue.message;
}

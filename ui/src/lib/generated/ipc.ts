/* Generated from ipc.schema.json by scripts/gen-types.mjs (npm run gen:types). Do not edit. */

/**
 * What an engine produces.
 */
export type EngineKind = "tts" | "text" | "image";
/**
 * Where the key of a paid engine comes from now.
 */
export type KeySource = "keyring" | "session" | "environment" | "none";
/**
 * A reference to a stored asset (audio, image) by the sha256 of its bytes.
 */
export type AssetRef = string;
/**
 * Something a course's import changed on the way in.
 */
export type TreeChange =
  | {
      change: "made_draft";
      component_id: string;
      component_type: ComponentType;
      issues: ValidationIssue[];
    }
  | {
      change: "upgraded";
      component_id: string;
      component_type: ComponentType;
      from: number;
      to: number;
    };
/**
 * The eleven kinds of learning component.
 */
export type ComponentType =
  | "REVIEW"
  | "QUIZ"
  | "ROLEPLAY"
  | "SHADOWING"
  | "PRONUNCIATION"
  | "FLASHCARDS"
  | "CLOZE"
  | "MATCHING"
  | "HOTSPOT"
  | "BRANCHING"
  | "DICTATION";
/**
 * What is wrong, as a stable code that clients match on (never on the message).
 *
 * Each code's description is its English sentence, in which `{name}` stands for the
 * value `name` of the issue's `params`.
 */
export type IssueCode =
  | "text_too_long"
  | "id_missing"
  | "id_not_plain"
  | "id_taken"
  | "text_repeated"
  | "asset_not_stored"
  | "language_tag_spelling"
  | "not_a_language_tag"
  | "language_missing"
  | "source_quote_missing"
  | "source_range_mismatch"
  | "nul_character"
  | "nul_in_field_name"
  | "course_needs_title"
  | "image_alt_missing"
  | "accepted_answer_empty"
  | "payload_not_an_object"
  | "schema_version_invalid"
  | "schema_version_too_new"
  | "schema_version_unknown"
  | "unknown_field"
  | "missing_field"
  | "wrong_form"
  | "review_needs_card"
  | "card_needs_heading"
  | "card_needs_key_point"
  | "key_point_empty"
  | "quiz_needs_question"
  | "question_needs_text"
  | "question_points_not_positive"
  | "options_only_for_choice"
  | "true_false_needs_answer"
  | "answer_only_for_true_false"
  | "short_answer_needs_answer"
  | "accepted_answers_only_for_short_answer"
  | "question_needs_two_options"
  | "single_choice_none_correct"
  | "single_choice_many_correct"
  | "multiple_choice_none_correct"
  | "option_needs_text"
  | "option_text_repeated"
  | "scenario_missing"
  | "persona_name_missing"
  | "learner_goal_missing"
  | "rubric_needs_criterion"
  | "script_needs_turns"
  | "script_needs_learner_turn"
  | "turn_needs_text"
  | "expected_phrases_only_for_learner"
  | "hints_only_for_learner"
  | "expected_phrase_empty"
  | "hint_empty"
  | "criterion_needs_description"
  | "criterion_weight_not_positive"
  | "criterion_needs_level"
  | "best_level_not_positive"
  | "level_score_negative"
  | "level_score_repeated"
  | "level_needs_descriptor"
  | "playback_rate_out_of_range"
  | "playback_rate_repeated"
  | "repetitions_out_of_range"
  | "shadowing_needs_sentence"
  | "shadowing_sentence_missing"
  | "pronunciation_needs_item"
  | "pronunciation_target_missing"
  | "ipa_digit"
  | "ipa_apostrophe"
  | "ipa_colon"
  | "ipa_unknown_symbol"
  | "deck_needs_card"
  | "card_needs_term"
  | "term_repeated"
  | "card_needs_definition"
  | "cloze_needs_blank"
  | "marker_not_plain"
  | "marker_without_blank"
  | "marker_repeated"
  | "blank_not_in_text"
  | "blank_needs_answer"
  | "distractor_empty"
  | "distractor_is_answer"
  | "matching_needs_two_pairs"
  | "pair_left_missing"
  | "pair_right_missing"
  | "distractor_text_missing"
  | "sorting_needs_two_categories"
  | "category_name_missing"
  | "sort_item_text_missing"
  | "item_category_missing"
  | "no_such_category"
  | "category_empty"
  | "ordering_needs_two_steps"
  | "step_text_missing"
  | "pairs_in_wrong_mode"
  | "distractors_in_wrong_mode"
  | "categories_in_wrong_mode"
  | "items_in_wrong_mode"
  | "steps_in_wrong_mode"
  | "hotspot_prompt_missing"
  | "hotspot_image_missing"
  | "image_size_zero"
  | "labelling_needs_two_regions"
  | "hotspot_needs_region"
  | "region_label_missing"
  | "label_repeated"
  | "region_name_missing"
  | "region_shape_missing"
  | "find_needs_correct_region"
  | "horizontal_outside_image"
  | "vertical_outside_image"
  | "width_not_positive"
  | "height_not_positive"
  | "radius_x_not_positive"
  | "radius_y_not_positive"
  | "rectangle_past_right_edge"
  | "rectangle_past_bottom_edge"
  | "ellipse_past_side_edge"
  | "ellipse_past_top_or_bottom_edge"
  | "point_outside_image"
  | "polygon_needs_three_points"
  | "polygon_has_no_area"
  | "start_missing"
  | "start_is_end"
  | "no_such_node"
  | "branching_needs_nodes"
  | "end_outcome_missing"
  | "situation_text_missing"
  | "end_has_choices"
  | "situation_needs_choice"
  | "choice_id_taken"
  | "choice_id_taken_at_node"
  | "choice_text_missing"
  | "choice_target_missing"
  | "no_end_reachable"
  | "node_unreachable"
  | "node_cannot_finish"
  | "node_at_cannot_finish"
  | "scoring_loop"
  | "scoring_loop_one_point"
  | "dictation_needs_sentence"
  | "sentence_needs_text"
  | "sentence_has_no_words"
  | "file_not_in_library"
  | "used_file_not_in_library";
/**
 * What one item of a payload's list is called in an issue's sentence.
 */
export type ItemName =
  | "question"
  | "option"
  | "card"
  | "sentence"
  | "item"
  | "blank"
  | "pair"
  | "distractor"
  | "category"
  | "step"
  | "region"
  | "node"
  | "choice"
  | "criterion"
  | "turn";
/**
 * Which matching activity the learner does.
 */
export type MatchingMode = "pairs" | "categories" | "order";
/**
 * How the learner fills the blanks.
 */
export type ClozeMode = "typed" | "drag";
/**
 * Whether a component is still being written or can be shown to learners.
 */
export type ComponentStatus = "draft" | "ready";
/**
 * The four kinds of entity a course is made of.
 */
export type EntityKind = "course" | "lesson" | "slide" | "component";
/**
 * One step of a path into a state: an object's key, or the item of an id-keyed list.
 */
export type Step =
  | {
      key: string;
    }
  | {
      item: string;
    };
/**
 * How a slide is laid out when rendered.
 */
export type SlideLayout = "title" | "bullets" | "two_columns" | "image_text" | "quote";
/**
 * Which slides of a course an assembly covers.
 */
export type Scope =
  | {
      kind: "course";
    }
  | {
      id: string;
      kind: "lesson";
    }
  | {
      id: string;
      kind: "slide";
    };
/**
 * What a save did.
 */
export type ChangeKind =
  | "created"
  | "updated"
  | "moved"
  | "marked_ready"
  | "marked_draft"
  | "deleted"
  | "drafted"
  | "drafted_again"
  | "reference_audio_recorded"
  | "imported"
  | "imported_from_bundle"
  | "outlined"
  | "restored"
  | "synced";
/**
 * What an edit was about.
 */
export type EditTarget =
  | {
      entity_type: "slide";
    }
  | {
      component_type: ComponentType;
      entity_type: "component";
    };
/**
 * What went wrong, as a stable code.
 */
export type ErrorCode =
  | "invalid_input"
  | "invalid_arguments"
  | "invalid_json"
  | "validation_failed"
  | "unknown_component_type"
  | "import_empty"
  | "import_too_large"
  | "import_binary"
  | "import_not_utf8"
  | "import_nul_character"
  | "input_too_large"
  | "not_a_file"
  | "bundle_invalid"
  | "invalid_profile"
  | "invalid_budget"
  | "invalid_engines_config"
  | "not_found"
  | "course_exists"
  | "id_taken"
  | "version_conflict"
  | "not_graded"
  | "grading_failed"
  | "wrong_state"
  | "invalid_job"
  | "lease_lost"
  | "not_servable"
  | "asset_too_large"
  | "asset_missing"
  | "budget_exceeded"
  | "library_not_found"
  | "library_unavailable"
  | "library_too_new"
  | "library_damaged"
  | "database_error"
  | "queue_database_error"
  | "queue_damaged"
  | "redis_error"
  | "io_error"
  | "disk_full"
  | "work_stalled"
  | "workers_unavailable"
  | "engine_unavailable"
  | "keyring_unavailable"
  | "settings_error"
  | "chart_failed"
  | "unsupported"
  | "ipc_failed"
  | "unauthorized"
  | "token_revoked"
  | "forbidden"
  | "asset_hash_mismatch"
  | "schema_version_unsupported"
  | "server_unreachable"
  | "tls_failed"
  | "server_error"
  | "no_remote"
  | "internal";
/**
 * What the package is for.
 */
export type Format = "web" | "scorm12" | "scorm2004";
/**
 * How well the learner recalled a card, in their own judgement.
 */
export type Recall = "again" | "hard" | "good" | "easy";
/**
 * How one item of a response fared.
 */
export type Outcome = ("correct" | "incorrect") | "partial" | "unanswered";
/**
 * What the learner does with the image.
 */
export type HotspotMode = "explore" | "label" | "find";
/**
 * The outline of a region, in image-relative coordinates from 0 to 1.
 */
export type Shape =
  | {
      /**
       * Height as a fraction of the image's height.
       */
      height?: number;
      kind: "rectangle";
      /**
       * Width as a fraction of the image's width.
       */
      width?: number;
      /**
       * Left edge, from 0 (image left) to 1 (image right).
       */
      x?: number;
      /**
       * Top edge, from 0 (image top) to 1 (image bottom).
       */
      y?: number;
    }
  | {
      /**
       * Centre, from 0 (image left) to 1 (image right).
       */
      cx?: number;
      /**
       * Centre, from 0 (image top) to 1 (image bottom).
       */
      cy?: number;
      kind: "ellipse";
      /**
       * Horizontal radius as a fraction of the image's width.
       */
      rx?: number;
      /**
       * Vertical radius as a fraction of the image's height.
       */
      ry?: number;
    }
  | {
      kind: "polygon";
      /**
       * Corners as `[x, y]`, each from 0 to 1.
       */
      points?: [number, number][];
    };
/**
 * Where a job is in its life.
 *
 * `queued → running → succeeded | retry_wait → queued | dead | cancelled`; a dead or
 * cancelled job goes back to `queued` only by a manual retry.
 */
export type JobState = ("queued" | "running" | "succeeded" | "cancelled") | "retry_wait" | "dead";
/**
 * How a conflict is settled.
 */
export type KeepChoice =
  | {
      keep: "mine";
    }
  | {
      keep: "theirs";
    }
  | {
      keep: "text";
      text: string;
    };
/**
 * A member's rights in one course.
 */
export type Role = "viewer" | "editor" | "owner";
/**
 * What `assemble` makes.
 */
export type Part = ("narration" | "slides" | "drafts") | "illustrations";
/**
 * The languages the UI is shipped in.
 */
export type UiLocale = "en" | "ko";
/**
 * The kind of a question, which decides how it is answered and graded.
 */
export type QuestionKind = "single_choice" | "multiple_choice" | "true_false" | "short_answer";
/**
 * One answer; which form fits depends on the kind of question.
 */
export type QuizAnswer = boolean | string | string[];
/**
 * What a restore produced: a new version of the entity.
 */
export type Restored =
  | (Slide & {
      entity_type: "slide";
    })
  | (LearningComponent & {
      entity_type: "component";
    });
/**
 * Whether a line of a diff is in both versions, only the newer or only the older.
 */
export type DiffChange = "same" | "added" | "removed";
/**
 * Who leads the persona's side of the conversation.
 */
export type RoleplayMode = "scripted" | "ai_driven";
/**
 * Who speaks a turn.
 */
export type Speaker = "persona" | "learner";
/**
 * What to work on (or what went well), for the player and the app to say in words.
 */
export type Feedback =
  | {
      code: "different_words";
    }
  | {
      code: "too_slow";
      ratio: number;
    }
  | {
      code: "too_fast";
      ratio: number;
    }
  | {
      code: "good_pace";
    }
  | {
      at_ms: number;
      code: "missed_pause";
    }
  | {
      at_ms: number;
      code: "extra_pause";
    }
  | {
      code: "good_pauses";
    }
  | {
      code: "flat_intonation";
      range_ratio: number;
    }
  | {
      code: "different_intonation";
      correlation: number;
    }
  | {
      code: "good_intonation";
    };
/**
 * How the last contact with the team server went.
 */
export type Connection = "not_set" | "unknown" | "online" | "offline" | "refused";

/**
 * The types the ClassKit Studio UI receives from the app. Generated; do not edit.
 */
export interface Ipc {
  ApiKeys: ApiKeys;
  BranchingPayload: BranchingPayload;
  BranchingResponse: BranchingResponse;
  BundleExport: BundleExport;
  BundleImport: BundleImport;
  ClozePayload: ClozePayload;
  ClozeResponse: ClozeResponse;
  ComponentType: ComponentType;
  ComponentView: ComponentView;
  ConflictView: ConflictView;
  Course: Course;
  CourseSummary: CourseSummary;
  CourseTree: CourseTree;
  DictationPayload: DictationPayload;
  DictationResponse: DictationResponse;
  Dispatched: Dispatched;
  DraftVerdict: DraftVerdict;
  EditSummary: EditSummary;
  ErrorCode: ErrorCode;
  ExportOptions: ExportOptions;
  ExportReport: ExportReport;
  FlashcardsPayload: FlashcardsPayload;
  FlashcardsResponse: FlashcardsResponse;
  Grade: Grade;
  HotspotPayload: HotspotPayload;
  HotspotResponse: HotspotResponse;
  ImportSummary: ImportSummary;
  JobView: JobView;
  KeepChoice: KeepChoice;
  LearningComponent: LearningComponent;
  MatchingPayload: MatchingPayload;
  MatchingResponse: MatchingResponse;
  Me: Me;
  Member: Member;
  Part: Part;
  Preferences: Preferences;
  PronunciationPayload: PronunciationPayload;
  PronunciationScore: PronunciationScore;
  QuizPayload: QuizPayload;
  QuizResponse: QuizResponse;
  RemoteView: RemoteView;
  Restored: Restored;
  ReviewPayload: ReviewPayload;
  Revision: Revision;
  RevisionDiff: RevisionDiff;
  RoleplayPayload: RoleplayPayload;
  RoleplayResponse: RoleplayResponse;
  Saved: Saved;
  Scope: Scope;
  ShadowingPayload: ShadowingPayload;
  ShadowingScore: ShadowingScore;
  Slide: Slide;
  SlideChanges: SlideChanges;
  SlideMedia: SlideMedia;
  SlidePicture: SlidePicture;
  SyncOutcome: SyncOutcome;
  TeamCourse: TeamCourse;
  TeamStatus: TeamStatus;
  TeamWorkerView: TeamWorkerView;
  UndoOutcome: UndoOutcome;
  UndoState: UndoState;
  ValidationIssue: ValidationIssue;
  WireError: WireError;
}
/**
 * The API keys of the library's paid engines, and whether the key store can keep them.
 */
export interface ApiKeys {
  engines: ApiKeyStatus[];
  /**
   * Why the OS keyring cannot be used (no secret service, as on a headless Linux); `None`
   * when it can.
   */
  keyring_unavailable?: string | null;
}
/**
 * A paid engine and where its key comes from.
 */
export interface ApiKeyStatus {
  engine: PaidEngine;
  source: KeySource;
}
/**
 * An engine that is paid for with an API key (its key itself never leaves the app layer).
 */
export interface PaidEngine {
  /**
   * The environment variable its key may come from.
   */
  api_key_env?: string | null;
  /**
   * The server, without any user, password or query.
   */
  endpoint: string;
  id: string;
  kind: EngineKind;
  model: string;
}
/**
 * A scored decision scenario: situations, choices and ends.
 */
export interface BranchingPayload {
  /**
   * Every node of the scenario, in any order.
   */
  nodes?: BranchingNode[];
  schema_version?: number;
  /**
   * The `id` of the node the learner starts at.
   */
  start?: string;
  /**
   * Heading shown above the scenario, e.g. "The supplier says 47 cents".
   */
  title?: string;
}
/**
 * A situation with choices, or an end with its outcome.
 */
export interface BranchingNode {
  /**
   * What the learner can do next; none at an end node.
   */
  choices?: BranchingChoice[];
  /**
   * The scenario ends here.
   */
  end?: boolean;
  /**
   * Unique among the nodes; choices name their target by it.
   */
  id?: string;
  /**
   * An image shown with the situation, by content hash.
   */
  image?: AssetRef | null;
  /**
   * A description of the image for learners who cannot see it; required with an image.
   */
  image_alt?: string;
  /**
   * At an end node: how things turned out, shown to the learner.
   */
  outcome?: string;
  /**
   * Where in the lecture this node was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * The situation the learner faces, in Markdown; required unless the node is an end.
   */
  text?: string;
  /**
   * A short heading for the node.
   */
  title?: string;
}
/**
 * Something the learner can say or do at a node.
 */
export interface BranchingChoice {
  /**
   * Shown after the learner makes this choice; empty for none.
   */
  feedback?: string;
  /**
   * Unique among all choices of the scenario; responses name choices by it.
   */
  id?: string;
  /**
   * Points added to the learner's score (taken away when negative).
   */
  points?: number;
  /**
   * The `id` of the node this choice leads to.
   */
  target?: string;
  /**
   * What the learner says or does.
   */
  text?: string;
}
/**
 * Where a drafted item came from in the lecture, so the instructor can check it.
 */
export interface Provenance {
  /**
   * End (exclusive) of the source sentence; `end - start` is the byte length of `quote`.
   */
  end: number;
  /**
   * The source sentence itself, shown beside the drafted item.
   */
  quote: string;
  /**
   * The slide whose text the item was drafted from, when known.
   */
  slide_id?: string | null;
  /**
   * Start of the source sentence: a UTF-8 byte offset into the narration (speaker notes)
   * of `slide_id` when given, otherwise into the lecture text the item was drafted from.
   */
  start: number;
}
/**
 * The path a learner took through the scenario.
 */
export interface BranchingResponse {
  /**
   * The ids of the choices the learner made, in order, from the start node.
   */
  choices?: string[];
}
/**
 * What an export wrote.
 */
export interface BundleExport {
  assets: number;
  bytes: number;
  course_id: string;
  path: string;
}
/**
 * What an import stored.
 */
export interface BundleImport {
  /**
   * Files the course uses (those the library had already are not read again).
   */
  assets: number;
  /**
   * What was changed on the way in.
   */
  changes: TreeChange[];
  components: number;
  /**
   * True when the course was stored as a new copy with new ids.
   */
  copied: boolean;
  course_id: string;
  lessons: number;
  /**
   * Rendered pages and narrations that came with the course, still up to date.
   */
  outputs: number;
  slides: number;
  title: string;
  /**
   * Files the bundle lists that nothing in the course uses: not read, not stored.
   */
  unused_files: number;
}
/**
 * One problem found in a payload, with a JSON pointer (RFC 6901) to the field.
 */
export interface ValidationIssue {
  /**
   * What is wrong, as a stable code.
   */
  code: IssueCode;
  /**
   * What is wrong, in words an instructor understands (English).
   */
  message: string;
  /**
   * The values the message names, for a client that says it in another language.
   */
  params: IssueParams;
  /**
   * JSON pointer into the payload, e.g. `/questions/2/options`; empty for the whole payload.
   */
  pointer: string;
}
/**
 * The values an issue's message interpolates, by the name its sentence uses (`{count}`).
 *
 * Each issue code fills exactly the fields its sentence names and leaves the others out. A
 * name means the same thing, with the same type, in every sentence.
 */
export interface IssueParams {
  /**
   * An asset reference that is not the sha256 of a stored file.
   */
  asset?: string | null;
  /**
   * The length of a quoted sentence, in bytes.
   */
  bytes?: number | null;
  /**
   * The component type a payload belongs to.
   */
  component_type?: ComponentType | null;
  /**
   * The name of an image coordinate: `x`, `y`, `cx` or `cy`.
   */
  coordinate?: string | null;
  /**
   * How many there are: characters of a text, options marked correct, uses of a marker.
   */
  count?: number | null;
  /**
   * The payload reader's own explanation, in English.
   */
  detail?: string | null;
  /**
   * Where a source range ends, in bytes.
   */
  end?: number | null;
  /**
   * A field's name as the payload's reader quotes it, e.g. `` `title` ``.
   */
  field?: string | null;
  /**
   * The place, from 1, of the earlier item that the issue's item repeats.
   */
  first?: number | null;
  /**
   * An id as written: of an item, a blank, a category, a node.
   */
  id?: string | null;
  /**
   * What one item of the list is, e.g. `question` in "question 2".
   */
  item?: ItemName | null;
  /**
   * The id inside a `[[id]]` marker of a cloze text.
   */
  marker?: string | null;
  /**
   * The most allowed: characters of a text or an id, repetitions.
   */
  max?: number | null;
  /**
   * The mode a matching activity is in.
   */
  mode?: MatchingMode | null;
  /**
   * A branching node's id.
   */
  node?: string | null;
  /**
   * A branching node's place, from 1, when it has no id.
   */
  node_number?: number | null;
  /**
   * The node ids of a loop in order, back to the first, e.g. `"a" → "b" → "a"`.
   */
  path?: string | null;
  /**
   * A playback speed, 1 being normal.
   */
  rate?: number | null;
  /**
   * Where a source range starts, in bytes.
   */
  start?: number | null;
  /**
   * The language tag as it should be written.
   */
  suggestion?: string | null;
  /**
   * The newest schema version this build reads.
   */
  supported?: number | null;
  /**
   * One character that is not an IPA symbol.
   */
  symbol?: string | null;
  /**
   * A language tag as written.
   */
  tag?: string | null;
  /**
   * A text of the payload, trimmed, that repeats an earlier one.
   */
  text?: string | null;
  /**
   * The points a learner earns going once round a loop.
   */
  total?: number | null;
  /**
   * The value of that coordinate.
   */
  value?: number | null;
  /**
   * The schema version a payload names.
   */
  version?: number | null;
  /**
   * A point's horizontal coordinate, from 0 (left edge) to 1 (right edge).
   */
  x?: number | null;
  /**
   * A point's vertical coordinate, from 0 (top edge) to 1 (bottom edge).
   */
  y?: number | null;
}
/**
 * A text with blanks to fill.
 */
export interface ClozePayload {
  /**
   * `café` and `cafe` are different answers, unless a blank says otherwise.
   */
  accent_sensitive?: boolean;
  /**
   * The blanks, each used exactly once in the text.
   */
  blanks?: Blank[];
  /**
   * `Paris` and `paris` are different answers, unless a blank says otherwise.
   */
  case_sensitive?: boolean;
  /**
   * What the learner should do, e.g. "Fill in the missing terms."
   */
  instructions?: string;
  /**
   * Whether the learner types answers or drags them from a word bank.
   */
  mode?: ClozeMode & string;
  /**
   * The lecture passage this text was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * Version of this payload's shape.
   */
  schema_version?: number;
  /**
   * The text in Markdown, with each blank written as `[[id]]` where it belongs.
   */
  text?: string;
  /**
   * Heading shown above the text.
   */
  title?: string;
}
/**
 * One blank in the text.
 */
export interface Blank {
  /**
   * Overrides the text's `accent_sensitive` for this blank.
   */
  accent_sensitive?: boolean | null;
  /**
   * Every answer accepted; the first is the one shown in the word bank and as the solution.
   */
  answers?: string[];
  /**
   * Overrides the text's `case_sensitive` for this blank.
   */
  case_sensitive?: boolean | null;
  /**
   * Drag mode: wrong words added to the word bank.
   */
  distractors?: string[];
  /**
   * A hint the learner can reveal.
   */
  hint?: string;
  /**
   * Short id written in the text as `[[id]]`; letters, digits, `-` and `_`.
   */
  id?: string;
}
/**
 * A learner's answers to a cloze.
 */
export interface ClozeResponse {
  /**
   * What the learner typed or dragged into each blank, by blank id; blanks left out
   * are unanswered.
   */
  answers?: {
    [k: string]: string | undefined;
  };
}
/**
 * A component and the rules its payload breaks now (empty when it could be marked ready).
 */
export interface ComponentView {
  component: LearningComponent;
  issues: ValidationIssue[];
  /**
   * The save that answered with this view moved a ready component back to draft: the
   * edit broke a rule, and was kept rather than refused.
   */
  moved_to_draft: boolean;
}
/**
 * A learning component attached to a slide.
 */
export interface LearningComponent {
  component_type: ComponentType;
  created_at: string;
  id: string;
  /**
   * The type's payload as JSON, always carrying its `schema_version`.
   */
  payload: unknown;
  slide_id: string;
  status: ComponentStatus;
  updated_at: string;
  version: number;
}
/**
 * One open conflict with what the conflict view shows.
 */
export interface ConflictView {
  conflict: ConflictRecord;
  place: ConflictPlace;
  /**
   * For a text field: both texts and their merge.
   */
  text?: TextMerge | null;
}
/**
 * Two values for one field: the server's (current) and an instructor's (kept).
 */
export interface ConflictRecord {
  /**
   * The value both edits started from (absent: the field was not there).
   */
  base?: unknown;
  course_id: string;
  created_at: string;
  entity_id: string;
  id: string;
  kind: EntityKind;
  /**
   * The value that was not applied (absent: a deletion).
   */
  mine?: unknown;
  mine_at: string;
  /**
   * Who made the edit that was not applied, and when.
   */
  mine_author?: string | null;
  /**
   * The field, by keys and item ids, stable when lists are reordered.
   */
  path: Step[];
  /**
   * The field as a JSON pointer into the entity's state when it was recorded (empty: the
   * whole entity, an edit against a delete).
   */
  pointer: string;
  resolved_at?: string | null;
  resolved_by?: string | null;
  /**
   * Its place in the course's change log.
   */
  seq: number;
  /**
   * The value that stayed current (absent: deleted).
   */
  theirs?: unknown;
  /**
   * Who made the change that stayed.
   */
  theirs_author?: string | null;
}
/**
 * Where a conflict is, in the words the instructor knows the course by.
 */
export interface ConflictPlace {
  /**
   * A component's type.
   */
  component_type?: ComponentType | null;
  course_title: string;
  /**
   * The title of the lesson or slide (of the component's slide for a component); none
   * when it is no longer in this library.
   */
  title?: string | null;
}
/**
 * Both edits of a text field, and their merge when the edits touch different words.
 */
export interface TextMerge {
  /**
   * The text both edits started from (none: the field was not there).
   */
  base?: string | null;
  /**
   * Both edits in one text; none when they changed the same words, and the instructor
   * must write the text that combines them.
   */
  merged?: string | null;
  /**
   * The edit that was not applied.
   */
  mine: string;
  /**
   * The text that stayed current.
   */
  theirs: string;
}
/**
 * A course: the top of what an instructor builds.
 */
export interface Course {
  created_at: string;
  /**
   * A short description shown in the library.
   */
  description?: string;
  id: string;
  /**
   * BCP 47 language tag of the lecture text, when known (`en`, `ko`).
   */
  language?: string | null;
  title: string;
  updated_at: string;
  /**
   * Incremented on every saved change; the base version for sync and conflict checks.
   */
  version: number;
}
/**
 * A course as listed in the library.
 */
export interface CourseSummary {
  /**
   * How many components of each type the course has (types it has none of are left out).
   */
  by_type: {
    [k: string]: number | undefined;
  };
  components: number;
  created_at: string;
  /**
   * A short description shown in the library.
   */
  description?: string;
  /**
   * The course's first slide, whose picture stands for the course.
   */
  first_slide?: string | null;
  id: string;
  /**
   * BCP 47 language tag of the lecture text, when known (`en`, `ko`).
   */
  language?: string | null;
  /**
   * The newest save of the course, one of its slides or one of its components.
   */
  last_edited: string;
  lessons: number;
  /**
   * How many of the components are ready for learners (the rest are drafts).
   */
  ready: number;
  slides: number;
  title: string;
  updated_at: string;
  /**
   * Incremented on every saved change; the base version for sync and conflict checks.
   */
  version: number;
}
/**
 * A whole course with its lessons, slides and components, as shown by `classkit show`
 * and written into bundles.
 */
export interface CourseTree {
  created_at: string;
  /**
   * A short description shown in the library.
   */
  description?: string;
  id: string;
  /**
   * BCP 47 language tag of the lecture text, when known (`en`, `ko`).
   */
  language?: string | null;
  lessons: LessonTree[];
  title: string;
  updated_at: string;
  /**
   * Incremented on every saved change; the base version for sync and conflict checks.
   */
  version: number;
}
/**
 * A lesson with its slides.
 */
export interface LessonTree {
  course_id: string;
  created_at: string;
  id: string;
  /**
   * Orders it among its siblings, byte order, ties by id; see `crate::order`.
   */
  order_key?: string;
  /**
   * Derived when read: the zero-based place among the course's lessons sorted by
   * (`order_key`, `id`). Never stored; writing it moves nothing.
   */
  position: number;
  slides: SlideTree[];
  title: string;
  updated_at: string;
  version: number;
}
/**
 * A slide with its learning components.
 */
export interface SlideTree {
  /**
   * On-screen content in Markdown.
   */
  body: string;
  components: LearningComponent[];
  created_at: string;
  id: string;
  /**
   * The slide's image, by content hash.
   */
  image?: AssetRef | null;
  /**
   * Notes for the instructor only: never shown to learners or narrated.
   */
  instructor_notes?: string;
  layout: SlideLayout;
  lesson_id: string;
  /**
   * The slide's narration audio, by content hash.
   */
  narration?: AssetRef | null;
  /**
   * Orders it among its siblings, byte order, ties by id; see `crate::order`.
   */
  order_key?: string;
  /**
   * Derived when read: the zero-based place among the lesson's slides sorted by
   * (`order_key`, `id`). Never stored; writing it moves nothing.
   */
  position: number;
  /**
   * The narration script (speaker notes), spoken over the slide. A key term may be set
   * in bold (`**BATNA**`) for the drafter to find; it is spoken as [`spoken`] gives it.
   */
  speaker_notes: string;
  title: string;
  updated_at: string;
  version: number;
}
/**
 * Sentences the learner hears and types.
 */
export interface DictationPayload {
  /**
   * `café` and `cafe` are different words.
   */
  accent_sensitive?: boolean;
  /**
   * `Paris` and `paris` are different words.
   */
  case_sensitive?: boolean;
  /**
   * Ignore punctuation: commas and full stops are not what is being tested.
   */
  ignore_punctuation?: boolean;
  /**
   * What the learner should do, e.g. "Listen and type each sentence."
   */
  instructions?: string;
  /**
   * Most typing mistakes (letters inserted, removed or replaced) a word of at least four
   * letters may have and still count as right. 0 demands exact spelling.
   */
  max_typos_per_word?: number;
  /**
   * Version of this payload's shape.
   */
  schema_version?: number;
  /**
   * The sentences, in the order they are played.
   */
  sentences?: Sentence[];
  /**
   * Heading shown above the sentences.
   */
  title?: string;
}
/**
 * One sentence to hear and type.
 */
export interface Sentence {
  /**
   * Recorded or synthesized audio of the sentence; without it the player reads the text
   * with speech synthesis.
   */
  audio?: AssetRef | null;
  /**
   * Short id, unique in the dictation, that learner responses refer to (e.g. `s1`).
   */
  id?: string;
  /**
   * BCP 47 language tag of the sentence (`en`, `en-GB`, `ko`) when it differs from the course.
   */
  language?: string | null;
  /**
   * The lecture sentence this was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * The sentence exactly as the learner should type it.
   */
  text?: string;
}
/**
 * What the learner typed for each sentence.
 */
export interface DictationResponse {
  /**
   * The typed text of each sentence, by sentence id; sentences left out are unanswered.
   */
  answers?: {
    [k: string]: string | undefined;
  };
}
/**
 * What dispatching generation queued.
 */
export interface Dispatched {
  course_id: string;
  estimated_cost_micros: number;
  /**
   * The jobs queued (or already queued with the same input), for the job tray.
   */
  jobs: string[];
  scope: Scope;
  slides: number;
  /**
   * Outputs already made from the same input: nothing to do for them.
   */
  up_to_date: number;
}
/**
 * What the drafting engines made of a slide's text for one type of activity.
 */
export interface DraftVerdict {
  component_type: ComponentType;
  /**
   * Why nothing was drafted, as the engine said it (in English).
   */
  reason?: string | null;
  /**
   * The reason's stable name (`no_definition`, …) when it is one the engines give, for
   * saying it in the instructor's language.
   */
  reason_code?: string | null;
  /**
   * True when a component was drafted; false when the slide's text gave nothing to draft.
   */
  supported: boolean;
}
/**
 * An edit that can be undone or redone, as the UI names it ("Undo: edit of the Quiz").
 */
export interface EditSummary {
  /**
   * What the edit did: `updated`, `marked_ready`, `marked_draft`, `restored`, `created`,
   * `deleted` or `moved`.
   */
  change: ChangeKind;
  /**
   * The slide or component, as it is now (an entity made again gets a new id).
   */
  id: string;
  /**
   * The slide where the edit shows, to bring into view; none when that slide is gone.
   */
  slide_id?: string | null;
  target: EditTarget;
}
/**
 * What the instructor chose in the Export dialog (or on the command line).
 */
export interface ExportOptions {
  format: Format;
  /**
   * Export components still marked draft too (those without problems).
   */
  include_drafts?: boolean;
  /**
   * The share of the points a learner needs to pass, from 0 to 1.
   */
  mastery_score: number;
  /**
   * How a SCORM package reports to the LMS.
   */
  sco_layout?: "course" | "per_lesson";
  xapi?: XapiOptions | null;
}
/**
 * Where the web player sends xAPI statements (when the launch address names no LRS).
 */
export interface XapiOptions {
  /**
   * The `Authorization` header's value (`Basic …`); empty when the LRS needs none.
   */
  auth?: string;
  /**
   * The LRS's statements endpoint base, e.g. `https://lrs.example.org/xapi/`.
   */
  endpoint: string;
}
/**
 * What an export wrote.
 */
export interface ExportReport {
  /**
   * Size of the zip.
   */
  bytes: number;
  components: number;
  elapsed_ms: number;
  /**
   * Files in the zip.
   */
  files: number;
  format: Format;
  /**
   * What learners do not get, and why.
   */
  left_out: LeftOut[];
  lessons: number;
  /**
   * Slides that went without a file the library lacks.
   */
  notes: string[];
  path: string;
  /**
   * Size of the player's own code (`index.html`), before and after gzip.
   */
  player_bytes: number;
  player_gzip_bytes: number;
  /**
   * SCOs in the manifest (0 for the web player).
   */
  scos: number;
  slides: number;
}
/**
 * A component learners do not get, and why.
 */
export interface LeftOut {
  component_id: string;
  component_type: ComponentType;
  lesson: string;
  reason: string;
  slide: string;
}
/**
 * A deck of cards to flip and rate.
 */
export interface FlashcardsPayload {
  /**
   * The cards, in the order the author wrote them.
   */
  cards?: Flashcard[];
  /**
   * Version of this payload's shape.
   */
  schema_version?: number;
  /**
   * Heading shown above the deck.
   */
  title?: string;
}
/**
 * One card: the term on the front, the definition on the back.
 */
export interface Flashcard {
  /**
   * The term spoken aloud.
   */
  audio?: AssetRef | null;
  /**
   * The definition on the back, in Markdown.
   */
  definition?: string;
  /**
   * An example sentence using the term, shown with the definition.
   */
  example?: string;
  /**
   * Short id, unique in the deck, that learner ratings refer to (e.g. `c1`).
   */
  id?: string;
  /**
   * A picture shown on the front with the term.
   */
  image?: AssetRef | null;
  /**
   * The lecture sentence this card was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * The term on the front of the card.
   */
  term?: string;
}
/**
 * The learner's rating of each card.
 */
export interface FlashcardsResponse {
  /**
   * The rating of each card, by card id; cards left out are unrated.
   */
  ratings?: {
    [k: string]: Recall | undefined;
  };
}
/**
 * The score of a whole response with feedback per item.
 */
export interface Grade {
  items: ItemFeedback[];
  max_score: number;
  score: number;
}
/**
 * Feedback on one item (question, blank, pair, region, sentence, …).
 */
export interface ItemFeedback {
  /**
   * The author's feedback text for what the learner chose; empty when the author wrote none.
   */
  feedback: string[];
  max_score: number;
  outcome: Outcome;
  /**
   * JSON pointer to the item in the payload, e.g. `/questions/0`.
   */
  pointer: string;
  score: number;
}
/**
 * An image with regions the learner explores, labels or finds.
 */
export interface HotspotPayload {
  /**
   * A description of the image for learners who cannot see it.
   */
  alt_text?: string;
  /**
   * The image, by content hash; may be missing while drafting.
   */
  image?: AssetRef | null;
  /**
   * The image's height in pixels, when known (regions do not depend on it).
   */
  image_height?: number | null;
  /**
   * The image's width in pixels, when known (regions do not depend on it).
   */
  image_width?: number | null;
  /**
   * What the learner does with the image.
   */
  mode?: HotspotMode & string;
  /**
   * The instruction or question above the image; required in find mode, e.g. "Click where
   * the Calvin cycle takes place".
   */
  prompt?: string;
  /**
   * The regions, bottom to top: where regions overlap, a later one is on top.
   */
  regions?: HotspotRegion[];
  schema_version?: number;
}
/**
 * A region of the image.
 */
export interface HotspotRegion {
  /**
   * Find mode: this region answers the prompt.
   */
  correct?: boolean;
  /**
   * Shown when the learner opens, labels or clicks the region; empty for none.
   */
  feedback?: string;
  /**
   * Unique among the regions; responses name regions by it.
   */
  id?: string;
  /**
   * The region's name: the label to drag in label mode, the heading shown when it is
   * opened in explore mode; optional in find mode.
   */
  label?: string;
  /**
   * Where in the lecture this region's text was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * The region's outline; may be missing while drafting.
   */
  shape?: Shape | null;
}
/**
 * A learner's answer; only the field of the activity's mode is read.
 */
export interface HotspotResponse {
  /**
   * Find mode: the points the learner clicked, as image-relative `[x, y]`.
   */
  clicks?: [number, number][];
  /**
   * Label mode: region id → the label the learner put on it.
   */
  labels?: {
    [k: string]: string | undefined;
  };
  /**
   * Explore mode: the ids of the regions the learner opened.
   */
  visited?: string[];
}
/**
 * What importing a lecture created.
 */
export interface ImportSummary {
  course_id: string;
  language?: string | null;
  lessons: number;
  slides: number;
  title: string;
}
/**
 * A job as the job tray shows it.
 */
export interface JobView {
  attempts: number;
  /**
   * The type of the component it drafts or works for (`QUIZ`, …).
   */
  component_type?: string | null;
  cost_micros?: number | null;
  /**
   * The course it works for, when the job says.
   */
  course_id?: string | null;
  /**
   * The course's title.
   */
  course_title?: string | null;
  created_at: string;
  engine?: string | null;
  /**
   * Why the last attempt failed.
   */
  error?: string | null;
  /**
   * Whether that failure will be tried again.
   */
  error_retryable?: boolean | null;
  estimated_cost_micros?: number | null;
  /**
   * True in a final state (succeeded, dead, cancelled): it changes again only if retried.
   */
  finished: boolean;
  finished_at?: string | null;
  id: string;
  /**
   * `narration`, `slide_render`, `draft_component`, …
   */
  kind: string;
  max_attempts: number;
  message: string;
  /**
   * 0–100.
   */
  progress: number;
  /**
   * Who dispatched it (a team job: the member's email).
   */
  requested_by?: string | null;
  /**
   * For a job waiting to retry: when it runs again.
   */
  run_at?: string | null;
  /**
   * The slide it works for (a component's slide for a component's job).
   */
  slide_id?: string | null;
  /**
   * The slide's title, for the tray to say which slide (see [`App::describe_jobs`]).
   */
  slide_title?: string | null;
  state: JobState;
  /**
   * The slide or component it works for.
   */
  target?: string | null;
  /**
   * True for a job of the team's queue (run by the team's workers; cancelled and retried
   * through the team server).
   */
  team: boolean;
  updated_at: string;
}
/**
 * Matching pairs, sorting into categories, or ordering steps.
 */
export interface MatchingPayload {
  /**
   * Categories mode: the categories the learner sorts items into.
   */
  categories?: MatchingCategory[];
  /**
   * Pairs mode: extra right-side items that match nothing, to make guessing harder.
   */
  distractors?: MatchingDistractor[];
  /**
   * Instructions shown above the activity, e.g. "Match each stage with where it happens".
   */
  instructions?: string;
  /**
   * Categories mode: the items to sort, each with the category it belongs to.
   */
  items?: CategoryItem[];
  /**
   * Which activity this is; only the lists of this mode are used.
   */
  mode?: MatchingMode & string;
  /**
   * Pairs mode: each left item with its correct right item.
   */
  pairs?: MatchingPair[];
  schema_version?: number;
  /**
   * Order mode: the steps in their correct order (the player shuffles them).
   */
  steps?: OrderStep[];
}
/**
 * A category that items are sorted into.
 */
export interface MatchingCategory {
  /**
   * Unique among the categories; items name their category by it.
   */
  id?: string;
  /**
   * The category's heading, e.g. "C4 plants".
   */
  name?: string;
}
/**
 * A right-side item that is the answer to no left item.
 */
export interface MatchingDistractor {
  /**
   * Shown when the learner matches a left item with this distractor; empty for none.
   */
  feedback?: string;
  /**
   * Unique among pairs and distractors.
   */
  id?: string;
  /**
   * The text shown on the right side.
   */
  text?: string;
}
/**
 * An item the learner sorts into a category.
 */
export interface CategoryItem {
  /**
   * The `id` of the category the item belongs to.
   */
  category?: string;
  /**
   * Shown when the learner puts the item in the wrong category; empty for none.
   */
  feedback?: string;
  /**
   * Unique among the items.
   */
  id?: string;
  /**
   * Where in the lecture this item was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * The item's text, e.g. "Maize".
   */
  text?: string;
}
/**
 * A left item and the right item it matches.
 */
export interface MatchingPair {
  /**
   * Shown when the learner matches the left item wrongly; empty for none.
   */
  feedback?: string;
  /**
   * Names both the left item and its correct right item in a learner's response.
   */
  id?: string;
  /**
   * The left-hand item, e.g. "Calvin cycle".
   */
  left?: string;
  /**
   * Where in the lecture this pair was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * The right-hand item that matches it, e.g. "Stroma".
   */
  right?: string;
}
/**
 * One step of a process, listed in its correct place.
 */
export interface OrderStep {
  /**
   * Shown when the learner puts this step before the step it follows; empty for none.
   */
  feedback?: string;
  /**
   * Unique among the steps.
   */
  id?: string;
  /**
   * Where in the lecture this step was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * What happens in this step.
   */
  text?: string;
}
/**
 * A learner's answer; only the field of the activity's mode is read.
 */
export interface MatchingResponse {
  /**
   * Pairs mode: left item (its pair's id) → the right item chosen (a pair's or a distractor's id).
   */
  matches?: {
    [k: string]: string | undefined;
  };
  /**
   * Order mode: the step ids in the order the learner put them.
   */
  order?: string[];
  /**
   * Categories mode: item id → the id of the category the learner put it in.
   */
  placements?: {
    [k: string]: string | undefined;
  };
}
/**
 * Who the caller's token belongs to.
 */
export interface Me {
  email: string;
  name: string;
}
/**
 * A member of a course.
 */
export interface Member {
  added_at: string;
  email: string;
  name: string;
  role: Role;
}
/**
 * The instructor's preferences (kept by the desktop app, never secrets).
 */
export interface Preferences {
  /**
   * The UI language.
   */
  locale?: UiLocale & string;
  /**
   * Light, dark, or as the system is set.
   */
  theme?: "system" | "light" | "dark";
}
/**
 * Words and phrases the learner practises saying.
 */
export interface PronunciationPayload {
  /**
   * Instructions shown above the words.
   */
  instructions?: string;
  /**
   * The words and phrases, in the order the learner practises them.
   */
  items?: PronunciationItem[];
  /**
   * The language spoken, as a BCP 47 tag such as `en-US`; items may name another.
   */
  language?: string;
  schema_version?: number;
}
/**
 * A word or phrase to say.
 */
export interface PronunciationItem {
  /**
   * A reference recording, by content hash; optional, like shadowing audio, because it is
   * made later by a `reference_audio` job or recorded by the author.
   */
  audio?: AssetRef | null;
  /**
   * Unique among the items; recordings are filed under it.
   */
  id?: string;
  /**
   * The expected pronunciation in IPA, e.g. `/nɪˈɡoʊʃieɪt/`. Optional: when empty, the
   * speech engine's pronunciation of `target` in the item's language is expected, so write
   * it to insist on a particular accent or reading.
   */
  ipa?: string;
  /**
   * The language of this item when it differs from the component's, as a BCP 47 tag.
   */
  language?: string;
  /**
   * Where in the lecture this item was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * The word or phrase as written, e.g. "negotiate".
   */
  target?: string;
  /**
   * A tip on how to say it, e.g. "stress the second syllable: ne-GO-ti-ate".
   */
  tips?: string;
}
/**
 * How a take was said: overall, per word and per expected phone.
 */
export interface PronunciationScore {
  /**
   * 0–100: the phones' mean score, lowered when the take does not fit the words at all
   * (another word, or much speech outside them).
   */
  overall: number;
  /**
   * Each expected phone, in order.
   */
  phones: PhoneScore[];
  /**
   * Each word of the text, in order.
   */
  words: WordScore[];
}
/**
 * One expected phone.
 */
export interface PhoneScore {
  end_ms: number;
  /**
   * The phone expected, in IPA (`l`).
   */
  expected: string;
  /**
   * The same in ARPAbet (`L`).
   */
  expected_arpabet: string;
  /**
   * What was heard instead when the phone was not said right and another phone fits the
   * take better (`ɹ`); the expected phone when it was said right; null when it was not
   * said right but nothing else fits better either.
   */
  heard?: string | null;
  /**
   * Whether it was said right.
   */
  ok: boolean;
  /**
   * 0–100; under 50 when the phone was not said right.
   */
  score: number;
  start_ms: number;
  /**
   * The index of its word in [`PronunciationScore::words`].
   */
  word: number;
}
/**
 * One word of the text.
 */
export interface WordScore {
  end_ms: number;
  /**
   * 0–100.
   */
  score: number;
  /**
   * Where it was found in the take, in ms from its start.
   */
  start_ms: number;
  word: string;
}
/**
 * Questions a learner answers, graded automatically.
 */
export interface QuizPayload {
  /**
   * The questions, in the order the author wrote them.
   */
  questions?: Question[];
  /**
   * Version of this payload's shape; 2 for quizzes written now.
   */
  schema_version?: number;
  /**
   * Show the questions, and the options of each choice question, in a new random order
   * to every learner.
   */
  shuffle?: boolean;
  /**
   * Heading shown above the questions.
   */
  title?: string;
}
/**
 * One question. Fields for other kinds of question must be left empty.
 */
export interface Question {
  /**
   * Short-answer questions: `café` and `cafe` are different answers.
   */
  accent_sensitive?: boolean;
  /**
   * Short-answer questions: every answer accepted as correct.
   */
  accepted_answers?: string[];
  /**
   * True/false questions: whether the statement is true.
   */
  answer?: boolean | null;
  /**
   * Short-answer questions: `Paris` and `paris` are different answers.
   */
  case_sensitive?: boolean;
  /**
   * Shown when the answer is fully correct.
   */
  correct_feedback?: string;
  /**
   * Why the right answer is right, shown after answering.
   */
  explanation?: string;
  /**
   * Short id, unique in the quiz, that learner responses refer to (e.g. `q1`).
   */
  id?: string;
  /**
   * Shown when the answer is wrong or only partly right.
   */
  incorrect_feedback?: string;
  /**
   * How the question is answered.
   */
  kind?: QuestionKind & string;
  /**
   * Choice questions: the options to choose from.
   */
  options?: QuizOption[];
  /**
   * Points for a fully correct answer; more than 0.
   */
  points?: number;
  /**
   * The lecture sentence this question was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * The question, or for true/false the statement, in Markdown.
   */
  text?: string;
}
/**
 * One option of a choice question.
 */
export interface QuizOption {
  /**
   * Whether choosing this option is right.
   */
  correct?: boolean;
  /**
   * Shown to a learner who chose this option.
   */
  feedback?: string;
  /**
   * Short id, unique in the question, that learner responses refer to (e.g. `q1a`).
   */
  id?: string;
  /**
   * The option as the learner sees it.
   */
  text?: string;
}
/**
 * A learner's answers to a quiz.
 */
export interface QuizResponse {
  /**
   * The answer to each question, by question id; questions left out are unanswered.
   */
  answers?: {
    [k: string]: QuizAnswer | undefined;
  };
}
/**
 * The library's link to the team server, as settings show it.
 */
export interface RemoteView {
  /**
   * Whom the token belongs to.
   */
  email?: string | null;
  /**
   * The token is read from this file (command line); none: the keyring.
   */
  token_file?: string | null;
  url: string;
}
/**
 * A slide: what the learner sees, and the narration the instructor speaks over it.
 */
export interface Slide {
  /**
   * On-screen content in Markdown.
   */
  body: string;
  created_at: string;
  id: string;
  /**
   * The slide's image, by content hash.
   */
  image?: AssetRef | null;
  /**
   * Notes for the instructor only: never shown to learners or narrated.
   */
  instructor_notes?: string;
  layout: SlideLayout;
  lesson_id: string;
  /**
   * The slide's narration audio, by content hash.
   */
  narration?: AssetRef | null;
  /**
   * Orders it among its siblings, byte order, ties by id; see `crate::order`.
   */
  order_key?: string;
  /**
   * Derived when read: the zero-based place among the lesson's slides sorted by
   * (`order_key`, `id`). Never stored; writing it moves nothing.
   */
  position: number;
  /**
   * The narration script (speaker notes), spoken over the slide. A key term may be set
   * in bold (`**BATNA**`) for the drafter to find; it is spoken as [`spoken`] gives it.
   */
  speaker_notes: string;
  title: string;
  updated_at: string;
  version: number;
}
/**
 * Summary cards a learner reads before moving on.
 */
export interface ReviewPayload {
  cards?: ReviewCard[];
  schema_version?: number;
  /**
   * Heading shown above the cards.
   */
  title?: string;
}
/**
 * One summary card.
 */
export interface ReviewCard {
  heading?: string;
  /**
   * Key points, one per entry, in Markdown.
   */
  points?: string[];
  provenance?: Provenance | null;
}
/**
 * One saved version of a slide, component, lesson or course.
 */
export interface Revision {
  /**
   * What the save did.
   */
  change: ChangeKind;
  created_at: string;
  /**
   * The entity as it was saved in this version.
   */
  data: unknown;
  entity_id: string;
  entity_type: string;
  /**
   * For a restore: the version it brought back.
   */
  restored_from?: number | null;
  version: number;
}
/**
 * What changed between two versions of a slide or component.
 */
export interface RevisionDiff {
  from_version: number;
  id: string;
  lines: DiffLine[];
  to_version: number;
}
/**
 * One line of a revision diff.
 */
export interface DiffLine {
  change: DiffChange;
  /**
   * `field: value`, with nested fields named by their path (`questions/0/text`).
   */
  text: string;
}
/**
 * A conversation the learner holds with a persona, judged by a rubric.
 */
export interface RoleplayPayload {
  /**
   * What the learner must achieve in the conversation.
   */
  learner_goal?: string;
  /**
   * The part the learner plays, e.g. "Buyer at Greenfield Foods".
   */
  learner_role?: string;
  /**
   * Whether the persona follows the turns written here or is played by a language model.
   */
  mode?: RoleplayMode & string;
  /**
   * The persona's first line, which starts the conversation.
   */
  opening_line?: string;
  /**
   * Who the learner talks to.
   */
  persona?: Persona;
  /**
   * How the learner's performance is judged.
   */
  rubric?: Rubric;
  /**
   * The situation, as the learner reads it before starting.
   */
  scenario?: string;
  /**
   * Version of this payload's shape.
   */
  schema_version?: number;
  /**
   * Heading shown above the roleplay.
   */
  title?: string;
  /**
   * Scripted mode: the conversation turn by turn. AI-driven mode: an optional example.
   */
  turns?: Turn[];
}
/**
 * The character the learner talks to.
 */
export interface Persona {
  /**
   * The persona's name, e.g. "Daniel Price".
   */
  name?: string;
  /**
   * Personality and speaking style, for the language model or the instructor playing the part.
   */
  personality?: string;
  /**
   * The persona's job or part, e.g. "Sales manager at a packaging supplier".
   */
  role?: string;
}
/**
 * The criteria the learner is judged on.
 */
export interface Rubric {
  /**
   * The criteria, each weighted.
   */
  criteria?: Criterion[];
}
/**
 * One thing the learner is judged on, with the levels a judge chooses from.
 */
export interface Criterion {
  /**
   * What is judged, e.g. "Confirms figures by paraphrasing them".
   */
  description?: string;
  /**
   * Short id, unique in the rubric, that ratings refer to (e.g. `clarifying`).
   */
  id?: string;
  /**
   * The levels of performance, each with its own score.
   */
  levels?: Level[];
  /**
   * The criterion's share of the total; more than 0.
   */
  weight?: number;
}
/**
 * One level of performance on a criterion.
 */
export interface Level {
  /**
   * What performance at this level looks like; shown to the learner as feedback.
   */
  descriptor?: string;
  /**
   * The level's score, 0 or more; it identifies the level in a rating.
   */
  score?: number;
}
/**
 * One turn of a scripted conversation.
 */
export interface Turn {
  /**
   * Learner turns: key phrases the learner is expected to use.
   */
  expected_phrases?: string[];
  /**
   * Learner turns: hints the learner can reveal.
   */
  hints?: string[];
  /**
   * Short id, unique in the roleplay (e.g. `t1`).
   */
  id?: string;
  /**
   * The lecture sentence this turn was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * Who speaks.
   */
  speaker?: Speaker & string;
  /**
   * What the persona says, or for a learner turn a model answer.
   */
  text?: string;
}
/**
 * The level chosen for each criterion, by the instructor or an AI judge.
 */
export interface RoleplayResponse {
  /**
   * The score of the chosen level, by criterion id; criteria left out are unrated.
   */
  levels?: {
    [k: string]: number | undefined;
  };
}
/**
 * A save, as the desktop app hears of it: which entity, its new version and what changed.
 */
export interface Saved {
  /**
   * What the save did.
   */
  change: ChangeKind;
  entity_id: string;
  /**
   * `course`, `lesson`, `slide` or `component`.
   */
  entity_type: string;
  /**
   * A slide's lesson.
   */
  lesson_id?: string | null;
  /**
   * For a restore: the version it brought back.
   */
  restored_from?: number | null;
  /**
   * Its number among the library's saves, in order.
   */
  seq: number;
  /**
   * A component's slide.
   */
  slide_id?: string | null;
  version: number;
}
/**
 * Sentences the learner listens to and repeats, shadowing the speaker.
 */
export interface ShadowingPayload {
  /**
   * Instructions shown above the sentences.
   */
  instructions?: string;
  /**
   * The sentences, in the order the learner practises them.
   */
  items?: ShadowingItem[];
  /**
   * The language spoken, as a BCP 47 tag such as `en-US`; items may name another.
   */
  language?: string;
  /**
   * Playback speeds the learner can choose, as multiples of normal speed (e.g. 0.75, 1);
   * empty offers normal speed only.
   */
  playback_rates?: number[];
  /**
   * How many times the learner repeats each sentence.
   */
  repetitions?: number;
  schema_version?: number;
}
/**
 * One sentence to shadow.
 */
export interface ShadowingItem {
  /**
   * The reference recording, by content hash.
   *
   * Optional even in a ready component: the audio is made from `text` and the language
   * by a `reference_audio` job that may finish long after the author is done, or be
   * replaced by the author's own recording. Whether it exists is a question about assets,
   * checked when the lesson is exported; here only a given reference is checked.
   */
  audio?: AssetRef | null;
  /**
   * Unique among the items; recordings are filed under it.
   */
  id?: string;
  /**
   * The language of this sentence when it differs from the component's, as a BCP 47 tag.
   */
  language?: string;
  /**
   * Where in the lecture this sentence was drafted from.
   */
  provenance?: Provenance | null;
  /**
   * The sentence as spoken in the reference audio.
   */
  text?: string;
  /**
   * A translation or gloss shown on request, e.g. in Korean.
   */
  translation?: string;
}
/**
 * The scores (0 to 100) and the measurements behind them.
 */
export interface ShadowingScore {
  attempt_ms: number;
  distance: number;
  feedback: Feedback[];
  /**
   * `None` when either recording has too little voiced speech to follow its pitch.
   */
  intonation?: number | null;
  overall: number;
  pace: number;
  pauses: number;
  pitch_correlation?: number | null;
  pitch_range_ratio?: number | null;
  reference_ms: number;
  /**
   * How much the attempt sounds like the reference (the same sounds in the same order).
   */
  similarity: number;
}
/**
 * The changes an instructor made to a slide's text; a missing field is left as it is.
 */
export interface SlideChanges {
  /**
   * Markdown.
   */
  body?: string | null;
  /**
   * Notes for the instructor only.
   */
  instructor_notes?: string | null;
  layout?: SlideLayout | null;
  /**
   * What the narration says.
   */
  speaker_notes?: string | null;
  title?: string | null;
}
/**
 * What the engines made for a slide: its rendered page (with a thumbnail) and narration.
 */
export interface SlideMedia {
  /**
   * The narration's captions: a cue per sentence of the slide's narration script, timed
   * from the audio (as the exported player shows them).
   */
  captions: Cue[];
  narration?: Media | null;
  render?: Media | null;
  slide_id: string;
  thumbnail?: Media | null;
}
/**
 * One caption: a sentence and when it is spoken.
 */
export interface Cue {
  end_ms: number;
  start_ms: number;
  text: string;
}
/**
 * A stored file the UI can show or play, by the sha256 of its bytes.
 */
export interface Media {
  duration_ms?: number | null;
  media_type: string;
  sha256: string;
}
/**
 * A slide's small picture, for the filmstrip.
 */
export interface SlidePicture {
  slide_id: string;
  thumbnail: Media;
}
/**
 * What a sync of one course did, or why it stopped.
 */
export interface SyncOutcome {
  course_id: string;
  /**
   * The code and sentence of the failure, when it failed.
   */
  error?: WireError | null;
  report?: SyncReport | null;
}
/**
 * An error as it crosses to the UI or a `--json` caller.
 */
export interface WireError {
  /**
   * Stable: the UI matches on it, never on the message.
   */
  code: ErrorCode;
  details: unknown;
  message: string;
}
/**
 * What one sync did.
 */
export interface SyncReport {
  /**
   * Conflicts the push produced.
   */
  conflicts: number;
  /**
   * Assets downloaded.
   */
  downloaded: number;
  /**
   * Takes of what was made here for slides (rendered pages, narration) the server took.
   */
  outputs_sent: number;
  /**
   * Takes the server had no use for: made from a slide that has changed there since, so
   * the team makes its own.
   */
  outputs_stale: number;
  /**
   * Changes pulled (entities and conflicts).
   */
  pulled: number;
  /**
   * Outbox rows the server acknowledged.
   */
  pushed: number;
  /**
   * Outbox rows the server refused and that were set aside, with the reason.
   */
  set_aside: string[];
  /**
   * Assets uploaded.
   */
  uploaded: number;
}
/**
 * A course the caller is a member of.
 */
export interface TeamCourse {
  id: string;
  role: Role;
  /**
   * The course's change-log position.
   */
  seq: number;
  title: string;
  updated_at: string;
  version: number;
}
/**
 * The team state the desktop header shows.
 */
export interface TeamStatus {
  /**
   * Open conflicts in every team course.
   */
  conflicts: number;
  connection: Connection;
  courses: CourseSync[];
  /**
   * Why the last sync did not go through.
   */
  last_error?: WireError | null;
  /**
   * When a sync last went through.
   */
  last_sync?: string | null;
  /**
   * While offline: when the next attempt is made.
   */
  next_attempt?: string | null;
  /**
   * The server's address and whom the token belongs to.
   */
  remote?: RemoteView | null;
  /**
   * A sync is running now.
   */
  syncing: boolean;
  /**
   * Edits of every team course that the server has not acknowledged yet.
   */
  waiting: number;
}
/**
 * One course's sync state, for the header and `classkit sync`.
 */
export interface CourseSync {
  /**
   * Open conflicts.
   */
  conflicts: number;
  course_id: string;
  last_error?: string | null;
  last_sync?: string | null;
  role: string;
  title: string;
  /**
   * Edits made here that the server has not acknowledged yet.
   */
  waiting: number;
}
/**
 * Serving the team's queue, as set.
 */
export interface TeamWorkerView {
  /**
   * Jobs run at once.
   */
  concurrency: number;
  redis_url: string;
}
/**
 * The answer to an undo or redo: the edit it took back or made again (none when there was
 * nothing to do), and what can be undone and redone next.
 */
export interface UndoOutcome {
  done?: EditSummary | null;
  state: UndoState;
}
/**
 * What can be undone and redone in a course now.
 */
export interface UndoState {
  redo?: EditSummary | null;
  undo?: EditSummary | null;
}

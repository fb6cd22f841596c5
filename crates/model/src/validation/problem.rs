//! Every sentence validation can say, each with a stable code and the values it names.
//!
//! One table below holds them all: a [`Problem`] variant per sentence, with the values the
//! sentence interpolates as its fields, and the English sentence as a `format!` template. From
//! that one table come the wire code ([`IssueCode`]), the values ([`super::IssueParams`]) and
//! the English message, so the three cannot disagree: `format!` refuses a template that names a
//! value the variant lacks or leaves one of its values out. A client that speaks another
//! language matches on the code and fills its own sentence from the params (the desktop UI's
//! Korean sentences are in `ui/src/lib/i18n/issues.ts`, typed to cover every code).

use super::params::{IssueParams, ItemName, Param};
use crate::component::ComponentType;
use crate::components::matching::MatchingMode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! problems {
    ($( $variant:ident $({ $($field:ident : $ty:ty),+ })? = $template:literal; )+) => {
        /// What is wrong, as a stable code that clients match on (never on the message).
        ///
        /// Each code's description is its English sentence, in which `{name}` stands for the
        /// value `name` of the issue's `params`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum IssueCode {
            $( #[doc = $template] $variant, )+
        }

        impl IssueCode {
            /// Every code, in the order they are declared.
            pub const ALL: &'static [IssueCode] = &[$(IssueCode::$variant,)+];

            /// The English sentence, with `{name}` where the value `name` goes.
            pub fn template(self) -> &'static str {
                match self { $(IssueCode::$variant => $template,)+ }
            }

            /// The names of the values the sentence interpolates, in declaration order.
            pub fn param_names(self) -> &'static [&'static str] {
                match self { $(IssueCode::$variant => &[$($(stringify!($field)),+)?],)+ }
            }
        }

        /// One problem, with the values its sentence names; build issues from these.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Problem {
            $( #[doc = $template] $variant $({ $($field: $ty),+ })?, )+
        }

        impl Problem {
            /// The stable code of the sentence.
            pub fn code(&self) -> IssueCode {
                match self { $(Problem::$variant { .. } => IssueCode::$variant,)+ }
            }

            /// The values the sentence names, as they go on the wire.
            pub fn params(&self) -> IssueParams {
                match self {
                    $(Problem::$variant $({ $($field),+ })? => IssueParams {
                        $($($field: Param::wire($field),)+)?
                        ..IssueParams::default()
                    },)+
                }
            }

            /// The sentence in English, with the values filled in.
            pub fn message(&self) -> String {
                match self {
                    $(Problem::$variant $({ $($field),+ })? =>
                        format!($template $(, $($field = $field),+)?),)+
                }
            }

            /// One problem of every code, with made-up values.
            #[cfg(test)]
            pub(super) fn examples() -> Vec<Problem> {
                use crate::validation::problem::tests::Example;
                vec![$(Problem::$variant $({ $($field: <$ty as Example>::example()),+ })?,)+]
            }

            /// Each value the sentence names, by name, as the English sentence shows it.
            #[cfg(test)]
            pub(super) fn shown(&self) -> Vec<(&'static str, String)> {
                match self {
                    $(Problem::$variant $({ $($field),+ })? =>
                        vec![$($((stringify!($field), $field.to_string())),+)?],)+
                }
            }
        }
    };
}

problems! {
    // Any text, id, file or language.
    TextTooLong { count: usize, max: usize } =
        "this text is {count} characters long; the limit is {max}";
    IdMissing { item: ItemName } = "every {item} needs an id";
    IdNotPlain { id: String, max: usize } =
        "the id \"{id}\" may use only letters a-z and A-Z, digits, \"-\" and \"_\", at most {max} characters";
    IdTaken { id: String, item: ItemName, first: usize } =
        "the id \"{id}\" is already used by {item} {first}";
    TextRepeated { text: String, item: ItemName, first: usize } =
        "\"{text}\" already appears in {item} {first}";
    AssetNotStored { asset: String } =
        "\"{asset}\" is not a stored asset; choose the file again (a reference is the 64-character sha256 of the file)";
    LanguageTagSpelling { suggestion: String } = "write the language tag as \"{suggestion}\"";
    NotALanguageTag { tag: String } =
        "\"{tag}\" is not a language tag; use a tag such as \"en\", \"en-GB\" or \"ko\"";
    LanguageMissing = "choose the language spoken, as a tag such as en-US";
    SourceQuoteMissing = "the source sentence is missing";
    SourceRangeMismatch { start: u64, end: u64, bytes: usize } =
        "the source range {start}..{end} does not fit the quoted sentence ({bytes} bytes)";
    NulCharacter =
        "this text contains a NUL character (U+0000), which cannot be stored; remove it";
    NulInFieldName = "this field's name contains a NUL character";
    CourseNeedsTitle = "a course needs a title";
    ImageAltMissing = "describe the image for learners who cannot see it";
    AcceptedAnswerEmpty = "an accepted answer cannot be empty";

    // Reading a payload.
    PayloadNotAnObject = "a component payload must be a JSON object";
    SchemaVersionInvalid = "the schema version must be a whole number from 1";
    SchemaVersionTooNew { version: u32, component_type: ComponentType, supported: u32 } =
        "this payload was written by a newer ClassKit Studio (schema version {version}); this version reads {component_type} payloads up to version {supported}";
    SchemaVersionUnknown { component_type: ComponentType, version: u32 } =
        "{component_type} payloads have no schema version {version}";
    UnknownField { field: String, detail: String } = "{field} is not a field here ({detail})";
    MissingField { field: String } = "the required field {field} is missing";
    WrongForm { detail: String } = "this field has the wrong form: {detail}";

    // REVIEW.
    ReviewNeedsCard = "a review needs at least one card";
    CardNeedsHeading = "a card needs a heading";
    CardNeedsKeyPoint = "a card needs at least one key point";
    KeyPointEmpty = "a key point cannot be empty";

    // QUIZ.
    QuizNeedsQuestion = "a quiz needs at least one question";
    QuestionNeedsText = "a question needs text";
    QuestionPointsNotPositive = "a question must be worth more than 0 points";
    OptionsOnlyForChoice =
        "only choice questions have options; remove them or change the kind of question";
    TrueFalseNeedsAnswer = "choose whether the statement is true or false";
    AnswerOnlyForTrueFalse =
        "only true/false questions have a true-or-false answer; remove it or change the kind of question";
    ShortAnswerNeedsAnswer = "a short-answer question needs at least one accepted answer";
    AcceptedAnswersOnlyForShortAnswer =
        "only short-answer questions have accepted answers; remove them or change the kind of question";
    QuestionNeedsTwoOptions = "a question needs at least two options";
    SingleChoiceNoneCorrect =
        "a single-choice question needs exactly one correct option; none is marked";
    SingleChoiceManyCorrect { count: usize } =
        "a single-choice question needs exactly one correct option; {count} are marked (make it multiple choice if several are right)";
    MultipleChoiceNoneCorrect = "a multiple-choice question needs at least one correct option";
    OptionNeedsText = "an option needs text";
    OptionTextRepeated { first: usize } = "this option has the same text as option {first}";

    // ROLEPLAY.
    ScenarioMissing = "describe the scenario";
    PersonaNameMissing = "the persona needs a name";
    LearnerGoalMissing = "state what the learner must achieve";
    RubricNeedsCriterion = "a rubric needs at least one criterion";
    ScriptNeedsTurns = "a scripted roleplay needs its turns written out";
    ScriptNeedsLearnerTurn = "a scripted roleplay needs at least one learner turn";
    TurnNeedsText = "a turn needs text";
    ExpectedPhrasesOnlyForLearner =
        "only learner turns have expected phrases; remove them or make this a learner turn";
    HintsOnlyForLearner = "only learner turns have hints; remove them or make this a learner turn";
    ExpectedPhraseEmpty = "an expected phrase cannot be empty";
    HintEmpty = "a hint cannot be empty";
    CriterionNeedsDescription = "a criterion needs a description";
    CriterionWeightNotPositive = "a criterion's weight must be more than 0";
    CriterionNeedsLevel = "a criterion needs at least one level";
    BestLevelNotPositive = "the best level must score more than 0";
    LevelScoreNegative = "a level's score must be 0 or more";
    LevelScoreRepeated { first: usize } =
        "level {first} has the same score; each level needs its own score";
    LevelNeedsDescriptor = "a level needs a descriptor";

    // SHADOWING.
    PlaybackRateOutOfRange { rate: f64 } =
        "{rate} is not a playback speed a player offers; choose from 0.5 to 2 (1 is normal speed)";
    PlaybackRateRepeated { rate: f64 } = "the speed {rate} is already offered";
    RepetitionsOutOfRange { max: usize } = "ask for 1 to {max} repetitions of each sentence";
    ShadowingNeedsSentence = "add at least one sentence to shadow";
    ShadowingSentenceMissing = "write the sentence the learner repeats";

    // PRONUNCIATION.
    PronunciationNeedsItem = "add at least one word or phrase to practise";
    PronunciationTargetMissing = "write the word or phrase the learner says";
    IpaDigit { symbol: char } =
        "IPA does not use digits such as \"{symbol}\"; write stress with ˈ and ˌ, and tones with tone letters such as ˥ ˧ ˩";
    IpaApostrophe = "write stress with ˈ (primary) or ˌ (secondary) rather than an apostrophe";
    IpaColon = "write a long sound with ː rather than a colon";
    IpaUnknownSymbol { symbol: char } = "\"{symbol}\" is not an IPA symbol";

    // FLASHCARDS.
    DeckNeedsCard = "a deck needs at least one card";
    CardNeedsTerm = "a card needs a term";
    TermRepeated { first: usize } = "card {first} already has this term";
    CardNeedsDefinition = "a card needs a definition";

    // CLOZE.
    ClozeNeedsBlank =
        "the text needs at least one blank, written as [[id]] with the id of a blank";
    MarkerNotPlain { marker: String } =
        "[[{marker}]] is not a blank marker; write [[id]] with the id of a blank (letters, digits, - and _)";
    MarkerWithoutBlank { marker: String } = "[[{marker}]] has no blank with the id \"{marker}\"";
    MarkerRepeated { marker: String, count: usize } =
        "[[{marker}]] appears {count} times; each blank is used exactly once";
    BlankNotInText { id: String } =
        "the blank \"{id}\" is not in the text; write [[{id}]] where it belongs";
    BlankNeedsAnswer = "a blank needs at least one accepted answer";
    DistractorEmpty = "a distractor cannot be empty";
    DistractorIsAnswer = "this distractor is also an accepted answer of the blank";

    // MATCHING.
    MatchingNeedsTwoPairs = "matching needs at least two pairs";
    PairLeftMissing = "write the left-hand item";
    PairRightMissing = "write the right-hand item that matches the left one";
    DistractorTextMissing = "write the distractor's text, or remove it";
    SortingNeedsTwoCategories = "sorting needs at least two categories";
    CategoryNameMissing = "write the category's name";
    SortItemTextMissing = "write the item's text";
    ItemCategoryMissing = "choose the category this item belongs to";
    NoSuchCategory { id: String } = "there is no category \"{id}\"";
    CategoryEmpty = "no item belongs to this category; each category needs at least one item";
    OrderingNeedsTwoSteps = "ordering needs at least two steps";
    StepTextMissing = "describe the step";
    PairsInWrongMode { mode: MatchingMode } =
        "pairs belong to pairs mode, but this activity is in {mode} mode; remove them or switch the mode";
    DistractorsInWrongMode { mode: MatchingMode } =
        "distractors belong to pairs mode, but this activity is in {mode} mode; remove them or switch the mode";
    CategoriesInWrongMode { mode: MatchingMode } =
        "categories belong to categories mode, but this activity is in {mode} mode; remove them or switch the mode";
    ItemsInWrongMode { mode: MatchingMode } =
        "items to sort belong to categories mode, but this activity is in {mode} mode; remove them or switch the mode";
    StepsInWrongMode { mode: MatchingMode } =
        "steps belong to order mode, but this activity is in {mode} mode; remove them or switch the mode";

    // HOTSPOT.
    HotspotPromptMissing = "write the question the learner answers by clicking the image";
    HotspotImageMissing = "choose the image the learner works on";
    ImageSizeZero = "an image is at least 1 pixel in each direction";
    LabellingNeedsTwoRegions = "labelling needs at least two regions";
    HotspotNeedsRegion = "add at least one region";
    RegionLabelMissing = "write the label the learner drags onto this region";
    LabelRepeated { text: String, first: usize } =
        "\"{text}\" already labels region {first}; each label must be different";
    RegionNameMissing = "write the name shown when the learner opens this region";
    RegionShapeMissing = "draw the region on the image";
    FindNeedsCorrectRegion = "mark at least one region as a correct answer to the prompt";
    HorizontalOutsideImage { coordinate: String, value: f64 } =
        "{coordinate} is {value}, outside the image; it runs from 0 (left edge) to 1 (right edge)";
    VerticalOutsideImage { coordinate: String, value: f64 } =
        "{coordinate} is {value}, outside the image; it runs from 0 (top edge) to 1 (bottom edge)";
    WidthNotPositive = "the width must be greater than zero";
    HeightNotPositive = "the height must be greater than zero";
    RadiusXNotPositive = "the horizontal radius must be greater than zero";
    RadiusYNotPositive = "the vertical radius must be greater than zero";
    RectanglePastRightEdge = "the rectangle runs past the right edge of the image";
    RectanglePastBottomEdge = "the rectangle runs past the bottom edge of the image";
    EllipsePastSideEdge = "the ellipse runs past the left or right edge of the image";
    EllipsePastTopOrBottomEdge = "the ellipse runs past the top or bottom edge of the image";
    PointOutsideImage { x: f64, y: f64 } =
        "the point ({x}, {y}) is outside the image; both coordinates run from 0 to 1";
    PolygonNeedsThreePoints = "a polygon needs at least three points";
    PolygonHasNoArea = "the polygon has no area: its points lie on one line";

    // BRANCHING.
    StartMissing = "choose the node the scenario starts at";
    StartIsEnd =
        "the scenario cannot start at an end node; the learner would have nothing to decide";
    NoSuchNode { id: String } = "there is no node \"{id}\"";
    BranchingNeedsNodes = "add the situations of the scenario and at least one end";
    EndOutcomeMissing = "write the outcome the learner reads at this end";
    SituationTextMissing = "describe the situation the learner faces here";
    EndHasChoices = "an end node cannot have choices; remove them or make the node a situation";
    SituationNeedsChoice = "give the learner at least one choice here, or make this node an end";
    ChoiceIdTaken { id: String, first: usize, node: String } =
        "the id \"{id}\" is already used by choice {first} of node \"{node}\"";
    ChoiceIdTakenAtNode { id: String, first: usize, node_number: usize } =
        "the id \"{id}\" is already used by choice {first} of node {node_number}";
    ChoiceTextMissing = "write what the learner says or does with this choice";
    ChoiceTargetMissing = "choose the node this choice leads to";
    NoEndReachable =
        "no end can be reached from the start; link a choice to a node marked as an end";
    NodeUnreachable = "no path from the start leads here, so learners never see this node";
    NodeCannotFinish { node: String } =
        "a learner who reaches node \"{node}\" can never get to an end: every choice from here leads only to nodes that do not end";
    NodeAtCannotFinish { node_number: usize } =
        "a learner who reaches node {node_number} can never get to an end: every choice from here leads only to nodes that do not end";
    ScoringLoop { path: String, total: i64 } =
        "going round the loop {path} earns {total} points each time, so a learner could collect points without limit; make the points on this loop add up to zero or less";
    ScoringLoopOnePoint { path: String } =
        "going round the loop {path} earns 1 point each time, so a learner could collect points without limit; make the points on this loop add up to zero or less";

    // DICTATION.
    DictationNeedsSentence = "a dictation needs at least one sentence";
    SentenceNeedsText = "a sentence needs text";
    SentenceHasNoWords = "this sentence has no words to type once punctuation is ignored";

    // The library.
    FileNotInLibrary = "this file is not in the library; add it again";
    UsedFileNotInLibrary = "a file it uses is not in the library";
}

impl Problem {
    /// A repeated loop of points: `total` points each time round `path`.
    pub fn scoring_loop(path: String, total: i64) -> Self {
        if total == 1 {
            Self::ScoringLoopOnePoint { path }
        } else {
            Self::ScoringLoop { path, total }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// A made-up value of a type a sentence names.
    pub(crate) trait Example {
        fn example() -> Self;
    }

    impl Example for usize {
        fn example() -> Self {
            3
        }
    }
    impl Example for u32 {
        fn example() -> Self {
            2
        }
    }
    impl Example for u64 {
        fn example() -> Self {
            7
        }
    }
    impl Example for i64 {
        fn example() -> Self {
            -4
        }
    }
    impl Example for f64 {
        fn example() -> Self {
            0.25
        }
    }
    impl Example for char {
        fn example() -> Self {
            '5'
        }
    }
    impl Example for String {
        fn example() -> Self {
            "b-2".into()
        }
    }
    impl Example for ItemName {
        fn example() -> Self {
            ItemName::Option
        }
    }
    impl Example for MatchingMode {
        fn example() -> Self {
            MatchingMode::Order
        }
    }
    impl Example for ComponentType {
        fn example() -> Self {
            ComponentType::Quiz
        }
    }

    /// The `{name}` placeholders of a template.
    fn placeholders(template: &str) -> BTreeSet<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_code_has_one_example_in_declaration_order() {
        let codes: Vec<IssueCode> = Problem::examples().iter().map(Problem::code).collect();
        assert_eq!(codes, IssueCode::ALL);
    }

    #[test]
    fn every_template_names_exactly_the_params_its_issue_carries() {
        for problem in Problem::examples() {
            let code = problem.code();
            let declared: BTreeSet<&str> = code.param_names().iter().copied().collect();
            assert_eq!(placeholders(code.template()), declared, "{code:?}");
            let json = serde_json::to_value(problem.params()).expect("params as JSON");
            let sent: BTreeSet<&str> = json
                .as_object()
                .expect("params are an object")
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(sent, declared, "{code:?}");
        }
    }

    #[test]
    fn every_message_is_its_template_with_the_values_filled_in() {
        for problem in Problem::examples() {
            let mut expected = problem.code().template().to_string();
            for (name, shown) in problem.shown() {
                expected = expected.replace(&format!("{{{name}}}"), &shown);
            }
            assert_eq!(problem.message(), expected, "{:?}", problem.code());
        }
    }

    /// The code as it is written on the wire.
    fn wire_name(code: IssueCode) -> String {
        match serde_json::to_value(code).expect("code as JSON") {
            serde_json::Value::String(name) => name,
            other => panic!("{code:?} is written as {other}"),
        }
    }

    #[test]
    fn codes_are_unique_snake_case_and_read_back() {
        let mut seen = BTreeSet::new();
        for &code in IssueCode::ALL {
            let name = wire_name(code);
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
            assert!(seen.insert(name.clone()), "{name} twice");
            let back: IssueCode =
                serde_json::from_value(serde_json::Value::String(name)).expect("read back");
            assert_eq!(back, code);
        }
    }

    #[test]
    fn the_schema_describes_each_code_by_its_english_sentence() {
        let schema = crate::schema::schema_of::<IssueCode>();
        let variants = schema["oneOf"].as_array().expect("one schema per code");
        assert_eq!(variants.len(), IssueCode::ALL.len());
        for (variant, code) in variants.iter().zip(IssueCode::ALL) {
            assert_eq!(variant["const"], wire_name(*code).as_str());
            assert_eq!(variant["description"], code.template());
        }
    }

    #[test]
    fn a_loop_worth_one_point_says_point() {
        let path = "\"a\" → \"b\" → \"a\"".to_string();
        let one = Problem::scoring_loop(path.clone(), 1);
        assert_eq!(one.code(), IssueCode::ScoringLoopOnePoint);
        assert!(one.message().contains("earns 1 point each time"));
        let two = Problem::scoring_loop(path, 2);
        assert_eq!(two.params().total, Some(2));
        assert!(two.message().contains("earns 2 points each time"));
    }
}

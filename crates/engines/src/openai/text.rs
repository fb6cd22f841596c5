//! Drafts and outlines from a chat model with JSON-Schema structured output, validated and
//! repaired.

use super::Client;
use crate::drafts::{DraftFailure, DraftRequest, Drafted, TextDraft, TextGen, Usage};
use crate::outline::LectureOutline;
use crate::price::PriceTable;
use async_trait::async_trait;
use classkit_jobs::JobError;
use classkit_model::{AssetRef, ComponentType, check_payload};
use serde_json::{Value, json};

/// How many times the validation problems of an answer are sent back for a new one.
pub const MAX_REPAIRS: u32 = 2;
/// Changes when the prompts change, so cached drafts are made again.
const PROMPT_VERSION: &str = "openai-prompts-1";
/// Most problems listed in a repair request or an error.
const MAX_PROBLEMS_SHOWN: usize = 20;

/// A chat model on an OpenAI-compatible server, as a [`TextGen`].
#[derive(Debug, Clone)]
pub struct OpenAiText {
    client: Client,
    price: PriceTable,
}

/// One answer of the model.
struct Answer {
    content: String,
    usage: Usage,
}

impl OpenAiText {
    pub fn new(client: Client, price: PriceTable) -> Self {
        Self { client, price }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// One chat completion constrained by `schema`. A failure after the server answered
    /// carries the usage it reported (that call is paid for).
    async fn chat(
        &self,
        messages: &[Value],
        name: &str,
        schema: &Value,
    ) -> Result<Answer, (JobError, Usage)> {
        // No temperature: reasoning models refuse any but the default.
        let body = json!({
            "model": self.client.model(),
            "messages": messages,
            "response_format": {
                "type": "json_schema",
                // Not `strict`: OpenAI's strict mode needs every property required, and the
                // model crate's payloads have optional fields. The answer is validated here.
                "json_schema": {"name": name, "schema": schema, "strict": false},
            },
        });
        let answer = self
            .client
            .post_json("chat/completions", &body)
            .await
            .map_err(|e| (e, Usage::default()))?;
        let choice = &answer["choices"][0];
        let message = &choice["message"];
        let content = message["content"].as_str();
        let reported = |k: &str| answer["usage"][k].as_u64();
        let usage = match (reported("prompt_tokens"), reported("completion_tokens")) {
            (Some(input_tokens), Some(output_tokens)) => Usage {
                input_tokens,
                output_tokens,
                estimated: false,
            },
            // Some servers leave usage out; about four characters make a token.
            _ => Usage {
                input_tokens: messages
                    .iter()
                    .map(|m| m["content"].as_str().map_or(0, str::len) as u64)
                    .sum::<u64>()
                    .div_ceil(4),
                output_tokens: (content.map_or(0, str::len) as u64).div_ceil(4),
                estimated: true,
            },
        };
        if let Some(refusal) = message["refusal"].as_str().filter(|r| !r.trim().is_empty()) {
            return Err((
                JobError::permanent(format!(
                    "{} declined to draft: {}",
                    self.client.id(),
                    super::excerpt(refusal)
                )),
                usage,
            ));
        }
        if choice["finish_reason"] == "length" {
            return Err((
                JobError::permanent(format!(
                    "{}'s answer was cut off at its length limit; choose a model with a longer \
                     output, or a shorter slide",
                    self.client.id()
                )),
                usage,
            ));
        }
        let Some(content) = content else {
            return Err((
                JobError::retryable(format!(
                    "{} answered chat/completions without a message: {}",
                    self.client.id(),
                    super::excerpt(&answer.to_string())
                )),
                usage,
            ));
        };
        Ok(Answer {
            content: content.to_string(),
            usage,
        })
    }

    /// Asks for JSON fitting `schema`; `check` turns an answer into the result or lists its
    /// problems, which are sent back for up to [`MAX_REPAIRS`] new answers.
    async fn structured<T>(
        &self,
        name: &str,
        schema: &Value,
        system: String,
        user: String,
        check: impl Fn(&str) -> Result<T, Vec<String>>,
    ) -> Result<(T, Usage, u32), DraftFailure> {
        let mut messages = vec![
            json!({"role": "system", "content": system}),
            json!({"role": "user", "content": user}),
        ];
        let mut usage = Usage::default();
        let mut problems = Vec::new();
        for call in 1..=MAX_REPAIRS + 1 {
            let answer = match self.chat(&messages, name, schema).await {
                Ok(a) => a,
                Err((error, paid)) => {
                    usage.add(paid);
                    return Err(DraftFailure {
                        error,
                        cost_micros: self.cost(usage),
                    });
                }
            };
            usage.add(answer.usage);
            match check(&answer.content) {
                Ok(result) => return Ok((result, usage, call)),
                Err(found) => {
                    problems = found;
                    messages.push(json!({"role": "assistant", "content": answer.content}));
                    messages.push(json!({"role": "user", "content": repair_request(&problems)}));
                }
            }
        }
        Err(DraftFailure {
            error: JobError::permanent(format!(
                "{} gave no valid {name} in {} tries; the last answer's problems: {}",
                self.client.id(),
                MAX_REPAIRS + 1,
                list(&problems)
            )),
            cost_micros: self.cost(usage),
        })
    }

    fn cost(&self, usage: Usage) -> i64 {
        self.price
            .tokens_micros(usage.input_tokens, usage.output_tokens)
    }

    /// A course outline of `lecture`.
    pub async fn outline(
        &self,
        lecture: &str,
    ) -> Result<(LectureOutline, Usage, i64), DraftFailure> {
        if lecture.trim().is_empty() {
            return Err(JobError::permanent("there is no lecture text to outline").into());
        }
        let schema = response_schema(crate_schema::<LectureOutline>());
        let system = "You turn an instructor's lecture into a course outline for ClassKit Studio. \
            Split it into lessons and slides in teaching order. Each slide has a short title, up to \
            six short bullet points for the screen, and its narration: the lecture's own sentences \
            for that part, kept in the lecture's language. Leave nothing of the lecture out and add \
            nothing it does not say. Answer with one JSON object that fits the schema."
            .to_string();
        let user = format!("The lecture:\n\n{lecture}");
        let (outline, usage, _) = self
            .structured("outline", &schema, system, user, |content| {
                let outline: LectureOutline = parse_as(content)?;
                let problems = outline.problems();
                if problems.is_empty() {
                    Ok(outline)
                } else {
                    Err(problems)
                }
            })
            .await?;
        Ok((outline, usage, self.cost(usage)))
    }
}

#[async_trait]
impl TextGen for OpenAiText {
    fn id(&self) -> &str {
        self.client.id()
    }

    fn parameters(&self) -> Value {
        json!({
            "endpoint": self.client.endpoint(),
            "model": self.client.model(),
            "prompts": PROMPT_VERSION,
        })
    }

    fn types(&self) -> Vec<ComponentType> {
        ComponentType::ALL.to_vec()
    }

    async fn draft(&self, request: &DraftRequest<'_>) -> Result<TextDraft, DraftFailure> {
        let kind = request.component_type;
        if kind == ComponentType::Hotspot && request.render.is_none() {
            return Err(JobError::retryable(
                "the slide's current image is not rendered yet; its slide_render job comes first",
            )
            .into());
        }
        if request.slide.notes.trim().is_empty() && request.slide.body.trim().is_empty() {
            return Ok(TextDraft {
                drafted: crate::drafts::Why::NoText.into(),
                usage: Usage::default(),
                cost_micros: 0,
                calls: 0,
            });
        }
        let schema = response_schema(kind.json_schema());
        let (payload, usage, calls) = self
            .structured(
                kind.as_str(),
                &schema,
                system_prompt(kind),
                user_prompt(request),
                |content| check_answer(request, content),
            )
            .await?;
        Ok(TextDraft {
            drafted: Drafted::Payload(payload),
            usage,
            cost_micros: self.cost(usage),
            calls,
        })
    }
}

fn crate_schema<T: schemars::JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Value::Null)
}

/// A schema as a `response_format` takes it: without `$schema` and `title` at the top.
fn response_schema(mut schema: Value) -> Value {
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
        object.remove("title");
    }
    schema
}

/// What each type is for, in the words the model is given.
fn purpose(kind: ComponentType) -> &'static str {
    match kind {
        ComponentType::Review => "a review of the slide's key points, grouped into cards",
        ComponentType::Quiz => {
            "quiz questions whose correct answers are stated in the lecture, with plausible wrong \
             options (use other terms of the course), no two options alike, and feedback"
        }
        ComponentType::Roleplay => {
            "a conversation practice: a scenario from the lecture's situation, the persona the \
             learner talks to, the learner's goal, opening lines and a rubric"
        }
        ComponentType::Shadowing => {
            "sentences from the lecture for learners to listen to and repeat aloud, 5 to 16 words each"
        }
        ComponentType::Pronunciation => {
            "key or hard words and phrases of the lecture for learners to say, with their IPA"
        }
        ComponentType::Flashcards => {
            "flashcards of the terms the lecture defines, with its definitions"
        }
        ComponentType::Cloze => {
            "passages of the lecture with key terms blanked; accept the inflected forms of each answer"
        }
        ComponentType::Matching => {
            "items to match: terms with their definitions, steps in their order, or items with their categories"
        }
        ComponentType::Hotspot => {
            "regions on the slide image, one on each labelled element the narration talks about, \
             each opening to what the narration says of it; regions lie inside the element boxes given"
        }
        ComponentType::Branching => {
            "a decision scenario from the lecture: nodes with choices and their consequences, \
             ending in outcomes, grounded in what the lecture says"
        }
        ComponentType::Dictation => {
            "well-formed sentences from the lecture, 5 to 16 words each, for learners to type after listening"
        }
    }
}

fn system_prompt(kind: ComponentType) -> String {
    format!(
        "You draft learning components for an instructor in ClassKit Studio, from their lecture. \
         The instructor reviews every draft. Draft a {} component: {}. Use only what the lecture \
         says; never invent facts. Keep practice sentences in the language they have in the \
         lecture; write instructions and feedback in the lecture's main language. Where an item \
         comes from a sentence of the narration, give its provenance with `quote` set to that \
         sentence copied exactly, and `start` and `end` set to 0 (they are filled in for you). \
         Do not make up audio or image references: leave those fields out. Answer with one JSON \
         object that fits the schema.",
        kind.as_str(),
        purpose(kind)
    )
}

fn user_prompt(request: &DraftRequest<'_>) -> String {
    let slide = &request.slide;
    let mut prompt = format!(
        "Slide title: {}\n\nOn the slide:\n{}\n\nNarration:\n{}\n",
        slide.title, slide.body, slide.notes
    );
    if !request.glossary.is_empty() {
        prompt.push_str(&format!(
            "\nTerms the course defines: {}\n",
            request.glossary.join("; ")
        ));
    }
    if let Some(render) = request.render {
        prompt.push_str(&format!(
            "\nThe slide image is {} × {} pixels. Its labelled elements (boxes in pixels):\n{}\n",
            render.width,
            render.height,
            Value::Array(render.elements.to_vec())
        ));
    }
    prompt
}

fn repair_request(problems: &[String]) -> String {
    format!(
        "Your answer cannot be used as it is. Fix these problems and answer with the whole JSON \
         object again:\n{}",
        problems
            .iter()
            .take(MAX_PROBLEMS_SHOWN)
            .map(|p| format!("- {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

fn list(problems: &[String]) -> String {
    let mut shown: Vec<&str> = problems
        .iter()
        .take(MAX_PROBLEMS_SHOWN)
        .map(String::as_str)
        .collect();
    let more = problems.len().saturating_sub(MAX_PROBLEMS_SHOWN);
    let tail = format!("and {more} more");
    if more > 0 {
        shown.push(&tail);
    }
    shown.join("; ")
}

fn parse_as<T: serde::de::DeserializeOwned>(content: &str) -> Result<T, Vec<String>> {
    let value: Value = serde_json::from_str(strip_fences(content))
        .map_err(|e| vec![format!("the answer is not JSON: {e}")])?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        vec![format!("{}: {}", pointer_of(&path), e.inner())]
    })
}

/// A serde path (`lessons[0].title`) as a JSON pointer (`/lessons/0/title`).
fn pointer_of(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut out = String::new();
    for part in path.split(['.', '[']) {
        let part = part.trim_end_matches(']');
        if !part.is_empty() {
            out.push('/');
            out.push_str(part);
        }
    }
    out
}

/// Some models wrap JSON in a Markdown code fence even when asked for JSON.
fn strip_fences(content: &str) -> &str {
    let trimmed = content.trim();
    trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|rest| rest.strip_suffix("```"))
        .map(str::trim)
        .unwrap_or(trimmed)
}

/// Turns a model's answer into a payload for `request`, or lists what is wrong with it:
/// not JSON, quotes that are not in the narration, or the model crate's rules.
pub fn check_answer(request: &DraftRequest<'_>, content: &str) -> Result<Value, Vec<String>> {
    let kind = request.component_type;
    let mut payload: Value = serde_json::from_str(strip_fences(content))
        .map_err(|e| vec![format!("the answer is not JSON: {e}")])?;
    // A model may copy the narration's bold marks; a learner sees the words.
    crate::drafts::unmark(&mut payload);
    let Some(object) = payload.as_object_mut() else {
        return Err(vec!["the answer must be one JSON object".into()]);
    };
    object.insert("schema_version".into(), json!(kind.schema_version()));
    // Only stored files can be referenced: the model cannot have any. Reference audio is
    // recorded afterwards; a HOTSPOT is drawn over the rendered slide.
    for (pointer, _) in classkit_model::asset_references(&payload) {
        remove_at(&mut payload, &pointer);
    }
    if let Some(render) = request.render
        && kind == ComponentType::Hotspot
    {
        payload["image"] = json!(AssetRef(render.image.to_string()));
        payload["image_width"] = json!(render.width.round() as u32);
        payload["image_height"] = json!(render.height.round() as u32);
    }
    let mut problems = Vec::new();
    resolve_provenance(&mut payload, "", &request.slide, &mut problems);
    problems.extend(
        check_payload(kind, &payload)
            .into_iter()
            .filter(|issue| !issue.pointer.ends_with("/audio"))
            .map(|issue| format!("{}: {}", issue.pointer, issue.message)),
    );
    if problems.is_empty() {
        Ok(payload)
    } else {
        Err(problems)
    }
}

fn remove_at(value: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(object) = value.pointer_mut(parent).and_then(Value::as_object_mut) {
        object.remove(&key);
    }
}

/// Finds each provenance quote in the narration and sets its offsets; a quote that is not
/// there is a problem (the model did not copy the sentence).
fn resolve_provenance(
    value: &mut Value,
    at: &str,
    slide: &crate::drafts::SlideText<'_>,
    problems: &mut Vec<String>,
) {
    match value {
        Value::Object(map) => {
            if let Some(p) = map.get_mut("provenance") {
                let here = format!("{at}/provenance");
                match p {
                    Value::Null => {
                        map.remove("provenance");
                    }
                    Value::Object(prov) => {
                        let quote = prov
                            .get("quote")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .trim()
                            .to_string();
                        match (!quote.is_empty())
                            .then(|| slide.notes.find(&quote))
                            .flatten()
                        {
                            Some(start) => {
                                prov.insert("slide_id".into(), json!(slide.slide_id));
                                prov.insert("start".into(), json!(start));
                                prov.insert("end".into(), json!(start + quote.len()));
                                prov.insert("quote".into(), json!(quote));
                            }
                            None => problems.push(format!(
                                "{here}/quote: {quote:?} is not a sentence of the narration; copy \
                                 the sentence exactly, or leave provenance out"
                            )),
                        }
                    }
                    _ => problems.push(format!("{here}: must be an object with a quote")),
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "provenance" {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    resolve_provenance(child, &format!("{at}/{escaped}"), slide, problems);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                resolve_provenance(item, &format!("{at}/{i}"), slide, problems);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::SlideText;
    use uuid::Uuid;

    fn request(kind: ComponentType, notes: &str) -> DraftRequest<'_> {
        DraftRequest {
            component_type: kind,
            slide: SlideText {
                slide_id: Uuid::nil(),
                title: "Photosynthesis",
                body: "",
                notes,
            },
            glossary: &[],
            render: None,
        }
    }

    #[test]
    fn quotes_are_found_in_the_narration_and_offsets_set() {
        let notes = "Plants make sugar. Chlorophyll is the green pigment that absorbs light.";
        let answer = json!({
            "title": "Terms",
            "cards": [{"id": "c1", "term": "Chlorophyll", "definition": "the green pigment that absorbs light",
                       "provenance": {"start": 0, "end": 0,
                                      "quote": "Chlorophyll is the green pigment that absorbs light."}}]
        });
        let payload = check_answer(
            &request(ComponentType::Flashcards, notes),
            &answer.to_string(),
        )
        .expect("valid");
        let p = &payload["cards"][0]["provenance"];
        let start = p["start"].as_u64().expect("start") as usize;
        let end = p["end"].as_u64().expect("end") as usize;
        assert_eq!(&notes[start..end], p["quote"].as_str().expect("quote"));
        assert_eq!(payload["schema_version"], json!(1));
    }

    #[test]
    fn invented_quotes_non_json_and_broken_rules_are_problems() {
        let notes = "Plants make sugar.";
        let answer = json!({
            "title": "Terms",
            "cards": [{"id": "c1", "term": "Chlorophyll", "definition": "pigment",
                       "provenance": {"start": 0, "end": 0, "quote": "Plants are animals."}}]
        });
        let problems = check_answer(
            &request(ComponentType::Flashcards, notes),
            &answer.to_string(),
        )
        .expect_err("invented");
        assert!(
            problems[0].starts_with("/cards/0/provenance/quote:"),
            "{problems:?}"
        );
        let problems =
            check_answer(&request(ComponentType::Flashcards, notes), "{not json").expect_err("bad");
        assert!(problems[0].contains("not JSON"));
        let problems = check_answer(
            &request(ComponentType::Flashcards, notes),
            r#"{"title": ""}"#,
        )
        .expect_err("rules");
        assert!(problems.iter().any(|p| p.starts_with('/')), "{problems:?}");
    }

    #[test]
    fn made_up_asset_references_are_dropped_and_fences_stripped() {
        let notes = "Could you walk me through the proposal?";
        let answer = format!(
            "```json\n{}\n```",
            json!({
                "title": "Listen and type",
                "instructions": "Type what you hear.",
                "sentences": [{"id": "s1", "text": notes, "audio": "a".repeat(64)}]
            })
        );
        let payload =
            check_answer(&request(ComponentType::Dictation, notes), &answer).expect("valid");
        assert!(payload["sentences"][0].get("audio").is_none());
    }

    #[test]
    fn serde_paths_become_pointers() {
        assert_eq!(
            pointer_of("lessons[0].slides[2].title"),
            "/lessons/0/slides/2/title"
        );
        assert_eq!(pointer_of("."), "");
    }
}

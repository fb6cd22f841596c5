//! What learners get of a course: its lessons and slides in order, each slide's text as safe
//! HTML, its picture and narration with captions, and the components that are ready for
//! learners. What is left out is reported with the reason, in the instructor's terms.

use crate::captions::{self, Cue};
use crate::{ExportError, ExportInput, ExportOptions, Format, ScoLayout, XapiOptions};
use classkit_model::{ComponentPayload, ComponentStatus, ComponentType, SlideLayout};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The `format` of every `course.js`.
pub const PLAYER_FORMAT: &str = "classkit-player-course";
/// The layout of `course.js` written by this version (the player reads this one).
pub const PLAYER_FORMAT_VERSION: u32 = 1;

/// The course as the player reads it (`window.CLASSKIT_COURSE` in `course.js`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlayerCourse {
    pub format: String,
    pub format_version: u32,
    pub id: Uuid,
    pub title: String,
    pub description_html: String,
    /// The course's language (BCP 47), when set: the player speaks it unless the learner's
    /// browser prefers one of the player's other languages.
    pub language: Option<String>,
    /// What the package is for (`web`, `scorm12`, `scorm2004`): the player talks to an LMS in
    /// SCORM packages.
    pub delivery: Format,
    pub sco_layout: ScoLayout,
    /// The share of the points needed to pass, 0 to 1.
    pub mastery_score: f64,
    pub xapi: Option<XapiOptions>,
    pub generator: String,
    pub lessons: Vec<PlayerLesson>,
    /// Each file the course uses, by SHA-256, at its path in the package.
    pub media: BTreeMap<String, String>,
    /// The speaking-practice features of each shadowing sentence's reference audio, by its
    /// SHA-256: computed here once, so the player scores a take without decoding the
    /// reference (which a page opened from disk could not read).
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub practice: BTreeMap<String, classkit_practice::Features>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlayerLesson {
    pub id: Uuid,
    pub title: String,
    pub slides: Vec<PlayerSlide>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlayerSlide {
    pub id: Uuid,
    pub title: String,
    pub layout: SlideLayout,
    pub body_html: String,
    /// The slide's picture (SHA-256, a key of `media`).
    pub image: Option<String>,
    pub narration: Option<PlayerNarration>,
    pub components: Vec<PlayerComponent>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlayerNarration {
    /// SHA-256 of the audio, a key of `media`.
    pub audio: String,
    pub duration_ms: Option<u64>,
    /// The captions, also written as WebVTT at `captions`.
    pub cues: Vec<Cue>,
    pub captions: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlayerComponent {
    pub id: Uuid,
    pub component_type: ComponentType,
    /// The payload in its current schema version with every default filled in.
    pub payload: serde_json::Value,
    /// Whether the grader scores it (its points count towards the course's score).
    pub graded: bool,
}

/// A component learners do not get, and why.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LeftOut {
    pub component_id: Uuid,
    pub component_type: ComponentType,
    pub lesson: String,
    pub slide: String,
    pub reason: String,
}

/// A file to put in the package: where it comes from and its path inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagedFile {
    pub sha256: String,
    pub path_in_package: String,
}

/// The course for the player, the library files it needs, the captions files, and what was
/// left out.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub course: PlayerCourse,
    pub files: Vec<PackagedFile>,
    /// `captions/<slide id>.vtt` and its text.
    pub captions: Vec<(String, String)>,
    pub left_out: Vec<LeftOut>,
    /// Files the course names that the library lacks (what went without them).
    pub notes: Vec<String>,
}

/// Longest reference audio scored (the practice scorer looks at 30 s at most).
const MAX_REFERENCE_SECONDS: usize = 30;

/// The file name ending for a media type.
fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        "audio/wav" | "audio/x-wav" | "audio/wave" => "wav",
        "audio/mpeg" => "mp3",
        "audio/ogg" => "ogg",
        "audio/webm" => "webm",
        "audio/mp4" | "audio/aac" => "m4a",
        "audio/flac" => "flac",
        _ => "bin",
    }
}

/// Every SHA-256 a payload names (reference audio, pictures).
fn payload_files(payload: &serde_json::Value) -> Vec<String> {
    classkit_model::asset_references(payload)
        .into_iter()
        .map(|(_, asset)| asset.0)
        .collect()
}

/// Decides what learners get and reads the captions' timing from the narration audio.
pub fn prepare(input: &ExportInput, options: &ExportOptions) -> Result<Prepared, ExportError> {
    if !(0.0..=1.0).contains(&options.mastery_score) {
        return Err(ExportError::Invalid(format!(
            "the mastery score must be between 0 and 1 (0 % to 100 %), not {}",
            options.mastery_score
        )));
    }
    if let Some(xapi) = &options.xapi {
        let lower = xapi.endpoint.trim().to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(ExportError::Invalid(format!(
                "the xAPI endpoint must be a web address (https://…), not \"{}\"",
                xapi.endpoint
            )));
        }
    }
    let tree = &input.tree;
    let mut media = BTreeMap::new();
    let mut files = Vec::new();
    let mut left_out = Vec::new();
    let mut captions_files = Vec::new();
    let mut notes = Vec::new();
    let mut practice = BTreeMap::new();
    let mut use_file = |sha: &str| -> bool {
        let Some(file) = input.assets.get(sha) else {
            return false;
        };
        if !media.contains_key(sha) {
            let path = format!("media/{sha}.{}", extension(&file.media_type));
            media.insert(sha.to_string(), path.clone());
            files.push(PackagedFile {
                sha256: sha.to_string(),
                path_in_package: path,
            });
        }
        true
    };
    let mut lessons = Vec::new();
    for lesson in &tree.lessons {
        let mut slides = Vec::new();
        for slide_tree in &lesson.slides {
            let slide = &slide_tree.slide;
            let mut components = Vec::new();
            for component in &slide_tree.components {
                let leave = |reason: String| LeftOut {
                    component_id: component.id,
                    component_type: component.component_type,
                    lesson: lesson.lesson.title.clone(),
                    slide: slide.title.clone(),
                    reason,
                };
                if component.status == ComponentStatus::Draft && !options.include_drafts {
                    left_out.push(leave(
                        "it is a draft (mark it ready, or export with drafts included)".into(),
                    ));
                    continue;
                }
                let parsed =
                    match ComponentPayload::from_json(component.component_type, &component.payload)
                    {
                        Ok(p) => p,
                        Err(e) => {
                            left_out.push(leave(issues_text(&e.issues)));
                            continue;
                        }
                    };
                let payload = parsed.to_json();
                let issues = parsed.validate_json(&payload);
                if !issues.is_empty() {
                    left_out.push(leave(issues_text(&issues)));
                    continue;
                }
                let missing: Vec<String> = payload_files(&payload)
                    .into_iter()
                    .filter(|sha| !use_file(sha))
                    .collect();
                if let Some(sha) = missing.first() {
                    left_out.push(leave(format!(
                        "it uses a file the library does not have ({sha}); make or add it again"
                    )));
                    continue;
                }
                if component.component_type == ComponentType::Shadowing {
                    for sha in payload_files(&payload) {
                        if practice.contains_key(&sha) {
                            continue;
                        }
                        let Some(file) = input.assets.get(&sha) else {
                            continue;
                        };
                        match crate::audio::mono(&file.path, &file.media_type, MAX_REFERENCE_SECONDS) {
                            Some((samples, rate)) => {
                                let features = classkit_practice::features(&samples, rate);
                                practice.insert(sha, features.rounded());
                            }
                            None => notes.push(format!(
                                "the reference audio {sha} of a SHADOWING on slide \"{}\" cannot be read ({}): learners can listen to it but their takes are not scored",
                                slide.title, file.media_type
                            )),
                        }
                    }
                }
                components.push(PlayerComponent {
                    id: component.id,
                    component_type: component.component_type,
                    graded: component.component_type.is_graded(),
                    payload,
                });
            }
            let image = slide.image.as_ref().and_then(|a| {
                if use_file(&a.0) {
                    return Some(a.0.clone());
                }
                notes.push(format!(
                    "the picture of slide \"{}\" is not in the library: the slide goes without it",
                    slide.title
                ));
                None
            });
            let narration = match input.narrations.get(&slide.id) {
                Some(n) if !use_file(&n.sha256) => {
                    notes.push(format!(
                        "the narration of slide \"{}\" is not in the library: the slide goes without it (assemble the course again to make it)",
                        slide.title
                    ));
                    None
                }
                Some(n) => {
                    let (cues, duration) = match input.assets.get(&n.sha256) {
                        Some(f) => captions::for_narration(
                            &classkit_model::spoken(&slide.speaker_notes),
                            &f.path,
                            &f.media_type,
                            n.duration_ms,
                        ),
                        None => (Vec::new(), n.duration_ms),
                    };
                    let path = (!cues.is_empty()).then(|| format!("captions/{}.vtt", slide.id));
                    if let Some(path) = &path {
                        captions_files.push((path.clone(), captions::webvtt(&cues)));
                    }
                    Some(PlayerNarration {
                        audio: n.sha256.clone(),
                        duration_ms: duration,
                        cues,
                        captions: path,
                    })
                }
                None => None,
            };
            slides.push(PlayerSlide {
                id: slide.id,
                title: slide.title.clone(),
                layout: slide.layout,
                body_html: crate::markdown::to_html(&slide.body),
                image,
                narration,
                components,
            });
        }
        lessons.push(PlayerLesson {
            id: lesson.lesson.id,
            title: lesson.lesson.title.clone(),
            slides,
        });
    }
    if lessons.iter().all(|l| l.slides.is_empty()) {
        return Err(ExportError::Invalid(format!(
            "the course \"{}\" has no slides: there is nothing for learners to play; add a lesson with slides, then export",
            tree.course.title
        )));
    }
    let course = PlayerCourse {
        format: PLAYER_FORMAT.into(),
        format_version: PLAYER_FORMAT_VERSION,
        id: tree.course.id,
        title: tree.course.title.clone(),
        description_html: crate::markdown::to_html(&tree.course.description),
        language: tree.course.language.clone(),
        delivery: options.format,
        sco_layout: options.sco_layout,
        mastery_score: options.mastery_score,
        xapi: options.xapi.clone(),
        generator: format!("ClassKit Studio {}", env!("CARGO_PKG_VERSION")),
        lessons,
        media,
        practice,
    };
    Ok(Prepared {
        course,
        files,
        captions: captions_files,
        left_out,
        notes,
    })
}

/// A component's problems in one sentence.
fn issues_text(issues: &[classkit_model::ValidationIssue]) -> String {
    let listed: Vec<String> = issues.iter().take(3).map(|i| i.message.clone()).collect();
    let more = issues.len().saturating_sub(3);
    let mut text = format!(
        "it has {} problem{} to fix: {}",
        issues.len(),
        if issues.len() == 1 { "" } else { "s" },
        listed.join("; ")
    );
    if more > 0 {
        text.push_str(&format!("; and {more} more"));
    }
    text
}

/// `course.js`: the course as a script that sets `window.CLASSKIT_COURSE` (a script, not a
/// JSON file, because a page opened from disk may not fetch files beside it).
pub fn course_script(course: &PlayerCourse) -> String {
    // JSON is a JavaScript expression; `</` is escaped too, should the file ever be inlined.
    let json = serde_json::to_string(course)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/");
    format!("window.CLASSKIT_COURSE = {json};\n")
}

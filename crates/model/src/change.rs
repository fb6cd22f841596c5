//! What a save did to a course, lesson, slide or component: the kind of every revision and of
//! every entry of the change log that clients follow.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! change_kinds {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $code:literal, $words:literal; )+) => {
        /// What a save did.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ChangeKind {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl ChangeKind {
            /// Every kind, in the order they are declared.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$variant,)+];

            /// The kind as it is written on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $(ChangeKind::$variant => $code,)+ }
            }

            /// The kind in words, as libraries store it in their history.
            pub fn words(self) -> &'static str {
                match self { $(ChangeKind::$variant => $words,)+ }
            }

            /// Reads the words a library stored (its own or an older version's); `None` for
            /// words no version wrote.
            pub fn from_words(words: &str) -> Option<Self> {
                match words {
                    $($words => Some(ChangeKind::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

change_kinds! {
    /// Made new by the instructor.
    Created = "created", "created";
    /// Edited.
    Updated = "updated", "updated";
    /// Moved to another place in its course.
    Moved = "moved", "moved";
    /// A component marked ready for learners.
    MarkedReady = "marked_ready", "marked ready";
    /// A component marked as a draft again.
    MarkedDraft = "marked_draft", "marked draft";
    /// Deleted (its history is kept).
    Deleted = "deleted", "deleted";
    /// A component drafted by generation.
    Drafted = "drafted", "drafted";
    /// A drafted component drafted again because its slide changed (never over an edit).
    DraftedAgain = "drafted_again", "drafted again";
    /// Reference audio recorded into a component.
    ReferenceAudioRecorded = "reference_audio_recorded", "reference audio recorded";
    /// Imported from a lecture file.
    Imported = "imported", "imported";
    /// Imported from a course bundle.
    ImportedFromBundle = "imported_from_bundle", "imported from bundle";
    /// Made from a lecture's outline by a text engine.
    Outlined = "outlined", "outlined";
    /// An earlier version made the current one again (the revision says which).
    Restored = "restored", "restored";
    /// Brought from the team server: someone else's edit, or the merge of the instructor's
    /// own with others'.
    Synced = "synced", "synced from the team";
}

impl ChangeKind {
    /// Reads stored words, with the version a restore came from (`restored from version 3`).
    pub fn parse_stored(words: &str) -> Option<(Self, Option<i64>)> {
        if let Some(version) = words.strip_prefix("restored from version ") {
            return version.parse().ok().map(|v| (Self::Restored, Some(v)));
        }
        Self::from_words(words).map(|kind| (kind, None))
    }

    /// The words to store for a change (a restore names the version it came from).
    pub fn stored(self, restored_from: Option<i64>) -> String {
        match (self, restored_from) {
            (Self::Restored, Some(version)) => format!("restored from version {version}"),
            (kind, _) => kind.words().to_string(),
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_words_and_its_wire_form() {
        for kind in ChangeKind::ALL {
            assert_eq!(
                ChangeKind::parse_stored(&kind.stored(None)),
                Some((*kind, None))
            );
            let json = serde_json::to_value(kind).expect("json");
            assert_eq!(json, kind.as_str());
        }
        assert_eq!(
            ChangeKind::parse_stored(&ChangeKind::Restored.stored(Some(3))),
            Some((ChangeKind::Restored, Some(3)))
        );
        assert_eq!(ChangeKind::parse_stored("restored from version x"), None);
        assert_eq!(ChangeKind::parse_stored("painted"), None);
    }
}

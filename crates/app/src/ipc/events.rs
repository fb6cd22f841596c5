//! The one list of the events the app sends the UI, with the type of each one's payload. The
//! UI's typed listener (`ui/src/lib/generated/events.ts`) is made from it.

use crate::error::WireError;
use crate::jobs::JobView;
use schemars::SchemaGenerator;
use serde_json::{Value, json};

/// One event as the UI sees it.
#[derive(Debug, Clone)]
pub struct EventSpec {
    /// The name the UI listens to.
    pub name: &'static str,
    /// When it is sent (its doc comment).
    pub doc: String,
    /// The schema of its payload.
    pub payload: Value,
}

impl EventSpec {
    /// The event as JSON, for the generated files.
    pub fn to_json(&self) -> Value {
        json!({"name": self.name, "doc": self.doc, "payload": self.payload})
    }
}

macro_rules! events {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal : $payload:ty, )+) => {
        /// An event the app sends the UI.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Event {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Event {
            /// Every event, in the list's order.
            pub const ALL: &'static [Event] = &[$(Event::$variant),+];

            /// The name the UI listens to.
            pub fn name(self) -> &'static str {
                match self { $(Event::$variant => $name,)+ }
            }
        }

        /// Every event with the schema of its payload (its type is added to `generator`'s
        /// definitions).
        pub fn event_specs(generator: &mut SchemaGenerator) -> Vec<EventSpec> {
            vec![$(EventSpec {
                name: $name,
                doc: [$($doc.trim()),+].join("\n"),
                payload: generator.subschema_for::<$payload>().to_value(),
            }),+]
        }
    };
}

events! {
    /// A job of the app's queue changed.
    Job = "job": JobView,
    /// Something was saved in the library, by the app, a worker or another process.
    Saved = "saved": classkit_store::Saved,
    /// The bundled workers could not start, so generation cannot run.
    WorkersFailed = "workers-failed": WireError,
    /// The team state changed: a sync started or ended, an edit waits, a conflict came.
    Team = "team": crate::team::TeamStatus,
}

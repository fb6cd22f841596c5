//! Sync between an app's local library and the team server (offline first, nothing lost).
//!
//! - [`protocol`]: what travels under `/api/v1` (mutations pushed, changes pulled, conflicts).
//! - [`merge`]: the field-level three-way merge the server applies to each pushed edit.
//! - [`remote`]: the team server's API as an app calls it.
//! - [`client`]: one sync of one course, over a local [`client::Replica`].

pub mod client;
pub mod merge;
pub mod protocol;
pub mod remote;
pub mod state;
pub mod team_jobs;

pub use merge::{Conflict, Merged, Path, Step, merge};
pub use protocol::*;
pub use remote::{Remote, RemoteError, TeamToken};
pub use team_jobs::{
    AssembleRequest, AssembleResponse, AssembleScope, OutlineRequest, OutlineResponse, StreamItem,
    TeamBudget, TeamJob, TeamJobEvent,
};

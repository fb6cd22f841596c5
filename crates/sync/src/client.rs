//! The client engine: one sync of one course between a local replica and the team server.
//!
//! Push first: the outbox's mutations in order, in batches, each batch after the assets its
//! states use (uploaded by hash, only those the server lacks). An outbox row is removed only
//! when the server's answer for it has been received and applied locally; a batch whose
//! answer is lost is sent again and the server applies it once. Then pull: the change log
//! from the course's cursor, page by page, each page applied with its cursor in one local
//! transaction, so an interrupted pull resumes where it stopped.

use crate::protocol::{
    EntityState, MAX_PUSH, Mutation, MutationResult, PullPage, PushRequest, PushResponse,
};
use crate::remote::{Remote, RemoteError};
use async_trait::async_trait;
use classkit_model::ErrorCode;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Pages pulled at a time.
pub const PULL_PAGE: i64 = 500;

/// An outbox row ready to push.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The row's place in the local outbox.
    pub seq: i64,
    pub mutation: Mutation,
}

/// The calls sync makes to the team server. [`Remote`] is the real one; tests put faults
/// between (a lost reply, a dropped connection).
#[async_trait]
pub trait Api: Send + Sync {
    async fn push(&self, course: Uuid, req: &PushRequest) -> Result<PushResponse, RemoteError>;
    async fn pull(&self, course: Uuid, after: i64, limit: i64) -> Result<PullPage, RemoteError>;
    async fn missing_assets(
        &self,
        course: Uuid,
        hashes: Vec<String>,
    ) -> Result<Vec<String>, RemoteError>;
    async fn upload_asset(
        &self,
        course: Uuid,
        sha256: &str,
        media_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), RemoteError>;
    async fn download_asset(
        &self,
        course: Uuid,
        sha256: &str,
    ) -> Result<(String, Vec<u8>), RemoteError>;
}

#[async_trait]
impl Api for Remote {
    async fn push(&self, course: Uuid, req: &PushRequest) -> Result<PushResponse, RemoteError> {
        Remote::push(self, course, req).await
    }

    async fn pull(&self, course: Uuid, after: i64, limit: i64) -> Result<PullPage, RemoteError> {
        Remote::pull(self, course, after, limit).await
    }

    async fn missing_assets(
        &self,
        course: Uuid,
        hashes: Vec<String>,
    ) -> Result<Vec<String>, RemoteError> {
        Remote::missing_assets(self, course, hashes).await
    }

    async fn upload_asset(
        &self,
        course: Uuid,
        sha256: &str,
        media_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), RemoteError> {
        Remote::upload_asset(self, course, sha256, media_type, bytes).await
    }

    async fn download_asset(
        &self,
        course: Uuid,
        sha256: &str,
    ) -> Result<(String, Vec<u8>), RemoteError> {
        Remote::download_asset(self, course, sha256).await
    }
}

/// The local side of sync: a library's outbox, cursors and entities for one course.
#[async_trait]
pub trait Replica: Send + Sync {
    /// The local store's error.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The course's oldest outbox rows, at most `limit`.
    async fn pending(&self, course: Uuid, limit: usize) -> Result<Vec<Pending>, Self::Error>;
    /// The media type and bytes of a stored asset.
    async fn asset(&self, sha256: &str) -> Result<(String, Vec<u8>), Self::Error>;
    /// Whether the asset is stored locally.
    async fn has_asset(&self, sha256: &str) -> Result<bool, Self::Error>;
    /// Stores an asset fetched from the server.
    async fn put_asset(&self, media_type: &str, bytes: Vec<u8>) -> Result<(), Self::Error>;
    /// The server answered these rows: remove them from the outbox and take the server's
    /// state of each entity where no later local edit is waiting, in one transaction.
    async fn acknowledge(
        &self,
        course: Uuid,
        acked: Vec<(i64, MutationResult)>,
    ) -> Result<(), Self::Error>;
    /// The server refused this row for good (a rule it breaks): set it aside with the reason,
    /// keeping the local state as the instructor made it.
    async fn set_aside(&self, course: Uuid, seq: i64, reason: String) -> Result<(), Self::Error>;
    /// Where the course's pull stands.
    async fn cursor(&self, course: Uuid) -> Result<i64, Self::Error>;
    /// Applies a pulled page and moves the cursor to `page.next`, in one transaction.
    async fn apply(&self, course: Uuid, page: &PullPage) -> Result<(), Self::Error>;
}

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError<E: std::error::Error + 'static> {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error("the local library failed during sync: {0}")]
    Local(#[source] E),
}

impl<E: std::error::Error + 'static> SyncError<E> {
    /// The stable code (a local failure is the library's database).
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Remote(e) => e.code(),
            Self::Local(_) => ErrorCode::DatabaseError,
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct SyncReport {
    /// Outbox rows the server acknowledged.
    pub pushed: usize,
    /// Assets uploaded.
    pub uploaded: usize,
    /// Changes pulled (entities and conflicts).
    pub pulled: usize,
    /// Assets downloaded.
    pub downloaded: usize,
    /// Conflicts the push produced.
    pub conflicts: usize,
    /// Outbox rows the server refused and that were set aside, with the reason.
    pub set_aside: Vec<String>,
}

/// The assets a state uses: a slide's image and narration, and every file a component's
/// payload refers to.
pub fn assets_of(state: &EntityState) -> Vec<String> {
    match state {
        EntityState::Slide(s) => [&s.image, &s.narration]
            .into_iter()
            .flatten()
            .map(|a| a.0.clone())
            .collect(),
        EntityState::Component(c) => classkit_model::asset_references(&c.payload)
            .into_iter()
            .map(|(_, a)| a.0)
            .collect(),
        _ => Vec::new(),
    }
}

/// Pushes the course's outbox, then pulls its change log.
pub async fn sync_course<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
) -> Result<SyncReport, SyncError<R::Error>> {
    let mut report = SyncReport::default();
    match push(remote, replica, course, &mut report).await {
        // A viewer's edits are not taken: they stay in the outbox (nothing typed is lost),
        // the team's changes still arrive, and the refusal is said.
        Err(SyncError::Remote(refused @ RemoteError::Refused { status: 403, .. })) => {
            pull(remote, replica, course, &mut report).await?;
            Err(SyncError::Remote(refused))
        }
        Err(e) => Err(e),
        Ok(()) => {
            pull(remote, replica, course, &mut report).await?;
            Ok(report)
        }
    }
}

async fn push<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
    report: &mut SyncReport,
) -> Result<(), SyncError<R::Error>> {
    loop {
        let batch = replica
            .pending(course, MAX_PUSH)
            .await
            .map_err(SyncError::Local)?;
        if batch.is_empty() {
            return Ok(());
        }
        upload_assets(remote, replica, course, &batch, report).await?;
        let req = PushRequest {
            mutations: batch.iter().map(|p| p.mutation.clone()).collect(),
        };
        match remote.push(course, &req).await {
            Ok(resp) => {
                report.pushed += resp.results.len();
                report.conflicts += resp
                    .results
                    .iter()
                    .map(|r| r.conflicts.len())
                    .sum::<usize>();
                let acked = batch.iter().map(|p| p.seq).zip(resp.results).collect();
                replica
                    .acknowledge(course, acked)
                    .await
                    .map_err(SyncError::Local)?;
            }
            Err(RemoteError::Refused { status: 422, error }) => {
                // The server names the refused mutations by index; they are set aside (the
                // local state stays) and the rest are pushed again.
                let refused: Vec<(usize, String)> = error.details["mutations"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|m| {
                        let index = usize::try_from(m["index"].as_u64()?).ok()?;
                        let why = m["message"]
                            .as_str()
                            .map(str::to_string)
                            .or_else(|| {
                                let issues = m["issues"].as_array()?;
                                Some(
                                    issues
                                        .iter()
                                        .filter_map(|i| {
                                            Some(format!(
                                                "{} {}",
                                                i["pointer"].as_str()?,
                                                i["message"].as_str()?
                                            ))
                                        })
                                        .collect::<Vec<_>>()
                                        .join("; "),
                                )
                            })
                            .unwrap_or_else(|| error.message.clone());
                        Some((index, why))
                    })
                    .filter(|(i, _)| *i < batch.len())
                    .collect();
                if refused.is_empty() {
                    return Err(RemoteError::Refused { status: 422, error }.into());
                }
                for (index, why) in refused {
                    let reason = format!("{}: {why}", error.message);
                    replica
                        .set_aside(course, batch[index].seq, reason.clone())
                        .await
                        .map_err(SyncError::Local)?;
                    report.set_aside.push(reason);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

async fn upload_assets<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
    batch: &[Pending],
    report: &mut SyncReport,
) -> Result<(), SyncError<R::Error>> {
    let wanted: BTreeSet<String> = batch
        .iter()
        .filter_map(|p| p.mutation.state.as_ref())
        .flat_map(assets_of)
        .collect();
    let wanted: Vec<String> = wanted.into_iter().collect();
    for chunk in wanted.chunks(1000) {
        for sha256 in remote.missing_assets(course, chunk.to_vec()).await? {
            // A reference to a file the library does not hold (a draft may have one) is left
            // for the server to judge.
            if !replica.has_asset(&sha256).await.map_err(SyncError::Local)? {
                continue;
            }
            let (media_type, bytes) = replica.asset(&sha256).await.map_err(SyncError::Local)?;
            remote
                .upload_asset(course, &sha256, &media_type, bytes)
                .await?;
            report.uploaded += 1;
        }
    }
    Ok(())
}

async fn pull<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
    report: &mut SyncReport,
) -> Result<(), SyncError<R::Error>> {
    let mut after = replica.cursor(course).await.map_err(SyncError::Local)?;
    loop {
        let page = remote.pull(course, after, PULL_PAGE).await?;
        let needed: BTreeSet<String> = page
            .changes
            .iter()
            .filter(|c| !c.deleted)
            .flat_map(|c| assets_of(&c.state))
            .collect();
        for sha256 in needed {
            if replica.has_asset(&sha256).await.map_err(SyncError::Local)? {
                continue;
            }
            match remote.download_asset(course, &sha256).await {
                Ok((media_type, bytes)) => {
                    replica
                        .put_asset(&media_type, bytes)
                        .await
                        .map_err(SyncError::Local)?;
                    report.downloaded += 1;
                }
                // A draft may refer to a file nobody uploaded; the state still syncs.
                Err(RemoteError::Refused { status: 404, .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        replica
            .apply(course, &page)
            .await
            .map_err(SyncError::Local)?;
        report.pulled += page.changes.len() + page.conflicts.len();
        after = page.next;
        if !page.more {
            return Ok(());
        }
    }
}

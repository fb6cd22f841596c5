//! The client engine: one sync of one course between a local replica and the team server.
//!
//! Push first: the outbox's mutations in order, in batches, each batch after the assets its
//! states use (uploaded by hash, only those the server lacks). Two batches are on the wire at
//! a time, the second sent to follow the first, which the server keeps to. An outbox row is
//! removed only when the server's answer for it has been received and applied locally; a
//! batch whose answer is lost is sent again and the server applies it once. Then pull: the change log
//! from the course's cursor, page by page, each page applied with its cursor in one local
//! transaction, so an interrupted pull resumes where it stopped. When the answers to the
//! pushes carried every change made to the log since the cursor (a course just shared, or
//! edits nobody else's changes came between), the cursor moves past them without pulling
//! them back.

use crate::protocol::{
    ApiError, EntityState, MAX_PUSH, Mutation, MutationResult, PullPage, PushRequest, PushResponse,
};
use crate::remote::{Remote, RemoteError};
use async_trait::async_trait;
use classkit_model::ErrorCode;
use classkit_model::generation::Generated;
use futures::StreamExt;
use futures::future::{self, BoxFuture, Either};
use futures::stream::FuturesOrdered;
use std::collections::{BTreeSet, VecDeque};
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
    /// Pushes `req`; with `after`, the server applies it once that mutation is applied.
    async fn push(
        &self,
        course: Uuid,
        req: &PushRequest,
        after: Option<Uuid>,
    ) -> Result<PushResponse, RemoteError>;
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
    /// Sends a take of what was made here for a slide (see [`Replica::unpushed_outputs`]).
    async fn put_generated(&self, course: Uuid, take: &[Generated]) -> Result<(), RemoteError>;
}

#[async_trait]
impl Api for Remote {
    async fn push(
        &self,
        course: Uuid,
        req: &PushRequest,
        after: Option<Uuid>,
    ) -> Result<PushResponse, RemoteError> {
        Remote::push(self, course, req, after).await
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

    async fn put_generated(&self, course: Uuid, take: &[Generated]) -> Result<(), RemoteError> {
        let Some(first) = take.first() else {
            return Ok(());
        };
        Remote::put_generated(self, course, first.target_id, &first.kind, take).await
    }
}

/// The local side of sync: a library's outbox, cursors and entities for one course.
#[async_trait]
pub trait Replica: Send + Sync {
    /// The local store's error.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The course's oldest outbox rows after the place `after` (0: from the first), at most
    /// `limit`.
    async fn pending(
        &self,
        course: Uuid,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Pending>, Self::Error>;
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
    /// The course's change log from `from` to `to` holds only changes the library has taken
    /// already (the answers to its own push carried every one): the cursor moves to `to` when
    /// it stands from `from` up to `to`, as pulling that part would. Without it, the part is
    /// pulled.
    async fn skip_pulled(&self, course: Uuid, from: i64, to: i64) -> Result<(), Self::Error> {
        let _ = (course, from, to);
        Ok(())
    }
    /// Applies a pulled page and moves the cursor to `page.next`, in one transaction.
    async fn apply(&self, course: Uuid, page: &PullPage) -> Result<(), Self::Error>;
    /// What was made here for the course's slides (rendered pages, narration) that the server
    /// does not have yet, one take (every page of a slide and kind) each. A library that
    /// makes nothing by itself has none.
    async fn unpushed_outputs(&self, _course: Uuid) -> Result<Vec<Vec<Generated>>, Self::Error> {
        Ok(Vec::new())
    }
    /// A take the server took, or refused for good: it is not sent again.
    async fn outputs_pushed(&self, _take: &[Generated]) -> Result<(), Self::Error> {
        Ok(())
    }
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
    /// Takes of what was made here for slides (rendered pages, narration) the server took.
    pub outputs_sent: usize,
    /// Takes the server had no use for: made from a slide that has changed there since, so
    /// the team makes its own.
    pub outputs_stale: usize,
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

/// Whether a push's answer carries every change of the course's log after `from` up to the
/// push's position: each position in that range is the last change of an entity it answers
/// with, or a conflict it recorded. Pulling that range would then bring nothing the
/// acknowledgement did not take already (changes made by others, or the settling of a
/// conflict, leave a position the answer does not carry).
pub fn answer_covers(from: i64, resp: &PushResponse) -> bool {
    let seen: BTreeSet<i64> = resp
        .results
        .iter()
        .flat_map(|r| {
            r.entity
                .iter()
                .map(|e| e.seq)
                .chain(r.conflicts.iter().map(|c| c.seq))
        })
        .filter(|seq| *seq > from && *seq <= resp.seq)
        .collect();
    i64::try_from(seen.len()).is_ok_and(|n| n == resp.seq - from)
}

/// Batches sent before the answer to the first of them has come: the server works on one
/// while the next is on its way and the answer to the one before is recorded locally.
pub const IN_FLIGHT: usize = 2;

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
            push_outputs(remote, replica, course, &mut report).await?;
            pull(remote, replica, course, &mut report).await?;
            Ok(report)
        }
    }
}

/// A batch of outbox rows sent, and what came of it.
struct Flight {
    /// The rows' places in the outbox.
    seqs: Vec<i64>,
    /// Whether it was sent to follow the batch before it (`after_mutation`).
    follows: bool,
    /// Assets uploaded for it.
    uploaded: usize,
    answer: Result<PushResponse, RemoteError>,
}

/// A push's answer, to be acknowledged.
struct Answered {
    seqs: Vec<i64>,
    response: PushResponse,
    /// The cursor can move from this position to the push's (see [`answer_covers`]).
    skip_from: Option<i64>,
}

/// The library's part of a push, done one at a time while batches are on the wire.
enum LocalStep {
    /// The next outbox rows were read.
    Read(Vec<Pending>),
    /// An answer was recorded.
    Acknowledged,
}

type Step<'a, T, E> = BoxFuture<'a, Result<T, SyncError<E>>>;

/// Sends one batch: the assets its states use that the server lacks, then the mutations,
/// to be applied after the mutation `after` when it follows a batch still on its way.
fn send<'a, R: Replica>(
    remote: &'a impl Api,
    replica: &'a R,
    course: Uuid,
    pending: Vec<Pending>,
    after: Option<Uuid>,
) -> Step<'a, Flight, R::Error> {
    Box::pin(async move {
        let (seqs, mutations): (Vec<i64>, Vec<Mutation>) =
            pending.into_iter().map(|p| (p.seq, p.mutation)).unzip();
        let uploaded = upload_assets(remote, replica, course, &mutations).await?;
        let answer = remote.push(course, &PushRequest { mutations }, after).await;
        Ok(Flight {
            seqs,
            follows: after.is_some(),
            uploaded,
            answer,
        })
    })
}

/// Pushes the outbox in batches, in order, with up to [`IN_FLIGHT`] on the wire: each batch
/// after the first is sent to follow the one before (the server applies it once that one is
/// applied, so the order of the outbox is the order of the log). Answers are taken in
/// order; an outbox row is removed only when its answer has come. When a batch fails, the
/// batches after it are dropped (the server applies none of them before it), the answers
/// already come are recorded, and the push stops or, when the server refused some
/// mutations, sets those aside and starts again from the first row still waiting.
async fn push<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
    report: &mut SyncReport,
) -> Result<(), SyncError<R::Error>> {
    // The cursor, for as long as each push's answer carries every change of the log after
    // it: the pull then has nothing to bring (see `answer_covers`).
    let mut caught_up = Some(replica.cursor(course).await.map_err(SyncError::Local)?);
    let mut flights: FuturesOrdered<Step<'_, Flight, R::Error>> = FuturesOrdered::new();
    let mut local: Option<Step<'_, LocalStep, R::Error>> = None;
    let mut answered: VecDeque<Answered> = VecDeque::new();
    // Where the next batch is read from, and the last mutation of the batch sent last.
    let mut read_from = 0;
    let mut last_sent: Option<Uuid> = None;
    let mut all_read = false;
    loop {
        if local.is_none() {
            if !all_read && flights.len() < IN_FLIGHT {
                local = Some(Box::pin(async move {
                    replica
                        .pending(course, read_from, MAX_PUSH)
                        .await
                        .map(LocalStep::Read)
                        .map_err(SyncError::Local)
                }));
            } else if let Some(done) = answered.pop_front() {
                local = Some(Box::pin(async move {
                    acknowledge(replica, course, done)
                        .await
                        .map(|()| LocalStep::Acknowledged)
                }));
            }
        }
        let event = match (local.as_mut(), flights.is_empty()) {
            (None, true) => break,
            (Some(step), true) => Either::Left(step.await),
            (None, false) => match flights.next().await {
                Some(flight) => Either::Right(flight),
                None => continue,
            },
            (Some(step), false) => match future::select(step, flights.next()).await {
                Either::Left((done, _)) => Either::Left(done),
                Either::Right((Some(flight), _)) => Either::Right(flight),
                Either::Right((None, _)) => continue,
            },
        };
        match event {
            Either::Left(done) => {
                local = None;
                match done? {
                    LocalStep::Read(pending) => {
                        let Some(last) = pending.last() else {
                            all_read = true;
                            continue;
                        };
                        read_from = last.seq;
                        let after = if flights.is_empty() { None } else { last_sent };
                        last_sent = Some(last.mutation.mutation_id);
                        flights.push_back(send(remote, replica, course, pending, after));
                    }
                    LocalStep::Acknowledged => {}
                }
            }
            Either::Right(flight) => {
                let flight = match flight {
                    Ok(flight) => flight,
                    Err(e) => {
                        drop(flights);
                        settle(replica, course, local, answered).await?;
                        return Err(e);
                    }
                };
                report.uploaded += flight.uploaded;
                match flight.answer {
                    Ok(resp) => {
                        report.pushed += resp.results.len();
                        report.conflicts += resp
                            .results
                            .iter()
                            .map(|r| r.conflicts.len())
                            .sum::<usize>();
                        let skip_from = caught_up.filter(|from| answer_covers(*from, &resp));
                        caught_up = match skip_from {
                            Some(from) if resp.seq > from => Some(resp.seq),
                            unchanged => unchanged,
                        };
                        answered.push_back(Answered {
                            seqs: flight.seqs,
                            response: resp,
                            skip_from,
                        });
                        continue;
                    }
                    Err(refused) => {
                        // Whatever comes of the batches after it, none is applied before
                        // it: they are dropped, and sent again from the first row waiting.
                        flights = FuturesOrdered::new();
                        settle(replica, course, local.take(), std::mem::take(&mut answered))
                            .await?;
                        match refused {
                            RemoteError::Refused { status: 422, error } => {
                                set_aside(replica, course, &flight.seqs, error, report).await?;
                            }
                            // The batch before took longer than the server waits for it.
                            RemoteError::Refused { status: 409, error }
                                if flight.follows && error.code == "wrong_state" => {}
                            e => return Err(e.into()),
                        }
                        read_from = 0;
                        last_sent = None;
                        all_read = false;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Finishes the library's step under way, then records the answers
/// that have come, in order.
async fn settle<R: Replica>(
    replica: &R,
    course: Uuid,
    local: Option<Step<'_, LocalStep, R::Error>>,
    answered: VecDeque<Answered>,
) -> Result<(), SyncError<R::Error>> {
    if let Some(step) = local {
        step.await?;
    }
    for done in answered {
        acknowledge(replica, course, done).await?;
    }
    Ok(())
}

/// The server refused mutations of a batch for good (422, naming each by its index): they
/// are set aside with the reason, keeping the local state. A refusal that names none stops
/// the push.
async fn set_aside<R: Replica>(
    replica: &R,
    course: Uuid,
    seqs: &[i64],
    error: ApiError,
    report: &mut SyncReport,
) -> Result<(), SyncError<R::Error>> {
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
        .filter(|(i, _)| *i < seqs.len())
        .collect();
    if refused.is_empty() {
        return Err(RemoteError::Refused { status: 422, error }.into());
    }
    for (index, why) in refused {
        let reason = format!("{}: {why}", error.message);
        replica
            .set_aside(course, seqs[index], reason.clone())
            .await
            .map_err(SyncError::Local)?;
        report.set_aside.push(reason);
    }
    Ok(())
}

/// Records a push's answer in the library, and moves the cursor past the changes it
/// carried when it carried every one.
async fn acknowledge<R: Replica>(
    replica: &R,
    course: Uuid,
    done: Answered,
) -> Result<(), SyncError<R::Error>> {
    let to = done.response.seq;
    let acked = done.seqs.into_iter().zip(done.response.results).collect();
    replica
        .acknowledge(course, acked)
        .await
        .map_err(SyncError::Local)?;
    if let Some(from) = done.skip_from.filter(|from| to > *from) {
        replica
            .skip_pulled(course, from, to)
            .await
            .map_err(SyncError::Local)?;
    }
    Ok(())
}

/// Sends what was made here for the course's slides after the edits they go with (a slide
/// pointing at its narration comes first): each take's files, then the take. One the server
/// refuses for good (made from a slide that changed there since, or of a slide gone) is not
/// sent again; the team makes its own.
async fn push_outputs<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
    report: &mut SyncReport,
) -> Result<(), SyncError<R::Error>> {
    let takes = replica
        .unpushed_outputs(course)
        .await
        .map_err(SyncError::Local)?;
    for take in takes {
        let files = take
            .iter()
            .flat_map(|g| std::iter::once(&g.asset).chain(&g.thumbnail))
            .map(|a| a.0.clone())
            .collect();
        report.uploaded += upload_files(remote, replica, course, files).await?;
        match remote.put_generated(course, &take).await {
            Ok(()) => report.outputs_sent += 1,
            Err(RemoteError::Refused {
                status: 400 | 404 | 409 | 422,
                ..
            }) => report.outputs_stale += 1,
            // A viewer's app keeps them (its role may change); the pull still runs.
            Err(RemoteError::Refused { status: 403, .. }) => return Ok(()),
            Err(e) => return Err(SyncError::Remote(e)),
        }
        replica
            .outputs_pushed(&take)
            .await
            .map_err(SyncError::Local)?;
    }
    Ok(())
}

async fn upload_assets<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
    batch: &[Mutation],
) -> Result<usize, SyncError<R::Error>> {
    let wanted: BTreeSet<String> = batch
        .iter()
        .filter_map(|m| m.state.as_ref())
        .flat_map(assets_of)
        .collect();
    upload_files(remote, replica, course, wanted).await
}

/// Uploads the files of `wanted` that the server lacks and the library holds.
async fn upload_files<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
    wanted: BTreeSet<String>,
) -> Result<usize, SyncError<R::Error>> {
    let wanted: Vec<String> = wanted.into_iter().collect();
    let mut uploaded = 0;
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
            uploaded += 1;
        }
    }
    Ok(uploaded)
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
            .chain(page.generated.iter().flat_map(|g| {
                std::iter::once(g.asset.0.clone()).chain(g.thumbnail.iter().map(|t| t.0.clone()))
            }))
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
        report.pulled += page.changes.len() + page.conflicts.len() + page.generated.len();
        after = page.next;
        if !page.more {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{
        ConflictRecord, CourseFields, EntityKind, EntityRecord, MutationResult, Outcome,
    };
    use std::collections::{HashMap, HashSet};
    use std::sync::Mutex;

    fn answer(entity_seqs: &[i64], conflict_seqs: &[i64], seq: i64) -> PushResponse {
        let course = Uuid::now_v7();
        let entity = |seq: i64| EntityRecord {
            kind: EntityKind::Course,
            id: course,
            version: 1,
            deleted: false,
            state: EntityState::Course(CourseFields {
                title: "t".into(),
                description: String::new(),
                language: None,
            }),
            seq,
            updated_at: chrono::Utc::now(),
            updated_by: None,
        };
        let conflict = |seq: i64| ConflictRecord {
            id: Uuid::now_v7(),
            course_id: course,
            kind: EntityKind::Course,
            entity_id: course,
            path: Vec::new(),
            pointer: String::new(),
            base: None,
            mine: None,
            theirs: None,
            mine_author: None,
            mine_at: chrono::Utc::now(),
            theirs_author: None,
            created_at: chrono::Utc::now(),
            resolved_at: None,
            resolved_by: None,
            seq,
        };
        let mut results: Vec<MutationResult> = entity_seqs
            .iter()
            .map(|s| MutationResult {
                mutation_id: Uuid::now_v7(),
                outcome: Outcome::Applied,
                entity: Some(entity(*s)),
                conflicts: Vec::new(),
            })
            .collect();
        results.push(MutationResult {
            mutation_id: Uuid::now_v7(),
            outcome: Outcome::Conflicted,
            entity: None,
            conflicts: conflict_seqs.iter().map(|s| conflict(*s)).collect(),
        });
        PushResponse { results, seq }
    }

    /// What goes wrong with one push (by its place among the pushes made).
    #[derive(Debug, Clone, Copy)]
    enum Failure {
        /// The connection drops before the push arrives.
        Drop,
        /// The push is applied; its reply is lost.
        LoseReply,
        /// The mutation at this index breaks a rule: the push is refused whole (422).
        Refuse(usize),
        /// The push was sent after a batch still on its way and the server gave up waiting.
        GaveUpWaiting,
    }

    /// A team server in memory: each mutation makes the next version of its entity and
    /// takes the next position in the log, once (a mutation sent again is already applied);
    /// a push sent after a mutation it does not hold is refused, as the real one does when
    /// that mutation does not come.
    #[derive(Default)]
    struct Server {
        versions: Mutex<HashMap<Uuid, i64>>,
        applied: Mutex<HashSet<Uuid>>,
        /// Mutations in the order they were applied.
        order: Mutex<Vec<Uuid>>,
        seq: Mutex<i64>,
        /// Every push: its mutations, and the mutation it was sent after.
        pushed: Mutex<Vec<(Vec<Uuid>, Option<Uuid>)>>,
        pulled_after: Mutex<Vec<i64>>,
        failures: Mutex<HashMap<usize, Failure>>,
        /// Takes received, and what to answer a take by its input key (default: taken).
        takes: Mutex<Vec<String>>,
        take_answers: Mutex<HashMap<String, u16>>,
    }

    fn refused(status: u16, code: &str, details: serde_json::Value) -> RemoteError {
        RemoteError::Refused {
            status,
            error: ApiError {
                code: code.into(),
                message: format!("refused ({code})"),
                details,
            },
        }
    }

    #[async_trait]
    impl Api for Server {
        async fn push(
            &self,
            _: Uuid,
            req: &PushRequest,
            after: Option<Uuid>,
        ) -> Result<PushResponse, RemoteError> {
            let call = {
                let mut pushed = self.pushed.lock().expect("lock");
                pushed.push((req.mutations.iter().map(|m| m.mutation_id).collect(), after));
                pushed.len() - 1
            };
            let failure = self.failures.lock().expect("lock").get(&call).copied();
            match failure {
                Some(Failure::Drop) => {
                    return Err(RemoteError::Unreachable {
                        url: "memory".into(),
                        detail: "the connection dropped".into(),
                    });
                }
                Some(Failure::Refuse(index)) => {
                    return Err(refused(
                        422,
                        "invalid_input",
                        serde_json::json!({"mutations": [{"index": index, "message": "no"}]}),
                    ));
                }
                Some(Failure::GaveUpWaiting) => {
                    return Err(refused(409, "wrong_state", serde_json::Value::Null));
                }
                Some(Failure::LoseReply) | None => {}
            }
            let mut applied = self.applied.lock().expect("lock");
            if after.is_some_and(|after| !applied.contains(&after)) {
                return Err(refused(409, "wrong_state", serde_json::Value::Null));
            }
            let mut versions = self.versions.lock().expect("lock");
            let mut seq = self.seq.lock().expect("lock");
            let mut results = Vec::new();
            for m in &req.mutations {
                let outcome = if applied.insert(m.mutation_id) {
                    self.order.lock().expect("lock").push(m.mutation_id);
                    *versions.entry(m.entity_id).or_insert(0) += 1;
                    *seq += 1;
                    Outcome::Applied
                } else {
                    Outcome::AlreadyApplied
                };
                results.push(MutationResult {
                    mutation_id: m.mutation_id,
                    outcome,
                    entity: Some(EntityRecord {
                        kind: EntityKind::Lesson,
                        id: m.entity_id,
                        version: versions[&m.entity_id],
                        deleted: true,
                        state: EntityState::Course(CourseFields {
                            title: "t".into(),
                            description: String::new(),
                            language: None,
                        }),
                        seq: *seq,
                        updated_at: chrono::Utc::now(),
                        updated_by: None,
                    }),
                    conflicts: Vec::new(),
                });
            }
            if matches!(failure, Some(Failure::LoseReply)) {
                return Err(RemoteError::Unreachable {
                    url: "memory".into(),
                    detail: "the reply was lost".into(),
                });
            }
            Ok(PushResponse { results, seq: *seq })
        }
        async fn pull(&self, _: Uuid, after: i64, _: i64) -> Result<PullPage, RemoteError> {
            self.pulled_after.lock().expect("lock").push(after);
            Ok(PullPage {
                changes: Vec::new(),
                conflicts: Vec::new(),
                generated: Vec::new(),
                next: after.max(*self.seq.lock().expect("lock")),
                more: false,
            })
        }
        async fn missing_assets(
            &self,
            _: Uuid,
            _: Vec<String>,
        ) -> Result<Vec<String>, RemoteError> {
            Ok(Vec::new())
        }
        async fn upload_asset(
            &self,
            _: Uuid,
            _: &str,
            _: &str,
            _: Vec<u8>,
        ) -> Result<(), RemoteError> {
            Ok(())
        }
        async fn download_asset(&self, _: Uuid, _: &str) -> Result<(String, Vec<u8>), RemoteError> {
            Ok((String::new(), Vec::new()))
        }
        async fn put_generated(&self, _: Uuid, take: &[Generated]) -> Result<(), RemoteError> {
            let key = take[0].input_key.clone();
            self.takes.lock().expect("lock").push(key.clone());
            match self.take_answers.lock().expect("lock").get(&key) {
                None => Ok(()),
                Some(0) => Err(RemoteError::Unreachable {
                    url: "http://team".into(),
                    detail: "the connection dropped".into(),
                }),
                Some(status) => Err(refused(
                    *status,
                    "version_conflict",
                    serde_json::Value::Null,
                )),
            }
        }
    }

    /// A library in memory: outbox rows (place, entity, mutation id), server versions, cursor.
    #[derive(Default)]
    struct Library {
        outbox: Mutex<Vec<(i64, Uuid, Uuid)>>,
        versions: Mutex<HashMap<Uuid, i64>>,
        cursor: Mutex<i64>,
        acknowledged: Mutex<Vec<i64>>,
        set_aside: Mutex<Vec<i64>>,
        /// Takes made here not yet sent, by input key.
        outputs: Mutex<Vec<String>>,
    }

    #[derive(Debug, thiserror::Error)]
    #[error("never")]
    struct Never;

    #[async_trait]
    impl Replica for Library {
        type Error = Never;
        async fn pending(&self, _: Uuid, after: i64, limit: usize) -> Result<Vec<Pending>, Never> {
            let versions = self.versions.lock().expect("lock");
            Ok(self
                .outbox
                .lock()
                .expect("lock")
                .iter()
                .filter(|(seq, _, _)| *seq > after)
                .take(limit)
                .map(|(seq, entity, id)| Pending {
                    seq: *seq,
                    mutation: Mutation {
                        mutation_id: *id,
                        kind: EntityKind::Lesson,
                        entity_id: *entity,
                        base_version: versions.get(entity).copied(),
                        base: None,
                        state: None,
                        resolves: Vec::new(),
                        made_at: chrono::Utc::now(),
                    },
                })
                .collect())
        }
        async fn asset(&self, _: &str) -> Result<(String, Vec<u8>), Never> {
            Ok((String::new(), Vec::new()))
        }
        async fn has_asset(&self, _: &str) -> Result<bool, Never> {
            Ok(false)
        }
        async fn put_asset(&self, _: &str, _: Vec<u8>) -> Result<(), Never> {
            Ok(())
        }
        async fn acknowledge(
            &self,
            _: Uuid,
            acked: Vec<(i64, MutationResult)>,
        ) -> Result<(), Never> {
            let mut versions = self.versions.lock().expect("lock");
            for (seq, result) in acked {
                self.outbox
                    .lock()
                    .expect("lock")
                    .retain(|(s, _, _)| *s != seq);
                self.acknowledged.lock().expect("lock").push(seq);
                if let Some(e) = result.entity {
                    let v = versions.entry(e.id).or_insert(e.version);
                    *v = (*v).max(e.version);
                }
            }
            Ok(())
        }
        async fn set_aside(&self, _: Uuid, seq: i64, _: String) -> Result<(), Never> {
            self.outbox
                .lock()
                .expect("lock")
                .retain(|(s, _, _)| *s != seq);
            self.set_aside.lock().expect("lock").push(seq);
            Ok(())
        }
        async fn cursor(&self, _: Uuid) -> Result<i64, Never> {
            Ok(*self.cursor.lock().expect("lock"))
        }
        async fn skip_pulled(&self, _: Uuid, from: i64, to: i64) -> Result<(), Never> {
            let mut cursor = self.cursor.lock().expect("lock");
            if (from..to).contains(&*cursor) {
                *cursor = to;
            }
            Ok(())
        }
        async fn apply(&self, _: Uuid, page: &PullPage) -> Result<(), Never> {
            *self.cursor.lock().expect("lock") = page.next;
            Ok(())
        }
        async fn unpushed_outputs(&self, _: Uuid) -> Result<Vec<Vec<Generated>>, Never> {
            Ok(self
                .outputs
                .lock()
                .expect("lock")
                .iter()
                .map(|key| vec![take(key)])
                .collect())
        }
        async fn outputs_pushed(&self, take: &[Generated]) -> Result<(), Never> {
            self.outputs
                .lock()
                .expect("lock")
                .retain(|k| *k != take[0].input_key);
            Ok(())
        }
    }

    fn take(key: &str) -> Generated {
        Generated {
            target_id: Uuid::nil(),
            kind: "slide_render".into(),
            page: 0,
            asset: classkit_model::AssetRef("0".repeat(64)),
            media_type: "image/png".into(),
            thumbnail: None,
            duration_ms: None,
            input_key: key.into(),
            engine: "slides".into(),
            cost_micros: 0,
            job_id: None,
            details: serde_json::Value::Null,
        }
    }

    #[test]
    fn takes_made_here_are_sent_once_taken_or_refused_and_kept_while_the_server_is_away() {
        let library = Library::default();
        *library.outputs.lock().expect("lock") = vec![
            "taken".into(),
            "stale".into(),
            "away".into(),
            "after".into(),
        ];
        let server = Server::default();
        server
            .take_answers
            .lock()
            .expect("lock")
            .extend([("stale".to_string(), 409), ("away".to_string(), 0)]);
        // The connection drops at the third: the sync fails, what was answered is settled.
        assert!(sync(&server, &library).is_err());
        assert_eq!(
            *library.outputs.lock().expect("lock"),
            vec!["away".to_string(), "after".to_string()]
        );
        // Back: the rest go, and nothing is sent twice.
        server.take_answers.lock().expect("lock").remove("away");
        let report = sync(&server, &library).expect("sync");
        assert_eq!((report.outputs_sent, report.outputs_stale), (2, 0));
        assert!(library.outputs.lock().expect("lock").is_empty());
        assert_eq!(
            *server.takes.lock().expect("lock"),
            ["taken", "stale", "away", "away", "after"]
        );
        // A viewer's app keeps its takes and still pulls.
        *library.outputs.lock().expect("lock") = vec!["viewer".into()];
        server
            .take_answers
            .lock()
            .expect("lock")
            .insert("viewer".into(), 403);
        let report = sync(&server, &library).expect("sync");
        assert_eq!((report.outputs_sent, report.outputs_stale), (0, 0));
        assert_eq!(
            *library.outputs.lock().expect("lock"),
            vec!["viewer".to_string()]
        );
    }

    /// A library with `n` waiting edits, each of its own entity.
    fn library_with(n: i64) -> (Library, Vec<Uuid>) {
        let library = Library::default();
        let rows: Vec<(i64, Uuid, Uuid)> = (1..=n)
            .map(|seq| (seq, Uuid::now_v7(), Uuid::now_v7()))
            .collect();
        let ids = rows.iter().map(|r| r.2).collect();
        *library.outbox.lock().expect("lock") = rows;
        (library, ids)
    }

    fn sync(server: &Server, library: &Library) -> Result<SyncReport, SyncError<Never>> {
        futures::executor::block_on(sync_course(server, library, Uuid::now_v7()))
    }

    #[test]
    fn batches_go_in_order_each_sent_to_follow_the_one_before() {
        let (library, ids) = library_with(2500);
        let server = Server::default();
        let report = sync(&server, &library).expect("sync");

        assert_eq!(report.pushed, 2500);
        let pushed = server.pushed.lock().expect("lock").clone();
        assert_eq!(
            pushed.iter().map(|p| p.0.len()).collect::<Vec<_>>(),
            [1000, 1000, 500]
        );
        // The first batch follows nothing; each after it follows the last mutation of the
        // batch before, so the server applies them in the outbox's order.
        assert_eq!(
            pushed.iter().map(|p| p.1).collect::<Vec<_>>(),
            [None, Some(ids[999]), Some(ids[1999])]
        );
        let sent: Vec<Uuid> = pushed.into_iter().flat_map(|p| p.0).collect();
        assert_eq!(sent, ids);
        assert_eq!(*server.order.lock().expect("lock"), ids);
        // Every row acknowledged, in order, and gone from the outbox.
        let acknowledged = library.acknowledged.lock().expect("lock").clone();
        assert_eq!(acknowledged, (1..=2500).collect::<Vec<_>>());
        assert!(library.outbox.lock().expect("lock").is_empty());
        // The answers carried the whole log: the pull starts after it.
        assert_eq!(*server.pulled_after.lock().expect("lock"), [2500]);
    }

    /// After a failed sync and a clean one: every edit applied exactly once, every row
    /// acknowledged once and gone.
    fn assert_all_applied_once(server: &Server, library: &Library, ids: &[Uuid]) {
        assert_eq!(*server.order.lock().expect("lock"), ids);
        assert!(
            server
                .versions
                .lock()
                .expect("lock")
                .values()
                .all(|v| *v == 1)
        );
        let mut acknowledged = library.acknowledged.lock().expect("lock").clone();
        let n = acknowledged.len();
        acknowledged.sort_unstable();
        acknowledged.dedup();
        assert_eq!(acknowledged.len(), n, "a row was acknowledged twice");
        assert!(library.outbox.lock().expect("lock").is_empty());
    }

    #[test]
    fn a_batch_that_never_arrives_stops_the_push_and_the_next_sync_sends_the_rest_once() {
        let (library, ids) = library_with(3500);
        let server = Server::default();
        server
            .failures
            .lock()
            .expect("lock")
            .insert(1, Failure::Drop);
        let err = sync(&server, &library).expect_err("the second batch was lost");
        assert_eq!(err.code(), ErrorCode::ServerUnreachable);
        // The first batch's answer came and is kept; nothing after the lost one is applied.
        assert_eq!(
            *library.acknowledged.lock().expect("lock"),
            (1..=1000).collect::<Vec<_>>()
        );
        assert_eq!(server.applied.lock().expect("lock").len(), 1000);

        sync(&server, &library).expect("the next sync");
        assert_all_applied_once(&server, &library, &ids);
        let pushed = server.pushed.lock().expect("lock").clone();
        // The next sync starts at the first row waiting, following nothing.
        let restart = pushed
            .iter()
            .position(|p| p.0[0] == ids[1000] && p.1.is_none())
            .expect("a push from row 1,001");
        assert!(restart >= 2);
    }

    #[test]
    fn a_lost_reply_leaves_the_rows_waiting_and_they_are_applied_once() {
        let (library, ids) = library_with(3500);
        let server = Server::default();
        server
            .failures
            .lock()
            .expect("lock")
            .insert(1, Failure::LoseReply);
        sync(&server, &library).expect_err("the second answer was lost");
        // Applied on the server, still waiting in the library: sent again, applied once.
        assert!(server.applied.lock().expect("lock").contains(&ids[1999]));
        assert!(
            library
                .outbox
                .lock()
                .expect("lock")
                .iter()
                .any(|r| r.2 == ids[1999])
        );
        let report = sync(&server, &library).expect("the next sync");
        assert_eq!(report.pushed, 2500);
        assert_all_applied_once(&server, &library, &ids);
    }

    #[test]
    fn a_refused_mutation_is_set_aside_and_the_batches_after_it_are_sent_again() {
        let (library, ids) = library_with(3500);
        let server = Server::default();
        server
            .failures
            .lock()
            .expect("lock")
            .insert(1, Failure::Refuse(5));
        let report = sync(&server, &library).expect("sync");
        assert_eq!(report.set_aside.len(), 1);
        assert_eq!(*library.set_aside.lock().expect("lock"), [1006]);
        let mut others = ids.clone();
        others.remove(1005);
        assert_all_applied_once(&server, &library, &others);
        // In the outbox's order, the refused edit left out.
        assert_eq!(*server.order.lock().expect("lock"), others);
    }

    #[test]
    fn a_batch_the_server_gave_up_waiting_for_is_sent_again_after_the_one_before() {
        let (library, ids) = library_with(2500);
        let server = Server::default();
        server
            .failures
            .lock()
            .expect("lock")
            .insert(1, Failure::GaveUpWaiting);
        let report = sync(&server, &library).expect("sync");
        assert_eq!(report.pushed, 2500);
        assert_all_applied_once(&server, &library, &ids);
        let pushed = server.pushed.lock().expect("lock").clone();
        assert_eq!(pushed[1].1, Some(ids[999]));
        // Sent again, following nothing (the batch before is acknowledged by then).
        assert!(
            pushed[2..]
                .iter()
                .any(|p| p.0[0] == ids[1000] && p.1.is_none())
        );
    }

    #[test]
    fn an_answer_covers_the_log_only_when_it_carries_every_position() {
        // Every position after the cursor is an entity or a conflict of the answer.
        assert!(answer_covers(3, &answer(&[4, 5, 7], &[6], 7)));
        // Older positions (an edit that changed nothing answers with the entity as it was)
        // do not count, and do not hurt.
        assert!(answer_covers(3, &answer(&[2, 4, 5], &[], 5)));
        // Nothing new.
        assert!(answer_covers(7, &answer(&[5], &[], 7)));
        // Position 6 is someone else's change, or an entity changed twice, or a settled
        // conflict: it must be pulled.
        assert!(!answer_covers(3, &answer(&[4, 5, 7], &[], 7)));
        // A cursor behind the push: others' changes came first.
        assert!(!answer_covers(0, &answer(&[4, 5], &[], 5)));
    }
}

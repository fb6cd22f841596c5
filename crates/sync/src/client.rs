//! The client engine: one sync of one course between a local replica and the team server.
//!
//! Push first: the outbox's mutations in order, in batches, each batch after the assets its
//! states use (uploaded by hash, only those the server lacks). An outbox row is removed only
//! when the server's answer for it has been received and applied locally; a batch whose
//! answer is lost is sent again and the server applies it once. Then pull: the change log
//! from the course's cursor, page by page, each page applied with its cursor in one local
//! transaction, so an interrupted pull resumes where it stopped. When the answers to the
//! pushes carried every change made to the log since the cursor (a course just shared, or
//! edits nobody else's changes came between), the cursor moves past them without pulling
//! them back.

use crate::protocol::{
    EntityState, MAX_PUSH, Mutation, MutationResult, PullPage, PushRequest, PushResponse,
};
use crate::remote::{Remote, RemoteError};
use async_trait::async_trait;
use classkit_model::ErrorCode;
use std::collections::{BTreeSet, HashMap};
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

/// A batch of outbox rows being pushed: their places in the outbox, and the mutations.
struct Batch {
    seqs: Vec<i64>,
    mutations: Vec<Mutation>,
}

impl Batch {
    fn new(pending: Vec<Pending>) -> Self {
        let (seqs, mutations) = pending.into_iter().map(|p| (p.seq, p.mutation)).unzip();
        Self { seqs, mutations }
    }

    /// The place of the last row, from where the next batch is read.
    fn last(&self) -> i64 {
        self.seqs.last().copied().unwrap_or(0)
    }

    /// Brings the server versions up to date with an answer acknowledged after this batch
    /// was read: an entity the answer carries is at the version it gives (or a later one).
    fn catch_up(&mut self, answer: &PushResponse) {
        let mut versions: HashMap<Uuid, i64> = HashMap::new();
        for e in answer.results.iter().filter_map(|r| r.entity.as_ref()) {
            let v = versions.entry(e.id).or_insert(e.version);
            *v = (*v).max(e.version);
        }
        for m in &mut self.mutations {
            if let Some(v) = versions.get(&m.entity_id) {
                m.base_version = Some(m.base_version.map_or(*v, |b| b.max(*v)));
            }
        }
    }
}

/// A push's answer, to be acknowledged.
struct Answered {
    seqs: Vec<i64>,
    response: PushResponse,
    /// The cursor can move from this position to the push's (see [`answer_covers`]).
    skip_from: Option<i64>,
}

/// Pushes the outbox in batches, in order: a batch is sent when the answer to the one before
/// it has come. While the server works on a batch, the answer to the one before is
/// acknowledged and the next batch is read (the server versions it names are then brought
/// up to date with the answer that comes meanwhile, as acknowledging it records them).
async fn push<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
    report: &mut SyncReport,
) -> Result<(), SyncError<R::Error>> {
    // The cursor, for as long as each push's answer carries every change of the log after
    // it: the pull then has nothing to bring (see `answer_covers`).
    let mut caught_up = Some(replica.cursor(course).await.map_err(SyncError::Local)?);
    let mut batch = Batch::new(
        replica
            .pending(course, 0, MAX_PUSH)
            .await
            .map_err(SyncError::Local)?,
    );
    let mut answered: Option<Answered> = None;
    while !batch.seqs.is_empty() {
        let after = batch.last();
        let req = PushRequest {
            mutations: std::mem::take(&mut batch.mutations),
        };
        let sending = async {
            upload_assets(remote, replica, course, &req.mutations, report).await?;
            Ok::<_, SyncError<R::Error>>(remote.push(course, &req).await)
        };
        let meanwhile = async {
            if let Some(done) = answered.take() {
                acknowledge(replica, course, done).await?;
            }
            replica
                .pending(course, after, MAX_PUSH)
                .await
                .map_err(SyncError::Local)
        };
        let (sent, next) = futures::join!(sending, meanwhile);
        let (pushed, next) = (sent?, next?);
        match pushed {
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
                let mut next = Batch::new(next);
                next.catch_up(&resp);
                answered = Some(Answered {
                    seqs: std::mem::take(&mut batch.seqs),
                    response: resp,
                    skip_from,
                });
                batch = next;
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
                    .filter(|(i, _)| *i < batch.seqs.len())
                    .collect();
                if refused.is_empty() {
                    return Err(RemoteError::Refused { status: 422, error }.into());
                }
                for (index, why) in refused {
                    let reason = format!("{}: {why}", error.message);
                    replica
                        .set_aside(course, batch.seqs[index], reason.clone())
                        .await
                        .map_err(SyncError::Local)?;
                    report.set_aside.push(reason);
                }
                batch = Batch::new(
                    replica
                        .pending(course, 0, MAX_PUSH)
                        .await
                        .map_err(SyncError::Local)?,
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(done) = answered {
        acknowledge(replica, course, done).await?;
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

async fn upload_assets<R: Replica>(
    remote: &impl Api,
    replica: &R,
    course: Uuid,
    batch: &[Mutation],
    report: &mut SyncReport,
) -> Result<(), SyncError<R::Error>> {
    let wanted: BTreeSet<String> = batch
        .iter()
        .filter_map(|m| m.state.as_ref())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{
        ConflictRecord, CourseFields, EntityKind, EntityRecord, MutationResult, Outcome,
    };
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

    /// A team server in memory: each mutation makes the next version of its entity and
    /// takes the next position in the log.
    #[derive(Default)]
    struct Server {
        versions: Mutex<HashMap<Uuid, i64>>,
        seq: Mutex<i64>,
        pushed: Mutex<Vec<Vec<Uuid>>>,
        pulled_after: Mutex<Vec<i64>>,
    }

    #[async_trait]
    impl Api for Server {
        async fn push(&self, _: Uuid, req: &PushRequest) -> Result<PushResponse, RemoteError> {
            let mut versions = self.versions.lock().expect("lock");
            let mut seq = self.seq.lock().expect("lock");
            let mut results = Vec::new();
            // The version a mutation names is the server's when the push before it was
            // acknowledged (edits of one entity in one push all name the same).
            let before = versions.clone();
            for m in &req.mutations {
                assert_eq!(
                    m.base_version,
                    before.get(&m.entity_id).copied(),
                    "{}",
                    m.entity_id
                );
                let version = versions.entry(m.entity_id).or_insert(0);
                *version += 1;
                *seq += 1;
                results.push(MutationResult {
                    mutation_id: m.mutation_id,
                    outcome: Outcome::Applied,
                    entity: Some(EntityRecord {
                        kind: EntityKind::Lesson,
                        id: m.entity_id,
                        version: *version,
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
            self.pushed
                .lock()
                .expect("lock")
                .push(req.mutations.iter().map(|m| m.mutation_id).collect());
            Ok(PushResponse { results, seq: *seq })
        }
        async fn pull(&self, _: Uuid, after: i64, _: i64) -> Result<PullPage, RemoteError> {
            self.pulled_after.lock().expect("lock").push(after);
            Ok(PullPage {
                changes: Vec::new(),
                conflicts: Vec::new(),
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
    }

    /// A library in memory: outbox rows (place, entity, mutation id), server versions, cursor.
    #[derive(Default)]
    struct Library {
        outbox: Mutex<Vec<(i64, Uuid, Uuid)>>,
        versions: Mutex<HashMap<Uuid, i64>>,
        cursor: Mutex<i64>,
        acknowledged: Mutex<Vec<i64>>,
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
        async fn set_aside(&self, _: Uuid, _: i64, _: String) -> Result<(), Never> {
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
    }

    #[test]
    fn batches_go_in_order_with_the_server_versions_of_the_batch_before() {
        // 2,500 edits: one entity edited at the end of each batch and at the start of the
        // next, so that a batch read while the one before is being pushed must take the
        // version that push gives.
        let twice = Uuid::now_v7();
        let library = Library::default();
        let rows: Vec<(i64, Uuid, Uuid)> = (1..=2500)
            .map(|seq| {
                let entity = if [1000, 1001, 2000, 2001].contains(&seq) {
                    twice
                } else {
                    Uuid::now_v7()
                };
                (seq, entity, Uuid::now_v7())
            })
            .collect();
        *library.outbox.lock().expect("lock") = rows.clone();
        let server = Server::default();
        let report = futures::executor::block_on(sync_course(&server, &library, Uuid::now_v7()))
            .expect("sync");

        assert_eq!(report.pushed, 2500);
        let pushed = server.pushed.lock().expect("lock").clone();
        assert_eq!(
            pushed.iter().map(Vec::len).collect::<Vec<_>>(),
            [1000, 1000, 500]
        );
        let order: Vec<Uuid> = pushed.concat();
        assert_eq!(order, rows.iter().map(|r| r.2).collect::<Vec<_>>());
        assert_eq!(server.versions.lock().expect("lock")[&twice], 4);
        // Every row acknowledged, in order, and gone from the outbox.
        let acknowledged = library.acknowledged.lock().expect("lock").clone();
        assert_eq!(acknowledged, (1..=2500).collect::<Vec<_>>());
        assert!(library.outbox.lock().expect("lock").is_empty());
        // The answers carried the whole log: the pull starts after it.
        assert_eq!(*server.pulled_after.lock().expect("lock"), [2500]);
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

//! Team mode: the team server a library syncs with, sharing and opening courses, sync, and
//! conflicts. The desktop app and the command line call these; neither holds a rule of its
//! own about the team.
//!
//! The token is never stored in the library: the desktop app keeps it in the OS keyring
//! (the key store, under [`TOKEN_KEY`]); the command line reads it from the file the admin
//! handed out, whose path the library remembers.

use crate::{App, AppError, Result};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use classkit_store::{Keep, RemoteSetting, Store, StoreError, TeamLink};
use classkit_sync::client::{Pending, Replica, SyncError, SyncReport, sync_course};
use classkit_sync::{ConflictRecord, MutationResult, NewCourse, PullPage, Remote, RemoteError};
use serde::Serialize;
use std::path::{Path, PathBuf};
use uuid::Uuid;

mod background;
mod conflicts;
mod generation;
mod jobs;
mod worker;

pub use worker::{TeamWorkerView, WORKER_TOKEN_KEY};

pub(crate) use background::TeamState;
pub use background::{Connection, SyncTiming, TeamStatus};
pub use classkit_sync::{Me, Member, TeamBudget, TeamCourse, TeamToken};
pub use conflicts::{ConflictPlace, ConflictView, KeepChoice, TextMerge, merge_text};
pub use generation::TeamAssembly;

/// The key store's name for the team token.
pub const TOKEN_KEY: &str = "team-server";

/// Where the team token comes from.
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// A file the admin handed out (read at each use, so it can be replaced).
    File(PathBuf),
    /// Typed in the app: kept in the key store.
    Typed(TeamToken),
}

/// The library's link to the team server, as settings show it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RemoteView {
    pub url: String,
    /// Whom the token belongs to.
    pub email: Option<String>,
    /// The token is read from this file (command line); none: the keyring.
    pub token_file: Option<PathBuf>,
}

/// One course's sync state, for the header and `classkit sync`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CourseSync {
    pub course_id: Uuid,
    pub title: String,
    pub role: String,
    /// Edits made here that the server has not acknowledged yet.
    pub waiting: i64,
    /// Open conflicts.
    pub conflicts: usize,
    pub last_sync: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// What a sync of one course did, or why it stopped.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SyncOutcome {
    pub course_id: Uuid,
    pub report: Option<SyncReport>,
    /// The code and sentence of the failure, when it failed.
    pub error: Option<crate::WireError>,
}

async fn read_token_file(path: &Path) -> Result<TeamToken> {
    let text = crate::read_limited(path, 4096).await?;
    if text.len() > 4096 {
        return Err(AppError::Invalid(format!(
            "{} is too large to be a token file",
            path.display()
        )));
    }
    let text = String::from_utf8(text)
        .map_err(|_| AppError::Invalid(format!("the token file {} is not text", path.display())))?;
    let token = TeamToken::new(&text);
    if token.expose().is_empty() {
        return Err(AppError::Invalid(format!(
            "the token file {} is empty",
            path.display()
        )));
    }
    Ok(token)
}

/// The local library as the sync engine sees it.
pub struct LibraryReplica<'a>(pub &'a Store);

#[async_trait]
impl Replica for LibraryReplica<'_> {
    type Error = StoreError;

    async fn pending(
        &self,
        course: Uuid,
        after: i64,
        limit: usize,
    ) -> Result<Vec<Pending>, StoreError> {
        self.0.team_pending(course, after, limit).await
    }

    async fn asset(&self, sha256: &str) -> Result<(String, Vec<u8>), StoreError> {
        let asset = classkit_model::AssetRef(sha256.to_string());
        let info = self.0.asset_info(&asset).await?;
        Ok((info.media_type, self.0.asset_bytes(&asset).await?))
    }

    async fn has_asset(&self, sha256: &str) -> Result<bool, StoreError> {
        self.0
            .has_asset(&classkit_model::AssetRef(sha256.to_string()))
            .await
    }

    async fn put_asset(&self, media_type: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        self.0.put_asset(&bytes, media_type).await.map(|_| ())
    }

    async fn acknowledge(
        &self,
        course: Uuid,
        acked: Vec<(i64, MutationResult)>,
    ) -> Result<(), StoreError> {
        self.0.team_acknowledge(course, acked).await
    }

    async fn set_aside(&self, _course: Uuid, seq: i64, reason: String) -> Result<(), StoreError> {
        self.0.team_set_aside(seq, &reason).await
    }

    async fn cursor(&self, course: Uuid) -> Result<i64, StoreError> {
        self.0.team_cursor(course).await
    }

    async fn skip_pulled(&self, course: Uuid, from: i64, to: i64) -> Result<(), StoreError> {
        self.0.team_skip_pulled(course, from, to).await
    }

    async fn apply(&self, course: Uuid, page: &PullPage) -> Result<(), StoreError> {
        self.0.team_apply(course, page).await
    }

    async fn unpushed_outputs(
        &self,
        course: Uuid,
    ) -> Result<Vec<Vec<classkit_model::generation::Generated>>, StoreError> {
        self.0.team_unpushed_outputs(course).await
    }

    async fn outputs_pushed(
        &self,
        take: &[classkit_model::generation::Generated],
    ) -> Result<(), StoreError> {
        match take.first() {
            Some(g) => {
                self.0
                    .team_outputs_pushed(g.target_id, &g.kind, &g.input_key)
                    .await
            }
            None => Ok(()),
        }
    }
}

impl From<SyncError<StoreError>> for AppError {
    fn from(e: SyncError<StoreError>) -> Self {
        match e {
            SyncError::Remote(r) => AppError::Remote(r),
            SyncError::Local(s) => AppError::from(s),
        }
    }
}

impl App {
    /// The token for the team server, from where the library's setting says.
    async fn team_token(&self, setting: &RemoteSetting) -> Result<TeamToken> {
        match &setting.token_file {
            Some(file) => read_token_file(file).await,
            None => self
                .keys
                .secret(TOKEN_KEY)
                .map(|s| TeamToken::new(s.expose()))
                .ok_or(AppError::NoRemote),
        }
    }

    /// A client of the library's team server.
    async fn remote_client(&self) -> Result<Remote> {
        let setting = self.store.remote().await?.ok_or(AppError::NoRemote)?;
        let token = self.team_token(&setting).await?;
        Ok(Remote::new(&setting.url, token)?)
    }

    /// Checks an address and token: who the token belongs to, or exactly what is wrong
    /// (unreachable, TLS, unknown token, revoked).
    pub async fn test_team_connection(&self, url: &str, token: TokenSource) -> Result<Me> {
        let token = match token {
            TokenSource::File(f) => read_token_file(&f).await?,
            TokenSource::Typed(t) => t,
        };
        Ok(Remote::new(url, token)?.me().await?)
    }

    /// Sets the team server after checking the address and token with it.
    pub async fn set_remote(&self, url: &str, token: TokenSource) -> Result<RemoteView> {
        let me = self.test_team_connection(url, token.clone()).await?;
        let url = url.trim().trim_end_matches('/').to_string();
        let token_file = match token {
            TokenSource::File(f) => Some(std::fs::canonicalize(&f).unwrap_or(f)),
            TokenSource::Typed(t) => {
                let kept = self
                    .keys
                    .keep_secret(TOKEN_KEY, crate::keys::Secret::new(t.expose().to_string()));
                if !kept {
                    tracing::warn!("no keyring: the team token is kept for this session only");
                }
                None
            }
        };
        let setting = RemoteSetting {
            url,
            token_file,
            email: Some(me.email),
        };
        self.store.set_remote(&setting).await?;
        self.team.reset();
        Ok(RemoteView {
            url: setting.url,
            email: setting.email,
            token_file: setting.token_file,
        })
    }

    /// The team server, when one is set.
    pub async fn remote(&self) -> Result<Option<RemoteView>> {
        Ok(self.store.remote().await?.map(|s| RemoteView {
            url: s.url,
            email: s.email,
            token_file: s.token_file,
        }))
    }

    /// Shares a course of this library with the team: the server creates it (the caller its
    /// owner), and everything in it is pushed.
    pub async fn share_course(&self, course: Uuid) -> Result<SyncOutcome> {
        let _one = self.team.running.lock().await;
        let remote = self.remote_client().await?;
        // Only the course's own fields go with its creation; the store reads the tree when
        // it queues everything in it.
        let own = self.store.course(course).await?;
        let new = NewCourse {
            id: course,
            fields: classkit_sync::CourseFields::from(&own),
        };
        match remote.create_course(&new).await {
            Ok(_) => {}
            // Shared before, and the reply was lost: go on with the push.
            Err(RemoteError::Refused { status: 409, .. }) => {}
            Err(e) => return Err(e.into()),
        }
        if self.store.team_link(course).await?.is_none() {
            self.store.share_course(course).await?;
        }
        Ok(self.sync_one(&remote, course).await)
    }

    /// The courses on the team server the user is a member of.
    pub async fn team_courses(&self) -> Result<Vec<TeamCourse>> {
        Ok(self.remote_client().await?.courses().await?)
    }

    /// Opens a team course in this library and pulls it.
    pub async fn open_team_course(&self, course: Uuid) -> Result<SyncOutcome> {
        let _one = self.team.running.lock().await;
        let remote = self.remote_client().await?;
        let info = remote.course(course).await?;
        if self.store.team_link(course).await?.is_none() {
            self.store
                .open_team_course(course, &info.title, info.role)
                .await?;
        }
        Ok(self.sync_one(&remote, course).await)
    }

    /// The members of a team course.
    pub async fn team_members(&self, course: Uuid) -> Result<Vec<Member>> {
        Ok(self.remote_client().await?.members(course).await?)
    }

    async fn sync_one(&self, remote: &Remote, course: Uuid) -> SyncOutcome {
        let result = sync_course(remote, &LibraryReplica(&self.store), course).await;
        let (report, error) = match result {
            Ok(report) => (Some(report), None),
            Err(e) => (None, Some(AppError::from(e).to_wire())),
        };
        let message = error.as_ref().map(|e| e.message.clone());
        if let Err(e) = self.store.team_sync_ended(course, message.as_deref()).await {
            tracing::warn!(error = %e, "cannot record how a sync ended");
        }
        SyncOutcome {
            course_id: course,
            report,
            error,
        }
    }

    /// Syncs one linked course, or every linked course and every team course the user is a
    /// member of that is not in this library yet (opened here).
    pub async fn sync(&self, course: Option<Uuid>) -> Result<Vec<SyncOutcome>> {
        let _one = self.team.running.lock().await;
        self.team.started();
        let result = self.sync_targets(course).await;
        // The server answered unless the whole sync, or a course, could not reach it.
        self.team.ended(match &result {
            Ok(outcomes) => match outcomes
                .iter()
                .filter_map(|o| o.error.as_ref())
                .find(|e| background::connection_after(e.code).is_some())
            {
                Some(e) => Err(e.clone()),
                None => Ok(()),
            },
            Err(e) => Err(e.to_wire()),
        });
        result
    }

    async fn sync_targets(&self, course: Option<Uuid>) -> Result<Vec<SyncOutcome>> {
        let remote = self.remote_client().await?;
        let linked: Vec<TeamLink> = self.store.team_links().await?;
        let mut targets: Vec<Uuid> = match course {
            Some(c) => {
                if !linked.iter().any(|l| l.course_id == c) {
                    return Err(AppError::Invalid(format!(
                        "course {c} is not linked to the team server; share it or open it first"
                    )));
                }
                vec![c]
            }
            None => linked.iter().map(|l| l.course_id).collect(),
        };
        if course.is_none() {
            for team in remote.courses().await? {
                if !targets.contains(&team.id) {
                    if self.store.course_exists(team.id).await? {
                        continue;
                    }
                    self.store
                        .open_team_course(team.id, &team.title, team.role)
                        .await?;
                    targets.push(team.id);
                } else {
                    self.store.set_team_role(team.id, team.role).await?;
                }
            }
        }
        let mut out = Vec::with_capacity(targets.len());
        for c in targets {
            out.push(self.sync_one(&remote, c).await);
        }
        Ok(out)
    }

    /// Each linked course's sync state.
    pub async fn team_status(&self) -> Result<Vec<CourseSync>> {
        let mut out = Vec::new();
        let courses = self.store.courses().await?;
        for link in self.store.team_links().await? {
            let title = courses
                .iter()
                .find(|c| c.course.id == link.course_id)
                .map(|c| c.course.title.clone())
                .unwrap_or_default();
            out.push(CourseSync {
                course_id: link.course_id,
                title,
                role: link.role,
                waiting: self.store.team_waiting(link.course_id).await?,
                conflicts: self
                    .store
                    .team_conflicts(Some(link.course_id), true)
                    .await?
                    .len(),
                last_sync: link.last_sync,
                last_error: link.last_error,
            });
        }
        Ok(out)
    }

    /// Open conflicts of one course or of all.
    pub async fn conflicts(&self, course: Option<Uuid>) -> Result<Vec<ConflictRecord>> {
        Ok(self.store.team_conflicts(course, true).await?)
    }

    /// Settles a conflict with an ordinary edit (synced like any edit).
    pub async fn resolve_conflict(&self, id: Uuid, keep: Keep) -> Result<()> {
        Ok(self.store.resolve_conflict(id, keep).await?)
    }
}

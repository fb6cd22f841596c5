//! `classkit-worker`'s library: the team's course store as a [`Workspace`] over the team
//! server's worker API, so that a remote worker runs the same handlers as the app's bundled
//! workers with nothing but the Redis URL, the server's address, a worker token and the
//! engines (and keys) of its own host.

use async_trait::async_trait;
use classkit_generate::remote::{
    Added, DraftAnswer, DraftRequest, DraftState, Exists, JobSpending, Origin, OutputOnSlide,
    Placed, SpendingRecord, spoken_items,
};
use classkit_generate::{
    DraftOrigin, PlanSource, SlideOutput, Spending, SpokenAudio, Workspace, WorkspaceError,
    WorkspaceResult,
};
use classkit_model::generation::{DraftOutcome, Drafted, Generated};
use classkit_model::{AssetRef, ChangeKind, ComponentType, CourseTree, LearningComponent, Slide};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::time::Duration;
use uuid::Uuid;

/// The team's store through the server's worker API.
#[derive(Clone)]
pub struct RemoteWorkspace {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl std::fmt::Debug for RemoteWorkspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteWorkspace")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// A failed call as a workspace error, by what the job should do about it.
fn status_error(status: StatusCode, message: String) -> WorkspaceError {
    match status.as_u16() {
        404 => WorkspaceError::Missing(message),
        400 | 409 | 413 | 415 | 422 => WorkspaceError::Rejected(message),
        507 => WorkspaceError::DiskFull(message),
        // A token the server refuses: worth trying again once the admin has fixed it, and
        // said loudly in the log.
        _ => WorkspaceError::Unavailable(message),
    }
}

/// `value` for a URL's query: everything but letters, digits, `-`, `.`, `_` and `/`
/// percent-encoded.
fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl RemoteWorkspace {
    /// The worker API of the server at `base` (e.g. `https://team.example`), with `token`.
    pub fn new(base: &str, token: &str) -> anyhow::Result<Self> {
        let base = base.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            anyhow::bail!("the server's address must start with http:// or https://, not {base:?}");
        }
        let token = token.trim().to_string();
        if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            anyhow::bail!("the worker token is empty or has spaces in it");
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()?;
        Ok(Self {
            client,
            base,
            token,
        })
    }

    /// Checks that the server takes this token as a worker's: `Err` says what is wrong.
    pub async fn check(&self) -> Result<(), String> {
        let resp = self
            .client
            .get(self.url(&format!("/courses/{}/exists", Uuid::nil())))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| format!("the team server at {} cannot be reached: {e}", self.base))?;
        match resp.status() {
            s if s.is_success() => Ok(()),
            StatusCode::FORBIDDEN => Err(
                "this is a person's token; the team's queue takes a worker token (the admin makes one with `classkit-server admin create-token --worker NAME`)"
                    .into(),
            ),
            StatusCode::UNAUTHORIZED => {
                Err("the team server does not know this token, or it was revoked".into())
            }
            s => Err(format!("the team server answered {s}")),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1/worker{path}", self.base)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> WorkspaceResult<reqwest::Response> {
        let resp = req
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| WorkspaceError::Unavailable(format!("the team server: {e}")))?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or(text);
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            tracing::error!(%status, %message, "the team server refuses this worker's token");
        }
        Err(status_error(
            status,
            format!("the team server answered {status}: {message}"),
        ))
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> WorkspaceResult<T> {
        self.send(self.client.get(self.url(path)))
            .await?
            .json()
            .await
            .map_err(|e| WorkspaceError::Unavailable(format!("the team server's answer: {e}")))
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> WorkspaceResult<T> {
        self.send(self.client.request(method, self.url(path)).json(body))
            .await?
            .json()
            .await
            .map_err(|e| WorkspaceError::Unavailable(format!("the team server's answer: {e}")))
    }

    async fn call_empty<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> WorkspaceResult<()> {
        self.send(self.client.request(method, self.url(path)).json(body))
            .await?;
        Ok(())
    }
}

#[async_trait]
impl PlanSource for RemoteWorkspace {
    async fn component(&self, id: Uuid) -> WorkspaceResult<LearningComponent> {
        self.get(&format!("/components/{id}")).await
    }

    async fn generated(&self, target: Uuid, kind: &str) -> WorkspaceResult<Vec<Generated>> {
        self.get(&format!("/generated/{target}/{kind}")).await
    }

    async fn drafted(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<Option<Drafted>> {
        let state: DraftState = self
            .get(&format!("/drafted/{slide}/{}", component_type.as_str()))
            .await?;
        Ok(state.drafted)
    }

    async fn draft_declined(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<bool> {
        let state: DraftState = self
            .get(&format!("/drafted/{slide}/{}", component_type.as_str()))
            .await?;
        Ok(state.declined)
    }
}

#[async_trait]
impl Workspace for RemoteWorkspace {
    async fn slide(&self, id: Uuid) -> WorkspaceResult<Slide> {
        self.get(&format!("/slides/{id}")).await
    }

    async fn course_tree(&self, id: Uuid) -> WorkspaceResult<CourseTree> {
        self.get(&format!("/courses/{id}")).await
    }

    async fn course_exists(&self, id: Uuid) -> WorkspaceResult<bool> {
        let answer: Exists = self.get(&format!("/courses/{id}/exists")).await?;
        Ok(answer.exists)
    }

    async fn add_course(&self, tree: &CourseTree, _change: ChangeKind) -> WorkspaceResult<()> {
        self.call_empty(Method::POST, "/courses", tree).await
    }

    async fn put_asset(&self, bytes: &[u8], media_type: &str) -> WorkspaceResult<AssetRef> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        let req = self
            .client
            .put(self.url(&format!(
                "/assets/{sha256}?media_type={}",
                query_value(media_type)
            )))
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(bytes.to_vec());
        self.send(req).await?;
        Ok(AssetRef(sha256))
    }

    async fn has_asset(&self, asset: &AssetRef) -> WorkspaceResult<bool> {
        #[derive(serde::Deserialize)]
        struct Missing {
            missing: Vec<String>,
        }
        let answer: Missing = self
            .call(
                Method::POST,
                "/assets/missing",
                &serde_json::json!({ "sha256": [asset.0] }),
            )
            .await?;
        Ok(answer.missing.is_empty())
    }

    async fn asset_bytes(&self, asset: &AssetRef) -> WorkspaceResult<Vec<u8>> {
        let resp = self
            .send(self.client.get(self.url(&format!("/assets/{}", asset.0))))
            .await?;
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| WorkspaceError::Unavailable(format!("the team server's answer: {e}")))?;
        if hex::encode(Sha256::digest(&bytes)) != asset.0 {
            return Err(WorkspaceError::Unavailable(format!(
                "the asset {} came with other bytes",
                asset.0
            )));
        }
        Ok(bytes.to_vec())
    }

    async fn put_generated(
        &self,
        target: Uuid,
        kind: &str,
        outputs: &[Generated],
    ) -> WorkspaceResult<()> {
        self.call_empty(
            Method::PUT,
            &format!("/generated/{target}/{kind}"),
            &outputs,
        )
        .await
    }

    async fn record_spending(&self, spending: &Spending<'_>) -> WorkspaceResult<()> {
        self.call_empty(Method::POST, "/spending", &SpendingRecord::of(spending))
            .await
    }

    async fn spent_by_job(&self, job_id: Uuid) -> WorkspaceResult<i64> {
        let spent: JobSpending = self.get(&format!("/spending/{job_id}")).await?;
        Ok(spent.micros)
    }

    async fn save_draft(
        &self,
        slide: Uuid,
        component_type: ComponentType,
        payload: serde_json::Value,
        origin: &DraftOrigin<'_>,
    ) -> WorkspaceResult<DraftOutcome> {
        let answer: DraftAnswer = self
            .call(
                Method::POST,
                "/drafts",
                &DraftRequest {
                    slide_id: slide,
                    component_type: component_type.as_str().to_string(),
                    payload: Some(payload),
                    origin: Origin::of(origin),
                    reason: None,
                },
            )
            .await?;
        let component = answer.component.ok_or_else(|| {
            WorkspaceError::Unavailable(
                "the team server answered a draft without its component".into(),
            )
        })?;
        match answer.outcome.as_str() {
            "saved" => Ok(DraftOutcome::Saved(component)),
            "unchanged" => Ok(DraftOutcome::Unchanged(component)),
            "taken_over" => Ok(DraftOutcome::TakenOver(component)),
            other => Err(WorkspaceError::Unavailable(format!(
                "the team server answered a draft with {other:?}"
            ))),
        }
    }

    async fn record_nothing_drafted(
        &self,
        slide: Uuid,
        component_type: ComponentType,
        origin: &DraftOrigin<'_>,
        reason: &str,
    ) -> WorkspaceResult<()> {
        let _: DraftAnswer = self
            .call(
                Method::POST,
                "/drafts",
                &DraftRequest {
                    slide_id: slide,
                    component_type: component_type.as_str().to_string(),
                    payload: None,
                    origin: Origin::of(origin),
                    reason: Some(reason.to_string()).filter(|r| !r.is_empty()),
                },
            )
            .await?;
        Ok(())
    }

    async fn add_reference_audio(
        &self,
        component: Uuid,
        spoken: &SpokenAudio,
    ) -> WorkspaceResult<usize> {
        let added: Added = self
            .call(
                Method::POST,
                &format!("/components/{component}/reference-audio"),
                &spoken_items(spoken),
            )
            .await?;
        Ok(added.added)
    }

    async fn point_slide_at(&self, slide: Uuid, output: SlideOutput<'_>) -> WorkspaceResult<bool> {
        let placed: Placed = self
            .call(
                Method::POST,
                &format!("/slides/{slide}/outputs"),
                &OutputOnSlide::of(&output),
            )
            .await?;
        Ok(placed.placed)
    }
}

//! The team server's API as an app calls it, with failures sorted into what an instructor
//! can act on: the server cannot be reached, the secure connection failed, the token is
//! unknown or revoked, the server refused the request (with its code), or what answered is
//! not a ClassKit Studio team server.

use crate::protocol::{
    ApiError, AssetQuery, Me, Member, MissingAssets, NewCourse, PullPage, PushRequest,
    PushResponse, TeamCourse,
};
use classkit_model::ErrorCode;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::fmt;
use std::time::Duration;
use uuid::Uuid;

/// A team token. Its `Debug` and `Display` print `***`, so it cannot reach a log.
#[derive(Clone, PartialEq, Eq)]
pub struct TeamToken(String);

impl TeamToken {
    /// Wraps a token, trimmed of surrounding white space (as pasted or read from a file).
    pub fn new(token: &str) -> Self {
        Self(token.trim().to_string())
    }

    /// The token itself, for the `Authorization` header or a key store.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TeamToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TeamToken(***)")
    }
}

impl fmt::Display for TeamToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Why a call to the team server failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RemoteError {
    #[error("the team server address {0:?} cannot be used: {1}")]
    BadUrl(String, String),
    #[error("the team server at {url} cannot be reached: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("the secure connection to the team server at {url} failed: {detail}")]
    Tls { url: String, detail: String },
    #[error("the team server refused the token: {0}")]
    Unauthorized(String),
    #[error("the token was revoked by the team's admin: {0}")]
    TokenRevoked(String),
    #[error("the team server refused the request ({status}): {}", error.message)]
    Refused { status: u16, error: ApiError },
    #[error("what answered at {url} is not a ClassKit Studio team server ({detail})")]
    NotTheServer { url: String, detail: String },
}

impl RemoteError {
    /// The stable code of this failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadUrl(..) => ErrorCode::InvalidInput,
            Self::Unreachable { .. } => ErrorCode::ServerUnreachable,
            Self::Tls { .. } => ErrorCode::TlsFailed,
            Self::Unauthorized(_) => ErrorCode::Unauthorized,
            Self::TokenRevoked(_) => ErrorCode::TokenRevoked,
            Self::Refused { error, .. } => {
                serde_json::from_value(serde_json::Value::String(error.code.clone()))
                    .unwrap_or(ErrorCode::ServerError)
            }
            Self::NotTheServer { .. } => ErrorCode::ServerError,
        }
    }

    /// Whether trying again later may succeed (the network, the server being down) rather
    /// than needing someone to change something.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            Self::Refused { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            _ => false,
        }
    }
}

/// A client of one team server with one token.
#[derive(Clone)]
pub struct Remote {
    base: String,
    token: TeamToken,
    http: reqwest::Client,
}

impl fmt::Debug for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Remote")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// Does `error` (or a cause of it) come from TLS rather than from reaching the host?
fn is_tls(error: &reqwest::Error) -> bool {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = source {
        let text = e.to_string().to_lowercase();
        if ["certificate", "tls", "ssl", "handshake"]
            .iter()
            .any(|w| text.contains(w))
        {
            return true;
        }
        source = e.source();
    }
    false
}

/// The full text of an error and its causes, each once.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let cause = e.to_string();
        if !text.contains(&cause) {
            text = format!("{text}: {cause}");
        }
        source = e.source();
    }
    text
}

impl Remote {
    /// A client for the server at `url` (http or https, e.g. `https://team.example`).
    pub fn new(url: &str, token: TeamToken) -> Result<Self, RemoteError> {
        let trimmed = url.trim().trim_end_matches('/');
        let parsed = reqwest::Url::parse(trimmed)
            .map_err(|e| RemoteError::BadUrl(url.to_string(), e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(RemoteError::BadUrl(
                url.to_string(),
                "use an http:// or https:// address with a host".into(),
            ));
        }
        if token.expose().is_empty() {
            return Err(RemoteError::Unauthorized("no token was given".into()));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| RemoteError::BadUrl(url.to_string(), e.to_string()))?;
        Ok(Self {
            base: trimmed.to_string(),
            token,
            http,
        })
    }

    /// The server's address, as given.
    pub fn url(&self) -> &str {
        &self.base
    }

    fn transport(&self, e: reqwest::Error) -> RemoteError {
        if is_tls(&e) {
            RemoteError::Tls {
                url: self.base.clone(),
                detail: chain(&e),
            }
        } else {
            RemoteError::Unreachable {
                url: self.base.clone(),
                detail: chain(&e),
            }
        }
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, RemoteError> {
        let resp = req
            .bearer_auth(self.token.expose())
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status();
        let text = resp.text().await.map_err(|e| self.transport(e))?;
        let error: ApiError = match serde_json::from_str(&text) {
            Ok(e) => e,
            Err(_) => {
                return Err(if status.is_server_error() {
                    // A proxy in front of a server that is down answers with its own page.
                    RemoteError::Unreachable {
                        url: self.base.clone(),
                        detail: format!("HTTP {status} from something in front of the server"),
                    }
                } else {
                    RemoteError::NotTheServer {
                        url: self.base.clone(),
                        detail: format!("HTTP {status} without an API error"),
                    }
                });
            }
        };
        Err(match (status, error.code.as_str()) {
            (StatusCode::UNAUTHORIZED, "token_revoked") => RemoteError::TokenRevoked(error.message),
            (StatusCode::UNAUTHORIZED, _) => RemoteError::Unauthorized(error.message),
            _ => RemoteError::Refused {
                status: status.as_u16(),
                error,
            },
        })
    }

    async fn json<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, RemoteError> {
        let resp = self.send(req).await?;
        let bytes = resp.bytes().await.map_err(|e| self.transport(e))?;
        serde_json::from_slice(&bytes).map_err(|e| RemoteError::NotTheServer {
            url: self.base.clone(),
            detail: format!("its answer does not read: {e}"),
        })
    }

    fn at(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// An API address with a query string (values encoded).
    fn at_query(&self, path: &str, query: &[(&str, &str)]) -> Result<reqwest::Url, RemoteError> {
        let mut url = reqwest::Url::parse(&self.at(path))
            .map_err(|e| RemoteError::BadUrl(self.base.clone(), e.to_string()))?;
        url.query_pairs_mut().extend_pairs(query);
        Ok(url)
    }

    /// Who the token belongs to: the check behind "test connection".
    pub async fn me(&self) -> Result<Me, RemoteError> {
        self.json(self.http.get(self.at("/me"))).await
    }

    /// The courses the caller is a member of.
    pub async fn courses(&self) -> Result<Vec<TeamCourse>, RemoteError> {
        self.json(self.http.get(self.at("/courses"))).await
    }

    /// One course the caller is a member of.
    pub async fn course(&self, id: Uuid) -> Result<TeamCourse, RemoteError> {
        self.json(self.http.get(self.at(&format!("/courses/{id}"))))
            .await
    }

    /// Shares a course: the server creates it with the caller as owner.
    pub async fn create_course(&self, new: &NewCourse) -> Result<TeamCourse, RemoteError> {
        self.json(self.http.post(self.at("/courses")).json(new))
            .await
    }

    /// The members of a course.
    pub async fn members(&self, course: Uuid) -> Result<Vec<Member>, RemoteError> {
        self.json(
            self.http
                .get(self.at(&format!("/courses/{course}/members"))),
        )
        .await
    }

    /// Pushes mutations of one course.
    /// Pushes mutations; with `after`, the server applies them once that mutation is
    /// applied (a push sent while the one before it is still on its way).
    pub async fn push(
        &self,
        course: Uuid,
        req: &PushRequest,
        after: Option<Uuid>,
    ) -> Result<PushResponse, RemoteError> {
        let path = format!("/courses/{course}/push");
        let url = match after {
            Some(after) => self.at_query(&path, &[("after_mutation", &after.to_string())])?,
            None => reqwest::Url::parse(&self.at(&path))
                .map_err(|e| RemoteError::BadUrl(self.base.clone(), e.to_string()))?,
        };
        self.json(self.http.post(url).json(req)).await
    }

    /// Sends what this app made for a slide by itself (a take of rendered pages or narration).
    pub async fn put_generated(
        &self,
        course: Uuid,
        target: Uuid,
        kind: &str,
        take: &[classkit_model::generation::Generated],
    ) -> Result<(), RemoteError> {
        let url = self.at(&format!("/courses/{course}/generated/{target}/{kind}"));
        self.send(self.http.put(url).json(take)).await?;
        Ok(())
    }

    /// One page of a course's change log after `after`.
    pub async fn pull(
        &self,
        course: Uuid,
        after: i64,
        limit: i64,
    ) -> Result<PullPage, RemoteError> {
        let url = self.at_query(
            &format!("/courses/{course}/changes"),
            &[("after", &after.to_string()), ("limit", &limit.to_string())],
        )?;
        self.json(self.http.get(url)).await
    }

    /// Which of `hashes` the server lacks for the course.
    pub async fn missing_assets(
        &self,
        course: Uuid,
        hashes: Vec<String>,
    ) -> Result<Vec<String>, RemoteError> {
        let answer: MissingAssets = self
            .json(
                self.http
                    .post(self.at(&format!("/courses/{course}/assets/missing")))
                    .json(&AssetQuery { sha256: hashes }),
            )
            .await?;
        Ok(answer.missing)
    }

    /// Uploads an asset's bytes under their hash.
    pub async fn upload_asset(
        &self,
        course: Uuid,
        sha256: &str,
        media_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), RemoteError> {
        let url = self.at_query(
            &format!("/courses/{course}/assets/{sha256}"),
            &[("media_type", media_type)],
        )?;
        self.send(
            self.http
                .put(url)
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(bytes),
        )
        .await?;
        Ok(())
    }

    /// An asset's media type and bytes.
    pub async fn download_asset(
        &self,
        course: Uuid,
        sha256: &str,
    ) -> Result<(String, Vec<u8>), RemoteError> {
        let resp = self
            .send(
                self.http
                    .get(self.at(&format!("/courses/{course}/assets/{sha256}"))),
            )
            .await?;
        let media_type = resp
            .headers()
            .get("x-media-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_string();
        let bytes = resp.bytes().await.map_err(|e| self.transport(e))?;
        Ok((media_type, bytes.to_vec()))
    }

    /// Asks the server to assemble a course (or part of it) on the team's workers; answers
    /// at once with the jobs queued.
    pub async fn assemble(
        &self,
        course: Uuid,
        req: &crate::AssembleRequest,
    ) -> Result<crate::AssembleResponse, RemoteError> {
        self.json(
            self.http
                .post(self.at(&format!("/courses/{course}/assemble")))
                .json(req),
        )
        .await
    }

    /// One job of a course.
    pub async fn job(&self, course: Uuid, job: Uuid) -> Result<crate::TeamJob, RemoteError> {
        self.json(
            self.http
                .get(self.at(&format!("/courses/{course}/jobs/{job}"))),
        )
        .await
    }

    /// This month's budgets and spending of the team and the course (the team's ledger).
    pub async fn budget(&self, course: Uuid) -> Result<crate::TeamBudget, RemoteError> {
        self.json(self.http.get(self.at(&format!("/courses/{course}/budget"))))
            .await
    }

    /// Asks the team's workers to outline a lecture into a new course (owned by this
    /// token's person, made under the job's id).
    pub async fn outline(
        &self,
        req: &crate::OutlineRequest,
    ) -> Result<crate::OutlineResponse, RemoteError> {
        self.json(self.http.post(self.at("/outlines")).json(req))
            .await
    }

    /// An outline job this token's person asked for, as it is now.
    pub async fn outline_job(&self, job: Uuid) -> Result<crate::TeamJob, RemoteError> {
        self.json(self.http.get(self.at(&format!("/outlines/{job}"))))
            .await
    }

    /// Cancels a job of the course (editors).
    pub async fn cancel_job(&self, course: Uuid, job: Uuid) -> Result<crate::TeamJob, RemoteError> {
        self.json(
            self.http
                .post(self.at(&format!("/courses/{course}/jobs/{job}/cancel"))),
        )
        .await
    }

    /// Runs a dead or cancelled job of the course again (editors).
    pub async fn retry_job(&self, course: Uuid, job: Uuid) -> Result<crate::TeamJob, RemoteError> {
        self.json(
            self.http
                .post(self.at(&format!("/courses/{course}/jobs/{job}/retry"))),
        )
        .await
    }

    /// A month's spending on a team course (this month when `month` is `None`), from the
    /// team's ledger.
    pub async fn spending(
        &self,
        course: Uuid,
        month: Option<&str>,
    ) -> Result<classkit_model::generation::SpendingReport, RemoteError> {
        let query: Vec<(&str, &str)> = month.map(|m| ("month", m)).into_iter().collect();
        let url = self.at_query(&format!("/courses/{course}/spending"), &query)?;
        self.json(self.http.get(url)).await
    }

    /// The course's job events as they happen, until the connection ends.
    pub async fn job_events(&self, course: Uuid) -> Result<JobEvents, RemoteError> {
        let resp = self
            .send(
                self.http
                    .get(self.at(&format!("/courses/{course}/jobs/events")))
                    // A stream stays open: no overall time limit (the server's keep-alive
                    // comments show it is alive).
                    .timeout(Duration::from_secs(24 * 3600)),
            )
            .await?;
        Ok(JobEvents {
            resp,
            pending: Vec::new(),
        })
    }
}

/// A course's job event stream (Server-Sent Events).
pub struct JobEvents {
    resp: reqwest::Response,
    /// Bytes read and not yet taken (a chunk may end inside a character).
    pending: Vec<u8>,
}

impl JobEvents {
    /// The next event; `None` when the server closed the stream (or it broke).
    pub async fn next(&mut self) -> Option<crate::StreamItem> {
        loop {
            while let Some(end) = self.pending.windows(2).position(|w| w == b"\n\n") {
                let raw: Vec<u8> = self.pending.drain(..end + 2).collect();
                let block = String::from_utf8_lossy(&raw);
                let mut event = "message";
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(name) = line.strip_prefix("event:") {
                        event = name.trim();
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data.push_str(d.strip_prefix(' ').unwrap_or(d));
                    }
                }
                match event {
                    "job" => {
                        if let Ok(e) = serde_json::from_str(&data) {
                            return Some(crate::StreamItem::Job(e));
                        }
                    }
                    "lagged" => return Some(crate::StreamItem::Lagged),
                    _ => {}
                }
            }
            match self.resp.chunk().await {
                Ok(Some(chunk)) => self.pending.extend_from_slice(&chunk),
                _ => return None,
            }
        }
    }
}

//! What the server's tests share: a server on a throwaway PostgreSQL and Redis of its own
//! (stopped when the test's `Team` is dropped), people with tokens, and calls over HTTP.
#![allow(dead_code)]

use classkit_server::config::{AssetStorage, Limits, ServeConfig};
use classkit_sync::{Mutation, PullPage, PushRequest, PushResponse};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

/// A server on its own database, and a way to make people.
pub struct Team {
    pub base: String,
    pub client: reqwest::Client,
    pub pool: sqlx::PgPool,
    /// The database's URL.
    pub database_url: String,
    _data: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    // Dropped last: the servers stop after the team server.
    pub redis: classkit_testkit::Redis,
    pub pg: classkit_testkit::Postgres,
}

impl Drop for Team {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub async fn team_with(limits: Limits, storage: AssetStorage) -> Team {
    team_with_engines(limits, storage, None).await
}

/// A team server that plans with the engines of `engines` (an engines.toml's text).
pub async fn team_with_engines(
    limits: Limits,
    storage: AssetStorage,
    engines: Option<&str>,
) -> Team {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let url = pg.url().to_string();
    let data = tempfile::tempdir().expect("tempdir");
    let port = classkit_testkit::free_port().expect("port");
    let engines = engines.map(|text| {
        let file = data.path().join("engines.toml");
        std::fs::write(&file, text).expect("engines.toml");
        file
    });
    let config = ServeConfig {
        database_url: url.clone(),
        redis_url: redis.url().to_string(),
        listen: format!("127.0.0.1:{port}").parse().expect("addr"),
        data: data.path().to_path_buf(),
        asset_storage: storage,
        limits,
        engines,
        queue_prefix: classkit_jobs::redis_queue::DEFAULT_PREFIX.to_string(),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(classkit_server::serve(config, async move {
        let _ = stopped.await;
    }));
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pool = classkit_server::db::connect(&url, 2).await.expect("pool");
    Team {
        base,
        client,
        pool,
        database_url: url,
        _data: data,
        stop: Some(stop),
        redis,
        pg,
    }
}

pub async fn team() -> Team {
    team_with(Limits::default(), AssetStorage::Files).await
}

impl Team {
    pub async fn person(&self, email: &str) -> String {
        classkit_server::admin::create_user(&self.pool, email, "")
            .await
            .expect("user");
        let (_, token) = classkit_server::admin::create_token(&self.pool, email, "test")
            .await
            .expect("token");
        token.expose().to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("send");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn share(&self, token: &str, title: &str) -> Uuid {
        let id = Uuid::now_v7();
        let (status, body) = self
            .call(
                reqwest::Method::POST,
                "/api/v1/courses",
                Some(token),
                Some(json!({"id": id, "fields": {"title": title}})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        id
    }

    pub async fn push(
        &self,
        token: &str,
        course: Uuid,
        mutations: Vec<Mutation>,
    ) -> (StatusCode, Value) {
        self.call(
            reqwest::Method::POST,
            &format!("/api/v1/courses/{course}/push"),
            Some(token),
            Some(serde_json::to_value(PushRequest { mutations }).expect("json")),
        )
        .await
    }

    pub async fn push_ok(
        &self,
        token: &str,
        course: Uuid,
        mutations: Vec<Mutation>,
    ) -> PushResponse {
        let (status, body) = self.push(token, course, mutations).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).expect("push response")
    }

    pub async fn pull(&self, token: &str, course: Uuid, after: i64, limit: i64) -> PullPage {
        let (status, body) = self
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/courses/{course}/changes?after={after}&limit={limit}"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_value(body).expect("page")
    }
}

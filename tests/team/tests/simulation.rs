//! Randomized sync: instructors make random creates, edits, deletes and moves of one course
//! and sync through faults: connections dropped before a push, replies lost after the server
//! applied a push, and a client killed between a push and the removal of its outbox rows.
//! After everyone syncs cleanly, every replica holds the same tree as the server, every edit
//! the server acknowledged is in its history, and no edit was applied twice.
//!
//! Seeded and reproducible: `CLASSKIT_SIM_SEEDS` (default 200) seeds from `CLASSKIT_SIM_SEED`
//! (default 1); a failure names its seed.

use async_trait::async_trait;
use classkit_app::team::{LibraryReplica, TokenSource};
use classkit_app::{App, QueueChoice};
use classkit_model::{ComponentType, CourseTree};
use classkit_server::config::{AssetStorage, Limits, ServeConfig};
use classkit_sync::client::{Api, Pending, Replica, sync_course};
use classkit_sync::{
    MutationResult, PullPage, PushRequest, PushResponse, Remote, RemoteError, TeamToken,
};
use serde_json::{Value, json};
use sha2::Digest;
use std::collections::HashSet;
use std::path::Path;
use uuid::Uuid;

/// SplitMix64: a small, fixed generator, so a seed always replays the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What goes wrong on one sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The connection drops before the push reaches the server.
    DropPush,
    /// The server applies the push; its reply is lost.
    LoseReply,
    /// The client dies after the push, before its outbox rows are removed.
    Crash,
}

struct Faulty<'a> {
    remote: &'a Remote,
    fault: Fault,
}

fn lost() -> RemoteError {
    RemoteError::Unreachable {
        url: "simulated".into(),
        detail: "the connection dropped".into(),
    }
}

#[async_trait]
impl Api for Faulty<'_> {
    async fn push(
        &self,
        course: Uuid,
        req: &PushRequest,
        after: Option<Uuid>,
    ) -> Result<PushResponse, RemoteError> {
        match self.fault {
            Fault::DropPush => Err(lost()),
            Fault::LoseReply => {
                self.remote.push(course, req, after).await?;
                Err(lost())
            }
            _ => self.remote.push(course, req, after).await,
        }
    }
    async fn pull(&self, course: Uuid, after: i64, limit: i64) -> Result<PullPage, RemoteError> {
        self.remote.pull(course, after, limit).await
    }
    async fn missing_assets(&self, c: Uuid, h: Vec<String>) -> Result<Vec<String>, RemoteError> {
        self.remote.missing_assets(c, h).await
    }
    async fn upload_asset(&self, c: Uuid, s: &str, m: &str, b: Vec<u8>) -> Result<(), RemoteError> {
        self.remote.upload_asset(c, s, m, b).await
    }
    async fn download_asset(&self, c: Uuid, s: &str) -> Result<(String, Vec<u8>), RemoteError> {
        self.remote.download_asset(c, s).await
    }
    async fn put_generated(
        &self,
        c: Uuid,
        take: &[classkit_model::generation::Generated],
    ) -> Result<(), RemoteError> {
        Api::put_generated(self.remote, c, take).await
    }
}

/// The library, killed (for `Crash`) at the moment it would record the server's answer.
struct Crashy<'a> {
    library: LibraryReplica<'a>,
    crash: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("the client was killed")]
struct Killed;

#[derive(Debug, thiserror::Error)]
enum SimError {
    #[error(transparent)]
    Store(#[from] classkit_store::StoreError),
    #[error(transparent)]
    Killed(#[from] Killed),
}

#[async_trait]
impl Replica for Crashy<'_> {
    type Error = SimError;
    async fn pending(&self, c: Uuid, after: i64, limit: usize) -> Result<Vec<Pending>, SimError> {
        Ok(self.library.pending(c, after, limit).await?)
    }
    async fn asset(&self, s: &str) -> Result<(String, Vec<u8>), SimError> {
        Ok(self.library.asset(s).await?)
    }
    async fn has_asset(&self, s: &str) -> Result<bool, SimError> {
        Ok(self.library.has_asset(s).await?)
    }
    async fn put_asset(&self, m: &str, b: Vec<u8>) -> Result<(), SimError> {
        Ok(self.library.put_asset(m, b).await?)
    }
    async fn acknowledge(&self, c: Uuid, a: Vec<(i64, MutationResult)>) -> Result<(), SimError> {
        if self.crash {
            return Err(Killed.into());
        }
        Ok(self.library.acknowledge(c, a).await?)
    }
    async fn set_aside(&self, c: Uuid, seq: i64, r: String) -> Result<(), SimError> {
        Ok(self.library.set_aside(c, seq, r).await?)
    }
    async fn cursor(&self, c: Uuid) -> Result<i64, SimError> {
        Ok(self.library.cursor(c).await?)
    }
    async fn skip_pulled(&self, c: Uuid, from: i64, to: i64) -> Result<(), SimError> {
        Ok(self.library.skip_pulled(c, from, to).await?)
    }
    async fn apply(&self, c: Uuid, p: &PullPage) -> Result<(), SimError> {
        Ok(self.library.apply(c, p).await?)
    }
}

fn canonical(tree: &CourseTree) -> String {
    let mut lessons: Vec<Value> = Vec::new();
    let mut ls: Vec<_> = tree.lessons.iter().collect();
    ls.sort_by(|a, b| (&a.lesson.order_key, a.lesson.id).cmp(&(&b.lesson.order_key, b.lesson.id)));
    for l in ls {
        let mut ss: Vec<_> = l.slides.iter().collect();
        ss.sort_by(|a, b| (&a.slide.order_key, a.slide.id).cmp(&(&b.slide.order_key, b.slide.id)));
        let slides: Vec<Value> = ss
            .iter()
            .map(|s| {
                let mut cs = s.components.clone();
                cs.sort_by_key(|c| c.id);
                json!({"id": s.slide.id, "title": s.slide.title, "body": s.slide.body,
                       "key": s.slide.order_key,
                       "components": cs.iter().map(|c| json!([c.id, c.status, c.payload])).collect::<Vec<_>>()})
            })
            .collect();
        lessons.push(json!({"id": l.lesson.id, "title": l.lesson.title, "key": l.lesson.order_key, "slides": slides}));
    }
    hex::encode(sha2::Sha256::digest(
        json!({"title": tree.course.title, "lessons": lessons}).to_string(),
    ))
}

async fn outbox_ids(app: &App) -> HashSet<Uuid> {
    app.inspect_store()
        .outbox(1_000_000)
        .await
        .expect("outbox")
        .into_iter()
        .map(|o| o.mutation_id)
        .collect()
}

struct Client {
    app: App,
    remote: Remote,
}

/// One random edit by `c` of the course, as an instructor would make it in the app.
async fn random_edit(rng: &mut Rng, c: &Client, course: Uuid, step: usize) {
    let tree = c.app.course(course).await.expect("tree");
    let slides: Vec<_> = tree.lessons.iter().flat_map(|l| &l.slides).collect();
    let components: Vec<_> = slides.iter().flat_map(|s| &s.components).collect();
    let slide = slides[rng.below(slides.len())];
    match rng.below(7) {
        0 => {
            let changes = classkit_app::slides::SlideChanges {
                title: Some(format!("title {step}")),
                ..Default::default()
            };
            c.app
                .edit_slide(slide.slide.id, changes, None)
                .await
                .expect("edit title");
        }
        1 => {
            let changes = classkit_app::slides::SlideChanges {
                body: Some(format!("- point {step}")),
                ..Default::default()
            };
            c.app
                .edit_slide(slide.slide.id, changes, None)
                .await
                .expect("edit body");
        }
        2 => {
            let payload = json!({"schema_version": 2, "title": format!("quiz {step}"), "questions": [
                {"id": "q1", "kind": "true_false", "text": format!("statement {step}"), "answer": true}]});
            c.app
                .add_component(slide.slide.id, ComponentType::Quiz, Some(payload))
                .await
                .expect("add");
        }
        3 | 4 if !components.is_empty() => {
            let component = components[rng.below(components.len())];
            let mut payload = component.payload.clone();
            match rng.below(3) {
                0 => payload["title"] = json!(format!("retitled {step}")),
                1 => {
                    if let Some(q) = payload["questions"].get_mut(0) {
                        q["text"] = json!(format!("reworded {step}"));
                    }
                }
                _ => {
                    if let Some(qs) = payload["questions"].as_array_mut() {
                        qs.push(json!({"id": format!("q{step}x{}", rng.below(1000)), "kind": "true_false",
                                       "text": format!("added {step}"), "answer": false}));
                    }
                }
            }
            c.app
                .save_component(component.id, payload, None)
                .await
                .expect("save");
        }
        5 if !components.is_empty() => {
            let component = components[rng.below(components.len())];
            c.app
                .delete_component(component.id, None)
                .await
                .expect("delete");
        }
        _ => {
            let lesson = &tree.lessons[rng.below(tree.lessons.len())];
            let to = rng.below(lesson.slides.len() + 1);
            c.app
                .move_slide(slide.slide.id, lesson.lesson.id, to, None)
                .await
                .expect("move");
        }
    }
}

/// One sync of `c` with `fault`; returns the mutations the server acknowledged.
async fn sync(c: &Client, course: Uuid, fault: Fault) -> HashSet<Uuid> {
    let before = outbox_ids(&c.app).await;
    let api = Faulty {
        remote: &c.remote,
        fault,
    };
    let replica = Crashy {
        library: LibraryReplica(c.app.inspect_store()),
        crash: fault == Fault::Crash,
    };
    let result = sync_course(&api, &replica, course).await;
    if fault == Fault::None {
        let report = result.expect("a sync without faults");
        assert!(report.set_aside.is_empty(), "{:?}", report.set_aside);
    } else if !before.is_empty() {
        assert!(
            result.is_err(),
            "{fault:?} must fail a sync with edits to push"
        );
    }
    let after = outbox_ids(&c.app).await;
    before.difference(&after).copied().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_edits_and_faults_converge() {
    let seeds: u64 = std::env::var("CLASSKIT_SIM_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let first: u64 = std::env::var("CLASSKIT_SIM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let dir = tempfile::tempdir().expect("tempdir");
    let port = classkit_testkit::free_port().expect("port");
    let config = ServeConfig {
        database_url: pg.url().to_string(),
        redis_url: redis.url().to_string(),
        listen: format!("127.0.0.1:{port}").parse().expect("addr"),
        data: dir.path().join("server"),
        asset_storage: AssetStorage::Files,
        limits: Limits::default(),
        engines: None,
        queue_prefix: classkit_jobs::redis_queue::DEFAULT_PREFIX.to_string(),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(classkit_server::serve(config, async move {
        let _ = stopped.await;
    }));
    let url = format!("http://127.0.0.1:{port}");
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let pool = classkit_server::db::connect(pg.url(), 2)
        .await
        .expect("pool");
    let mut clients = Vec::new();
    for i in 0..3 {
        let email = format!("i{i}@example.org");
        classkit_server::admin::create_user(&pool, &email, "")
            .await
            .expect("user");
        let (_, token) = classkit_server::admin::create_token(&pool, &email, "sim")
            .await
            .expect("token");
        let file = dir.path().join(format!("{email}.token"));
        std::fs::write(&file, token.expose()).expect("token file");
        let app = App::open(&dir.path().join(format!("client-{i}")), QueueChoice::Local)
            .await
            .expect("library");
        app.set_remote(&url, TokenSource::File(file))
            .await
            .expect("remote");
        let remote = Remote::new(&url, TeamToken::new(token.expose())).expect("remote");
        clients.push(Client { app, remote });
    }
    let observer = App::open(&dir.path().join("observer"), QueueChoice::Local)
        .await
        .expect("library");
    observer
        .set_remote(
            &url,
            TokenSource::File(dir.path().join("i0@example.org.token")),
        )
        .await
        .expect("remote");
    let lecture = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/negotiating-by-phone.md"),
    )
    .expect("lecture");

    let mut acknowledged: HashSet<Uuid> = HashSet::new();
    for seed in first..first + seeds {
        let mut rng = Rng(seed);
        let course = clients[0]
            .app
            .import_lecture("lecture.md", &lecture, Some(&format!("seed {seed}")))
            .await
            .expect("import")
            .course_id;
        clients[0].app.share_course(course).await.expect("share");
        for (i, email) in ["i1@example.org", "i2@example.org"].iter().enumerate() {
            classkit_server::admin::add_member(&pool, course, email, classkit_sync::Role::Editor)
                .await
                .expect("member");
            clients[i + 1]
                .app
                .open_team_course(course)
                .await
                .expect("open");
        }
        for step in 0..30 {
            let c = &clients[rng.below(clients.len())];
            if rng.below(4) == 0 {
                let fault = match rng.below(6) {
                    0 => Fault::DropPush,
                    1 => Fault::LoseReply,
                    2 => Fault::Crash,
                    _ => Fault::None,
                };
                acknowledged.extend(sync(c, course, fault).await);
            } else {
                random_edit(&mut rng, c, course, step).await;
            }
        }
        // Everyone syncs without faults until nothing moves.
        for _ in 0..3 {
            for c in &clients {
                acknowledged.extend(sync(c, course, Fault::None).await);
            }
        }
        observer.open_team_course(course).await.expect("observer");
        let expected = canonical(&observer.course(course).await.expect("server's tree"));
        for (i, c) in clients.iter().enumerate() {
            let got = canonical(&c.app.course(course).await.expect("tree"));
            assert_eq!(
                got, expected,
                "seed {seed}: client {i} differs from the server"
            );
            assert!(
                outbox_ids(&c.app).await.is_empty(),
                "seed {seed}: client {i} has edits left"
            );
        }
    }

    // Every acknowledged edit is in the server's history; nothing was applied twice.
    let ids: Vec<Uuid> = acknowledged.into_iter().collect();
    let recorded: i64 =
        sqlx::query_scalar("SELECT count(*) FROM applied_mutations WHERE mutation_id = ANY($1)")
            .bind(&ids)
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(
        recorded as usize,
        ids.len(),
        "acknowledged edits missing on the server"
    );
    let twice: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT mutation_id, entity_id FROM revisions \
         WHERE mutation_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) AS t",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(twice, 0, "an edit was applied twice");
    println!(
        "simulation: {seeds} seeds from {first}, {} acknowledged edits",
        ids.len()
    );
    let _ = stop.send(());
    let _ = server.await;
}

//! Team sync benchmarks on this machine, one figure per line (`name: value unit`): a push of
//! a course's 10,000+ edits (sharing it), a pull of them into an empty library, a push of
//! 10,000 offline edits of the components the server holds, a 500-slide course pulled
//! into an empty library, and the server's latency for pull requests under 200 concurrent
//! clients. Throwaway PostgreSQL and Redis; the server in this process; libraries in a
//! temporary folder (on /dev/shm when there is one, as a laptop's SSD would be).
//!
//!   cargo run --release -p classkit-team-tests --bin team-bench

/// The allocator the team server and the app use, so the figures are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use classkit_app::team::TokenSource;
use classkit_app::{App, QueueChoice};
use classkit_server::config::{AssetStorage, Limits, ServeConfig};
use std::path::Path;
use std::time::{Duration, Instant};

fn temp_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(d) = tempfile::Builder::new()
            .prefix("classkit-bench-")
            .tempdir_in(shm)
    {
        return d;
    }
    tempfile::tempdir().expect("tempdir")
}

async fn library(dir: &Path, url: &str, token: &Path) -> App {
    let app = App::open(dir, QueueChoice::Local).await.expect("library");
    app.set_remote(url, TokenSource::File(token.to_path_buf()))
        .await
        .expect("remote");
    app
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

#[tokio::main]
async fn main() {
    let pg = classkit_testkit::Postgres::start().expect("postgres");
    let redis = classkit_testkit::Redis::start().expect("redis");
    let dir = temp_dir();
    let port = classkit_testkit::free_port().expect("port");
    let config = ServeConfig {
        database_url: pg.url().to_string(),
        redis_url: redis.url().to_string(),
        listen: format!("127.0.0.1:{port}").parse().expect("addr"),
        data: dir.path().join("server"),
        asset_storage: AssetStorage::Files,
        limits: Limits {
            max_connections: 32,
            ..Limits::default()
        },
        engines: None,
        queue_prefix: classkit_jobs::redis_queue::DEFAULT_PREFIX.to_string(),
    };
    tokio::spawn(classkit_server::serve(config, std::future::pending()));
    let url = format!("http://127.0.0.1:{port}");
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pool = classkit_server::db::connect(pg.url(), 2)
        .await
        .expect("pool");
    classkit_server::admin::create_user(&pool, "bench@example.org", "")
        .await
        .expect("user");
    let (_, token) = classkit_server::admin::create_token(&pool, "bench@example.org", "bench")
        .await
        .expect("token");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, token.expose()).expect("token file");
    println!(
        "# {} cores; PostgreSQL and the server on the same machine; libraries in {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        dir.path()
            .parent()
            .map_or("?".into(), |p| p.display().to_string())
    );

    // A course of 500 slides and 10,000 components: sharing pushes one edit per entity.
    let author = library(&dir.path().join("author"), &url, &token_file).await;
    let course = classkit_app::bench::large_course(&author, 500, 10_000)
        .await
        .expect("course");
    let started = Instant::now();
    let shared = author.share_course(course).await.expect("share");
    let took = started.elapsed();
    let pushed = shared.report.as_ref().map_or(0, |r| r.pushed);
    assert!(shared.error.is_none(), "{:?}", shared.error);
    println!("sync.push_edits: {pushed} edits");
    println!("sync.push_10000_edits: {}", secs(took));

    let reader = library(&dir.path().join("reader"), &url, &token_file).await;
    let started = Instant::now();
    let opened = reader.open_team_course(course).await.expect("open");
    let took = started.elapsed();
    assert!(opened.error.is_none(), "{:?}", opened.error);
    println!(
        "sync.pull_changes: {} changes",
        opened.report.as_ref().map_or(0, |r| r.pulled)
    );
    println!("sync.pull_10000_changes_into_empty_library: {}", secs(took));

    // The reader edits every component of the course offline (each marked draft), then
    // syncs: 10,000 edits of components the server holds, pushed against their base.
    let tree = reader.course(course).await.expect("tree");
    let components: Vec<_> = tree
        .lessons
        .iter()
        .flat_map(|l| l.slides.iter())
        .flat_map(|s| s.components.iter().map(|c| c.id))
        .collect();
    for &id in &components {
        reader.set_ready(id, false).await.expect("edit");
    }
    let started = Instant::now();
    let synced = reader.sync(Some(course)).await.expect("sync");
    let took = started.elapsed();
    let pushed: usize = synced
        .iter()
        .map(|s| {
            assert!(s.error.is_none(), "{:?}", s.error);
            s.report.as_ref().map_or(0, |r| r.pushed)
        })
        .sum();
    println!("sync.push_offline_edits: {pushed} edits");
    println!("sync.push_10000_offline_edits: {}", secs(took));

    // The desktop benchmark's course: 500 slides, 1,000 components.
    let small = classkit_app::bench::large_course(&author, 500, 1_000)
        .await
        .expect("course");
    author.share_course(small).await.expect("share");
    let fresh = library(&dir.path().join("fresh"), &url, &token_file).await;
    let started = Instant::now();
    fresh.open_team_course(small).await.expect("open");
    println!(
        "sync.pull_500_slide_course_into_empty_library: {}",
        secs(started.elapsed())
    );

    // 200 clients each asking for pages of the change log, at once.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .expect("client");
    let per_client = 25;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let client = client.clone();
        let url = format!("{url}/api/v1/courses/{small}/changes");
        let token = token.expose().to_string();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_client);
            for k in 0..per_client {
                let after = ((i * per_client + k) * 7) % 1400;
                let t = Instant::now();
                let resp = client
                    .get(format!("{url}?after={after}&limit=100"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("pull");
                assert!(resp.status().is_success(), "{}", resp.status());
                resp.bytes().await.expect("body");
                times.push(t.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await.expect("task"));
    }
    let wall = started.elapsed();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!("server.pull_200_clients_requests: {} requests", times.len());
    println!(
        "server.pull_200_clients_p50: {:.1} ms",
        at(0.50).as_secs_f64() * 1000.0
    );
    println!(
        "server.pull_200_clients_p99: {:.1} ms",
        at(0.99).as_secs_f64() * 1000.0
    );
    println!(
        "server.pull_200_clients_throughput: {:.0} requests/s",
        times.len() as f64 / wall.as_secs_f64()
    );
}

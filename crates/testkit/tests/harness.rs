//! The harness starts real servers that real clients can use.

use classkit_testkit::{Postgres, Redis};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

#[tokio::test]
async fn postgres_accepts_connections_and_keeps_data() {
    let pg = Postgres::start().expect("start PostgreSQL");
    use sqlx::Connection;
    // One connection: the temporary table lives as long as it does, so a shared server
    // (CLASSKIT_TEST_DATABASE_URL) is left as it was.
    let mut conn = sqlx::PgConnection::connect(pg.url())
        .await
        .expect("connect");
    sqlx::query(
        "CREATE TEMP TABLE learning_components (id uuid PRIMARY KEY, payload jsonb NOT NULL)",
    )
    .execute(&mut conn)
    .await
    .expect("create table");
    sqlx::query("INSERT INTO learning_components VALUES (gen_random_uuid(), '{\"a\": 1}')")
        .execute(&mut conn)
        .await
        .expect("insert");
    let a: i32 = sqlx::query_scalar("SELECT (payload->>'a')::int FROM learning_components")
        .fetch_one(&mut conn)
        .await
        .expect("select");
    assert_eq!(a, 1);
    conn.close().await.expect("close");
}

#[test]
fn redis_answers_commands() {
    let redis = Redis::start().expect("start Redis");
    let addr = redis
        .url()
        .trim_start_matches("redis://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&addr).expect("connect");
    stream
        .write_all(
            b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n",
        )
        .expect("send");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).expect("reply");
    assert_eq!(line, "+OK\r\n");
    line.clear();
    reader.read_line(&mut line).expect("reply");
    assert_eq!(line, "$5\r\n");
    line.clear();
    reader.read_line(&mut line).expect("reply");
    assert_eq!(line, "value\r\n");
}

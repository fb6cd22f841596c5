//! Order keys: a move writes one slide, positions are read back from the keys, long runs of
//! moves keep the order asked for, imported trees keep their order, and a library written
//! with integer positions keeps its order when it gets keys.

use classkit_model::{ChangeKind, CourseTree, order};
use classkit_store::{NewSlide, Store};
use std::path::Path;
use uuid::Uuid;

async fn library() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).await.expect("open library");
    (dir, store)
}

/// A course with one lesson of `n` slides titled "0", "1", …; returns (course, lesson, ids).
async fn lesson_of(store: &Store, n: usize) -> (Uuid, Uuid, Vec<Uuid>) {
    let course = store.create_course("Order", None).await.expect("course");
    let lesson = store.add_lesson(course.id, "L").await.expect("lesson");
    let mut ids = Vec::new();
    for i in 0..n {
        let new = NewSlide {
            title: i.to_string(),
            ..NewSlide::default()
        };
        ids.push(store.add_slide(lesson.id, new).await.expect("slide").id);
    }
    (course.id, lesson.id, ids)
}

/// The slide ids of lesson `l` in the order the library gives them, checking on the way that
/// each one's position is its index and its key is well formed and sorts after the last.
fn slide_order(tree: &CourseTree, l: usize) -> Vec<Uuid> {
    let slides = &tree.lessons[l].slides;
    for (i, s) in slides.iter().enumerate() {
        assert_eq!(s.slide.position, i as i64, "position of {}", s.slide.title);
        assert!(
            order::is_valid(&s.slide.order_key),
            "{:?}",
            s.slide.order_key
        );
    }
    for w in slides.windows(2) {
        let (a, b) = (&w[0].slide, &w[1].slide);
        assert!(
            (&a.order_key, a.id) < (&b.order_key, b.id),
            "{a:?} then {b:?}"
        );
    }
    slides.iter().map(|s| s.slide.id).collect()
}

#[tokio::test]
async fn a_move_changes_only_the_moved_slide_and_writes_one_outbox_row() {
    let (_dir, store) = library().await;
    let (course, lesson, ids) = lesson_of(&store, 5).await;
    let before = store.course_tree(course).await.expect("tree");
    let outbox = store.outbox(10_000).await.expect("outbox").len();
    let saves = store.last_save().await.expect("saves");

    let moved = store
        .move_slide(ids[4], lesson, 1, Some(1))
        .await
        .expect("move");
    assert_eq!((moved.position, moved.version), (1, 2));

    let after = store.course_tree(course).await.expect("tree");
    assert_eq!(
        slide_order(&after, 0),
        [ids[0], ids[4], ids[1], ids[2], ids[3]]
    );
    for s in after.lessons[0].slides.iter().map(|s| &s.slide) {
        let was = before.lessons[0]
            .slides
            .iter()
            .map(|s| &s.slide)
            .find(|b| b.id == s.id)
            .expect("same slides");
        match s.id == moved.id {
            true => assert_ne!(s.order_key, was.order_key),
            false => assert_eq!(
                (s.version, &s.order_key, s.updated_at),
                (was.version, &was.order_key, was.updated_at),
                "{} was not moved",
                s.title
            ),
        }
    }
    let rows = store.outbox(10_000).await.expect("outbox");
    assert_eq!(rows.len(), outbox + 1, "one outbox row");
    let row = rows.last().expect("row");
    assert_eq!(
        (row.entity_id, row.base_version, row.op.as_str()),
        (moved.id, Some(1), "upsert")
    );
    assert_eq!(row.data["order_key"], moved.order_key.as_str());
    let new_saves = store.saves_after(saves, 100).await.expect("saves");
    assert_eq!(new_saves.len(), 1, "one revision");
    assert_eq!(
        (new_saves[0].entity_id, new_saves[0].change),
        (moved.id, ChangeKind::Moved)
    );

    // A move to where the slide already is (its index, or past the end when it is last)
    // writes nothing.
    let same = store
        .move_slide(ids[4], lesson, 1, None)
        .await
        .expect("no move");
    assert_eq!(same, moved);
    store
        .move_slide(ids[3], lesson, 99, None)
        .await
        .expect("no move");
    assert_eq!(
        store.outbox(10_000).await.expect("outbox").len(),
        outbox + 1
    );
    assert_eq!(store.course_tree(course).await.expect("tree"), after);
}

#[tokio::test]
async fn positions_read_back_as_indexes_in_key_order() {
    let (_dir, store) = library().await;
    let (course, lesson, ids) = lesson_of(&store, 4).await;
    let tree = store.course_tree(course).await.expect("tree");
    assert_eq!(slide_order(&tree, 0), ids);
    // Each slide read on its own says the same position as in the tree.
    store
        .move_slide(ids[0], lesson, 2, None)
        .await
        .expect("move");
    let tree = store.course_tree(course).await.expect("tree");
    let in_order = slide_order(&tree, 0);
    assert_eq!(in_order, [ids[1], ids[2], ids[0], ids[3]]);
    for (i, id) in in_order.iter().enumerate() {
        assert_eq!(store.slide(*id).await.expect("slide").position, i as i64);
    }
    // A slide added now goes last, after every key.
    let added = store
        .add_slide(lesson, NewSlide::default())
        .await
        .expect("slide");
    assert_eq!(added.position, 4);
    let tree = store.course_tree(course).await.expect("tree");
    assert_eq!(slide_order(&tree, 0).last(), Some(&added.id));
    // Lessons too: each new one goes last.
    let second = store.add_lesson(course, "M").await.expect("lesson");
    let third = store.add_lesson(course, "N").await.expect("lesson");
    assert_eq!((second.position, third.position), (1, 2));
    assert!(second.order_key < third.order_key);
    let tree = store.course_tree(course).await.expect("tree");
    let lessons: Vec<(Uuid, i64)> = tree
        .lessons
        .iter()
        .map(|l| (l.lesson.id, l.lesson.position))
        .collect();
    assert_eq!(lessons, [(lesson, 0), (second.id, 1), (third.id, 2)]);
}

#[tokio::test]
async fn many_moves_to_the_front_and_between_two_slides_keep_the_order() {
    let (_dir, store) = library().await;
    let (course, lesson, ids) = lesson_of(&store, 6).await;
    let other = store.add_lesson(course, "Other").await.expect("lesson");
    let mut expected = ids.clone();
    let mut elsewhere: Vec<Uuid> = Vec::new();
    for round in 0..100 {
        // The last slide to the front, then the (new) last between the first two.
        for at in [0, 1] {
            let last = *expected.last().expect("slides");
            let moved = store
                .move_slide(last, lesson, at, None)
                .await
                .expect("move");
            expected.pop();
            expected.insert(at, last);
            assert_eq!(moved.position, at as i64);
        }
        // Now and then one to the other lesson's front and back again in the middle.
        if round % 10 == 0 {
            let id = expected.remove(3);
            store.move_slide(id, other.id, 0, None).await.expect("out");
            elsewhere.insert(0, id);
            let back = elsewhere.remove(0);
            store.move_slide(back, lesson, 2, None).await.expect("in");
            expected.insert(2, back);
        }
        if round % 25 == 0 {
            let tree = store.course_tree(course).await.expect("tree");
            assert_eq!(slide_order(&tree, 0), expected, "round {round}");
        }
    }
    let tree = store.course_tree(course).await.expect("tree");
    assert_eq!(slide_order(&tree, 0), expected);
    assert!(tree.lessons[1].slides.is_empty());
    for s in &tree.lessons[0].slides {
        assert!(
            s.slide.order_key.len() <= order::MAX_KEY_LEN,
            "keys stay short"
        );
    }
}

/// A course tree of two lessons of three slides, with keys as `keys` gives them per list.
fn tree_of(keys: impl Fn(usize) -> Vec<String>) -> CourseTree {
    use classkit_model::{Course, Lesson, LessonTree, Slide, SlideLayout, SlideTree};
    let at = classkit_store::now();
    let course = Course {
        id: Uuid::now_v7(),
        title: "Imported".into(),
        description: String::new(),
        language: None,
        created_at: at,
        updated_at: at,
        version: 1,
    };
    let lessons = keys(2)
        .into_iter()
        .enumerate()
        .map(|(l, order_key)| {
            let lesson = Lesson {
                id: Uuid::now_v7(),
                course_id: course.id,
                order_key,
                position: 0,
                title: format!("lesson {l}"),
                created_at: at,
                updated_at: at,
                version: 1,
            };
            let slides = keys(3)
                .into_iter()
                .enumerate()
                .map(|(s, order_key)| SlideTree {
                    slide: Slide {
                        id: Uuid::now_v7(),
                        lesson_id: lesson.id,
                        order_key,
                        // Positions in a tree are not what orders it.
                        position: 7 - s as i64,
                        title: format!("{l}.{s}"),
                        body: String::new(),
                        speaker_notes: String::new(),
                        instructor_notes: String::new(),
                        layout: SlideLayout::Bullets,
                        image: None,
                        narration: None,
                        created_at: at,
                        updated_at: at,
                        version: 1,
                    },
                    components: Vec::new(),
                })
                .collect();
            LessonTree { lesson, slides }
        })
        .collect();
    CourseTree { course, lessons }
}

fn titles(tree: &CourseTree) -> Vec<String> {
    tree.lessons
        .iter()
        .flat_map(|l| &l.slides)
        .map(|s| s.slide.title.clone())
        .collect()
}

#[tokio::test]
async fn an_imported_tree_keeps_its_keys_or_gets_new_ones_in_its_order() {
    let (_dir, store) = library().await;
    let in_tree_order = ["0.0", "0.1", "0.2", "1.0", "1.1", "1.2"];

    // Keys that give the tree's order are kept as they are (here: not the ones
    // `order::sequence` makes).
    let spaced = |n: usize| -> Vec<String> {
        let mut keys = vec![order::between(None, None)];
        for _ in 1..n {
            let next = order::between(keys.last().map(String::as_str), None);
            let next = order::between(keys.last().map(String::as_str), Some(&next));
            keys.push(next);
        }
        keys
    };
    let given = tree_of(spaced);
    store
        .insert_course_tree(&given, ChangeKind::Imported)
        .await
        .expect("import");
    let stored = store.course_tree(given.course.id).await.expect("tree");
    assert_eq!(titles(&stored), in_tree_order);
    let keys = |t: &CourseTree| -> Vec<String> {
        t.lessons
            .iter()
            .flat_map(|l| &l.slides)
            .map(|s| s.slide.order_key.clone())
            .collect()
    };
    assert_eq!(keys(&stored), keys(&given));
    assert_ne!(
        spaced(3),
        order::sequence(3),
        "the kept keys are the tree's"
    );

    // No keys (an older bundle), keys against the tree's order, or malformed keys: new
    // keys in the tree's order.
    let no_keys = |n: usize| vec![String::new(); n];
    let backwards = |n: usize| {
        let mut keys = order::sequence(n);
        keys.reverse();
        keys
    };
    let malformed = |n: usize| vec!["zz".to_string(); n];
    for (name, tree) in [
        ("no keys", tree_of(no_keys)),
        ("backwards", tree_of(backwards)),
        ("malformed", tree_of(malformed)),
    ] {
        store
            .insert_course_tree(&tree, ChangeKind::Imported)
            .await
            .expect("import");
        let stored = store.course_tree(tree.course.id).await.expect("tree");
        assert_eq!(titles(&stored), in_tree_order, "{name}");
        for l in 0..2 {
            slide_order(&stored, l);
        }
        let lesson_titles: Vec<&str> = stored
            .lessons
            .iter()
            .map(|l| l.lesson.title.as_str())
            .collect();
        assert_eq!(lesson_titles, ["lesson 0", "lesson 1"], "{name}");
        // The revision (and what sync is sent) holds the key stored.
        let history = store
            .history(stored.lessons[0].slides[0].slide.id)
            .await
            .expect("history");
        assert_eq!(
            history[0].data["order_key"],
            stored.lessons[0].slides[0].slide.order_key.as_str()
        );
    }
}

/// The last migration before order keys.
const BEFORE_ORDER_KEYS: i64 = 20261203000002;

/// Slides in the long lesson of [`library_with_positions`]: past the keys of two characters
/// and of three.
const LONG_LESSON: usize = 4000;

/// A library as the version before order keys left it, in `dir`: the migrations up to
/// then, and lessons and slides with integer positions, gaps and ties included.
struct OldLibrary {
    /// A course of two lessons.
    course: Uuid,
    /// Its lessons, each with its slides, in the order that version read them.
    lessons: Vec<(Uuid, Vec<Uuid>)>,
    /// A lesson (of another course) of [`LONG_LESSON`] slides, and their ids in order.
    long_lesson: (String, Vec<String>),
}

async fn library_with_positions(dir: &Path) -> OldLibrary {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
    let options = SqliteConnectOptions::new()
        .filename(dir.join(classkit_store::DATABASE_FILE))
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePool::connect_with(options).await.expect("database");
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/sqlite");
    let migrator = sqlx::migrate::Migrator::new(migrations)
        .await
        .expect("migrations");
    assert!(migrator.version_exists(BEFORE_ORDER_KEYS));
    migrator
        .run_to(BEFORE_ORDER_KEYS, &pool)
        .await
        .expect("old schema");
    let at = "2026-12-01T00:00:00Z";
    let exec = |sql: &'static str, binds: Vec<String>| {
        let pool = pool.clone();
        async move {
            let mut q = sqlx::query(sql);
            for b in binds {
                q = q.bind(b);
            }
            q.execute(&pool).await.expect(sql);
        }
    };
    let course = Uuid::now_v7();
    exec(
        "INSERT INTO courses (id, title, created_at, updated_at, version) \
         VALUES (?1, 'Old', ?2, ?2, 1)",
        vec![course.to_string(), at.into()],
    )
    .await;
    // Lessons at positions 5 and 2 (the second made last), slides at 9, 3, 0, 3 and 1, 0.
    let mut lesson_ids = Vec::new();
    for (lesson_position, slide_positions) in [(5, vec![9, 3, 0, 3]), (2, vec![1, 0])] {
        let lesson = Uuid::now_v7();
        exec(
            "INSERT INTO lessons (id, course_id, position, title, created_at, updated_at, \
             version) VALUES (?1, ?2, ?3, 'L', ?4, ?4, 1)",
            vec![
                lesson.to_string(),
                course.to_string(),
                lesson_position.to_string(),
                at.into(),
            ],
        )
        .await;
        for position in slide_positions {
            exec(
                "INSERT INTO slides (id, lesson_id, position, title, body, speaker_notes, \
                 layout, created_at, updated_at, version) \
                 VALUES (?1, ?2, ?3, 'S', '', '', 'bullets', ?4, ?4, 1)",
                vec![
                    Uuid::now_v7().to_string(),
                    lesson.to_string(),
                    position.to_string(),
                    at.into(),
                ],
            )
            .await;
        }
        lesson_ids.push(lesson);
    }
    // The long lesson: positions shuffled, each shared by two slides.
    let long_course = Uuid::now_v7().to_string();
    let long_lesson = Uuid::now_v7().to_string();
    exec(
        "INSERT INTO courses (id, title, created_at, updated_at, version) \
         VALUES (?1, 'Long', ?2, ?2, 1)",
        vec![long_course.clone(), at.into()],
    )
    .await;
    exec(
        "INSERT INTO lessons (id, course_id, position, title, created_at, updated_at, version) \
         VALUES (?1, ?2, 0, 'L', ?3, ?3, 1)",
        vec![long_lesson.clone(), long_course, at.into()],
    )
    .await;
    exec(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?3 - 1) \
         INSERT INTO slides (id, lesson_id, position, title, body, speaker_notes, layout, \
         created_at, updated_at, version) \
         SELECT printf('00000000-0000-7000-8000-%012d', i), ?1, (i * 7919) % ?3 / 2, 'S', '', \
         '', 'bullets', ?2, ?2, 1 FROM n",
        vec![long_lesson.clone(), at.into(), LONG_LESSON.to_string()],
    )
    .await;

    // The order that version read: by position, then id.
    let ids_in_order = |sql: &'static str, parent: String| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .bind(parent)
                .fetch_all(&pool)
                .await
                .expect(sql)
        }
    };
    const LESSONS: &str = "SELECT id FROM lessons WHERE course_id = ? ORDER BY position, id";
    const SLIDES: &str = "SELECT id FROM slides WHERE lesson_id = ? ORDER BY position, id";
    let uuids = |ids: Vec<String>| -> Vec<Uuid> {
        ids.iter()
            .map(|id| Uuid::parse_str(id).expect("id"))
            .collect()
    };
    let mut lessons = Vec::new();
    for lesson in uuids(ids_in_order(LESSONS, course.to_string()).await) {
        lessons.push((
            lesson,
            uuids(ids_in_order(SLIDES, lesson.to_string()).await),
        ));
    }
    assert_eq!(
        lessons.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [lesson_ids[1], lesson_ids[0]]
    );
    let long_ids = ids_in_order(SLIDES, long_lesson.clone()).await;
    pool.close().await;
    OldLibrary {
        course,
        lessons,
        long_lesson: (long_lesson, long_ids),
    }
}

#[tokio::test]
async fn a_library_with_positions_keeps_its_order_when_it_gets_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = library_with_positions(dir.path()).await;
    let store = Store::open(dir.path()).await.expect("open and migrate");
    assert_eq!(store.integrity_check().await.expect("check"), "ok");
    let tree = store.course_tree(old.course).await.expect("tree");
    let lessons: Vec<Uuid> = tree.lessons.iter().map(|l| l.lesson.id).collect();
    assert_eq!(
        lessons,
        old.lessons.iter().map(|(l, _)| *l).collect::<Vec<_>>()
    );
    for (i, (_, slides)) in old.lessons.iter().enumerate() {
        assert_eq!(&slide_order(&tree, i), slides, "lesson {i}");
        assert_eq!(tree.lessons[i].lesson.position, i as i64);
        assert!(order::is_valid(&tree.lessons[i].lesson.order_key));
    }
    assert!(tree.lessons[0].lesson.order_key < tree.lessons[1].lesson.order_key);

    // The long lesson: the order kept, and the keys a new list of its length gets.
    let (long_lesson, long_ids) = &old.long_lesson;
    let db = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.path().join(classkit_store::DATABASE_FILE))
        .read_only(true);
    let pool = sqlx::SqlitePool::connect_with(db).await.expect("read");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, order_key FROM slides WHERE lesson_id = ? ORDER BY order_key, id",
    )
    .bind(long_lesson)
    .fetch_all(&pool)
    .await
    .expect("slides");
    pool.close().await;
    let (ids, keys): (Vec<String>, Vec<String>) = rows.into_iter().unzip();
    assert_eq!(&ids, long_ids);
    assert_eq!(keys, order::sequence(LONG_LESSON));
    let last = Uuid::parse_str(&long_ids[LONG_LESSON - 1]).expect("id");
    assert_eq!(
        store.slide(last).await.expect("slide").position,
        LONG_LESSON as i64 - 1
    );

    // The migrated keys take moves and additions like any others.
    let (lesson, slides) = &old.lessons[1];
    let last = *slides.last().expect("slides");
    store
        .move_slide(last, *lesson, 1, None)
        .await
        .expect("move");
    let added = store
        .add_slide(*lesson, NewSlide::default())
        .await
        .expect("add");
    let mut want = slides.clone();
    want.pop();
    want.insert(1, last);
    want.push(added.id);
    let tree = store.course_tree(old.course).await.expect("tree");
    assert_eq!(slide_order(&tree, 1), want);
}

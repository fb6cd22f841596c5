//! The local library as a [`Workspace`], for the bundled workers.
//!
//! A newtype rather than `impl Workspace for Store`: the trait's methods share names with the
//! store's own, and inside such an impl a store method renamed later would silently resolve
//! to the trait method and call itself. Here every call is `self.0.…`, which only the store
//! answers.

use async_trait::async_trait;
use classkit_generate::{
    DraftOrigin, PlanSource, SlideOutput, Spending, SpokenAudio, Workspace, WorkspaceError,
    WorkspaceResult, apply_audio,
};
use classkit_model::{AssetRef, ChangeKind, ComponentType, CourseTree, LearningComponent, Slide};
use classkit_store::{DraftOutcome, Drafted, Generated, SlideEdit, Store, StoreError};
use std::future::Future;
use uuid::Uuid;

/// How many times a conditional write reads again after someone else wrote first.
const CONFLICT_TRIES: usize = 5;

/// The local library, for the job handlers.
#[derive(Debug, Clone)]
pub struct LocalWorkspace(Store);

impl LocalWorkspace {
    /// The library `store` opened, as handlers see it.
    pub fn new(store: Store) -> Self {
        Self(store)
    }
}

/// A store error as a workspace error, by what a job should do about it.
fn ws(e: StoreError) -> WorkspaceError {
    let message = e.to_string();
    match e {
        _ if e.is_disk_full() => WorkspaceError::DiskFull(message),
        StoreError::NotFound { .. } => WorkspaceError::Missing(message),
        // What an engine made breaks the rules: trying again makes the same.
        StoreError::Payload(_) | StoreError::InvalidText { .. } | StoreError::NotReady { .. } => {
            WorkspaceError::Rejected(message)
        }
        _ => WorkspaceError::Unavailable(message),
    }
}

/// Reads something, then writes to it on condition that it is still at the version read:
/// when someone else wrote in between (a version conflict), it reads again and retries, at
/// most [`CONFLICT_TRIES`] times. `None` when it kept changing.
async fn on_latest_version<S, T, R, RF, W, WF>(read: R, write: W) -> Result<Option<T>, StoreError>
where
    R: Fn() -> RF,
    RF: Future<Output = Result<S, StoreError>>,
    W: Fn(S) -> WF,
    WF: Future<Output = Result<T, StoreError>>,
{
    for _ in 0..CONFLICT_TRIES {
        match write(read().await?).await {
            Ok(done) => return Ok(Some(done)),
            Err(StoreError::VersionConflict { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// Points `slide` (as read) at `output` if it belongs there, conditioned on the slide's
/// version; returns whether the slide points at it.
async fn point(store: &Store, slide: Slide, output: SlideOutput<'_>) -> Result<bool, StoreError> {
    if output.is_on(&slide) {
        return Ok(true);
    }
    if !output.belongs_on(&slide) {
        return Ok(false);
    }
    let asset = Some(Some(output.asset().clone()));
    let edit = match output {
        SlideOutput::Narration { .. } => SlideEdit {
            narration: asset,
            ..SlideEdit::default()
        },
        SlideOutput::Picture { .. } => SlideEdit {
            image: asset,
            ..SlideEdit::default()
        },
    };
    store
        .update_slide(slide.id, edit, Some(slide.version))
        .await?;
    Ok(true)
}

/// Adds the spoken audio to `component` (as read), conditioned on its version; returns how
/// many items got it.
async fn add_audio(
    store: &Store,
    component: LearningComponent,
    spoken: &SpokenAudio,
) -> Result<usize, StoreError> {
    let mut payload = component.payload;
    let added = apply_audio(&mut payload, spoken);
    if added > 0 {
        store
            .complete_draft(component.id, payload, component.version)
            .await?;
    }
    Ok(added)
}

#[async_trait]
impl PlanSource for LocalWorkspace {
    async fn component(&self, id: Uuid) -> WorkspaceResult<LearningComponent> {
        Ok(self.0.component(id).await.map_err(ws)?)
    }

    async fn generated(&self, target: Uuid, kind: &str) -> WorkspaceResult<Vec<Generated>> {
        Ok(self.0.generated(target, kind).await.map_err(ws)?)
    }

    async fn drafted(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<Option<Drafted>> {
        Ok(self
            .0
            .drafted(slide, component_type.as_str())
            .await
            .map_err(ws)?)
    }

    async fn draft_declined(
        &self,
        slide: Uuid,
        component_type: ComponentType,
    ) -> WorkspaceResult<bool> {
        Ok(self
            .0
            .draft_declined(slide, component_type.as_str())
            .await
            .map_err(ws)?)
    }
}

#[async_trait]
impl Workspace for LocalWorkspace {
    async fn slide(&self, id: Uuid) -> WorkspaceResult<Slide> {
        Ok(self.0.slide(id).await.map_err(ws)?)
    }

    async fn course_tree(&self, id: Uuid) -> WorkspaceResult<CourseTree> {
        Ok(self.0.course_tree(id).await.map_err(ws)?)
    }

    async fn course_exists(&self, id: Uuid) -> WorkspaceResult<bool> {
        Ok(self.0.course_exists(id).await.map_err(ws)?)
    }

    async fn add_course(&self, tree: &CourseTree, change: ChangeKind) -> WorkspaceResult<()> {
        Ok(self.0.insert_course_tree(tree, change).await.map_err(ws)?)
    }

    async fn put_asset(&self, bytes: &[u8], media_type: &str) -> WorkspaceResult<AssetRef> {
        Ok(self
            .0
            .put_asset(bytes, media_type)
            .await
            .map_err(ws)?
            .sha256)
    }

    async fn has_asset(&self, asset: &AssetRef) -> WorkspaceResult<bool> {
        match self.0.asset_info(asset).await {
            Ok(_) => Ok(true),
            Err(StoreError::AssetMissing(_)) => Ok(false),
            Err(e) => Err(ws(e)),
        }
    }

    async fn asset_bytes(&self, asset: &AssetRef) -> WorkspaceResult<Vec<u8>> {
        Ok(self.0.asset_bytes(asset).await.map_err(ws)?)
    }

    async fn put_generated(
        &self,
        target: Uuid,
        kind: &str,
        outputs: &[Generated],
    ) -> WorkspaceResult<()> {
        Ok(self
            .0
            .put_generated(target, kind, outputs)
            .await
            .map_err(ws)?)
    }

    async fn record_spending(&self, s: &Spending<'_>) -> WorkspaceResult<()> {
        Ok(self
            .0
            .record_spending(s.job_id, s.attempt, s.course_id, s.engine, s.kind, s.micros)
            .await
            .map_err(ws)?)
    }

    async fn spent_by_job(&self, job_id: Uuid) -> WorkspaceResult<i64> {
        self.0.spent_by_jobs(&[job_id]).await.map_err(ws)
    }

    async fn save_draft(
        &self,
        slide: Uuid,
        component_type: ComponentType,
        payload: serde_json::Value,
        origin: &DraftOrigin<'_>,
    ) -> WorkspaceResult<DraftOutcome> {
        let drafted = classkit_store::Drafted {
            slide_id: slide,
            component_type: component_type.as_str().to_string(),
            // The store decides these.
            component_id: None,
            version: 0,
            input_key: origin.input_key.to_string(),
            engine: origin.engine.to_string(),
            reason: None,
        };
        Ok(self
            .0
            .save_draft(&drafted, component_type, payload, origin.job_id)
            .await
            .map_err(ws)?)
    }

    async fn record_nothing_drafted(
        &self,
        slide: Uuid,
        component_type: ComponentType,
        origin: &DraftOrigin<'_>,
        reason: &str,
    ) -> WorkspaceResult<()> {
        Ok(self
            .0
            .record_nothing_drafted(
                slide,
                component_type.as_str(),
                origin.input_key,
                origin.engine,
                origin.job_id,
                reason,
            )
            .await
            .map_err(ws)?)
    }

    async fn add_reference_audio(
        &self,
        component: Uuid,
        spoken: &SpokenAudio,
    ) -> WorkspaceResult<usize> {
        let store = &self.0;
        on_latest_version(
            || store.component(component),
            |current| add_audio(store, current, spoken),
        )
        .await
        .map_err(ws)?
        .ok_or_else(|| {
            // The audio is in the cache: the job's retry costs nothing.
            WorkspaceError::Unavailable(
                "the component kept changing while its reference audio was added; trying again"
                    .into(),
            )
        })
    }

    async fn point_slide_at(&self, slide: Uuid, output: SlideOutput<'_>) -> WorkspaceResult<bool> {
        let store = &self.0;
        let placed = on_latest_version(|| store.slide(slide), |s| point(store, s, output))
            .await
            .map_err(ws)?;
        // A slide that kept changing keeps what it had.
        Ok(placed.unwrap_or(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use classkit_store::NewSlide;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const NOTES: &str = "Plants turn light into sugar.";

    /// A library with one slide narrated by `NOTES`, and a stored take of its narration.
    async fn library() -> (tempfile::TempDir, Store, Slide, AssetRef) {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(dir.path()).await.expect("library");
        let course = store.create_course("Botany", None).await.expect("course");
        let lesson = store.add_lesson(course.id, "Leaves").await.expect("lesson");
        let slide = store
            .add_slide(
                lesson.id,
                NewSlide {
                    title: "Photosynthesis".into(),
                    speaker_notes: NOTES.into(),
                    ..NewSlide::default()
                },
            )
            .await
            .expect("slide");
        let take = store
            .put_asset(b"OggS a take", "audio/ogg")
            .await
            .expect("asset")
            .sha256;
        (dir, store, slide, take)
    }

    #[tokio::test]
    async fn an_edit_between_read_and_write_is_retried_and_the_slide_gets_its_narration() {
        let (_dir, store, slide, take) = library().await;
        let output = SlideOutput::Narration {
            asset: &take,
            notes: NOTES,
        };
        let reads = AtomicUsize::new(0);
        // The instructor retitles the slide just after the first read: that read is stale.
        let read = || async {
            let read = store.slide(slide.id).await;
            if reads.fetch_add(1, Ordering::SeqCst) == 0 {
                let retitle = SlideEdit {
                    title: Some("Light into sugar".into()),
                    ..SlideEdit::default()
                };
                store
                    .update_slide(slide.id, retitle, None)
                    .await
                    .expect("the instructor's edit");
            }
            read
        };
        let placed = on_latest_version(read, |s| point(&store, s, output))
            .await
            .expect("written");
        assert_eq!(placed, Some(true));
        assert_eq!(
            reads.load(Ordering::SeqCst),
            2,
            "read again after the conflict"
        );
        let now = store.slide(slide.id).await.expect("slide");
        assert_eq!(now.narration.as_ref(), Some(&take));
        assert_eq!(now.title, "Light into sugar", "the instructor's edit stays");
    }

    #[tokio::test]
    async fn a_slide_whose_notes_changed_does_not_get_the_old_narration() {
        let (_dir, store, slide, take) = library().await;
        let rewrite = SlideEdit {
            speaker_notes: Some("Plants breathe out oxygen.".into()),
            ..SlideEdit::default()
        };
        store
            .update_slide(slide.id, rewrite, None)
            .await
            .expect("the instructor's edit");
        let workspace = LocalWorkspace::new(store.clone());
        let output = SlideOutput::Narration {
            asset: &take,
            notes: NOTES,
        };
        let placed = workspace
            .point_slide_at(slide.id, output)
            .await
            .expect("answered");
        assert!(!placed);
        assert_eq!(store.slide(slide.id).await.expect("slide").narration, None);
        // Spacing alone is no change: the same words get their narration.
        let output = SlideOutput::Narration {
            asset: &take,
            notes: "  Plants breathe out\noxygen. ",
        };
        assert!(
            workspace
                .point_slide_at(slide.id, output)
                .await
                .expect("answered")
        );
    }

    #[tokio::test]
    async fn a_picture_of_the_instructors_own_is_not_replaced() {
        let (_dir, store, slide, _) = library().await;
        let theirs = store
            .put_asset(b"their picture", "image/png")
            .await
            .expect("asset")
            .sha256;
        let made = store
            .put_asset(b"a made picture", "image/png")
            .await
            .expect("asset")
            .sha256;
        let workspace = LocalWorkspace::new(store.clone());
        let picture = SlideOutput::Picture { asset: &made };
        assert!(
            workspace
                .point_slide_at(slide.id, picture)
                .await
                .expect("answered"),
            "a slide without a picture shows the made one"
        );
        let own = SlideEdit {
            image: Some(Some(theirs.clone())),
            ..SlideEdit::default()
        };
        store
            .update_slide(slide.id, own, None)
            .await
            .expect("the instructor's picture");
        assert!(
            !workspace
                .point_slide_at(slide.id, picture)
                .await
                .expect("answered")
        );
        assert_eq!(
            store.slide(slide.id).await.expect("slide").image,
            Some(theirs)
        );
    }
}

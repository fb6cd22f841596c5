//! `slide_render` jobs: a slide drawn to PNG pages with thumbnails and element boxes.

use super::*;

/// The input of a slide render job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SlideRenderInput {
    pub slide_id: Uuid,
    #[serde(default)]
    pub course_id: Option<Uuid>,
    pub footer: String,
    pub number: u32,
    #[serde(default)]
    pub no_cache: bool,
}

/// What the cache keeps of a slide render.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenderRecord {
    pub pages: Vec<RenderedPage>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RenderedPage {
    pub png: AssetRef,
    pub thumbnail: AssetRef,
    pub body_size: f32,
    pub elements: serde_json::Value,
}

/// The cache key of a slide render: everything drawn on it.
pub fn render_key(slide: &classkit_model::Slide, footer: &str, number: u32) -> CacheKey {
    CacheKey::exact(
        "slides",
        Some(RENDERER_VERSION),
        &json!({
            "layout": slide.layout.as_str(),
            "footer": footer,
            "number": number,
            "image": slide.image,
        }),
        &format!("{}\n\u{0}\n{}", slide.title, slide.body),
    )
}

/// Renders a slide to PNG pages with thumbnails.
pub struct SlideRenderHandler {
    pub workspace: Arc<dyn Workspace>,
    pub generation: Arc<Generation>,
}

#[async_trait]
impl classkit_jobs::Handler for SlideRenderHandler {
    async fn run(&self, ctx: JobContext) -> std::result::Result<Output, JobError> {
        let input: SlideRenderInput =
            serde_json::from_value(ctx.job.input.clone()).map_err(bad_input)?;
        let slide = self.workspace.slide(input.slide_id).await?;
        let key = render_key(&slide, &input.footer, input.number);
        let cached = match self.generation.cache.get::<RenderRecord>(&key) {
            Some(r) if !input.no_cache => {
                let assets: Vec<&AssetRef> = r
                    .pages
                    .iter()
                    .flat_map(|p| [&p.png, &p.thumbnail])
                    .collect();
                assets_present(self.workspace.as_ref(), &assets)
                    .await
                    .then_some(r)
            }
            _ => None,
        };
        let hit = cached.is_some();
        let record = match cached {
            Some(r) => r,
            None => {
                let image = match &slide.image {
                    Some(a) => Some(self.workspace.asset_bytes(a).await?),
                    None => None,
                };
                let renderer = self.generation.renderer()?.clone();
                let (title, body, layout) = (slide.title.clone(), slide.body.clone(), slide.layout);
                let footer = input.footer.clone();
                let number = input.number;
                let pages = tokio::task::spawn_blocking(move || {
                    renderer.render(&SlideInput {
                        title: &title,
                        body: &body,
                        layout,
                        image: image.as_deref(),
                        footer: &footer,
                        number: Some(number),
                    })
                })
                .await
                .map_err(|e| JobError::retryable(format!("the renderer stopped: {e}")))??;
                if pages.is_empty() {
                    return Err(JobError::permanent("the slide rendered to no page"));
                }
                let mut stored = Vec::new();
                for page in pages {
                    let png = self.workspace.put_asset(&page.png, "image/png").await?;
                    let thumbnail = self
                        .workspace
                        .put_asset(&page.thumbnail, "image/png")
                        .await?;
                    stored.push(RenderedPage {
                        png,
                        thumbnail,
                        body_size: page.page.body_size,
                        elements: serde_json::to_value::<&Vec<Element>>(&page.page.elements)
                            .unwrap_or_default(),
                    });
                }
                let record = RenderRecord { pages: stored };
                if let Err(e) = self.generation.cache.put(&key, &record) {
                    tracing::warn!(error = %e, "could not write the cache");
                }
                record
            }
        };
        let rows: Vec<Generated> = record
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| Generated {
                target_id: slide.id,
                kind: SLIDE_RENDER.into(),
                page: i as u32,
                asset: p.png.clone(),
                media_type: "image/png".into(),
                thumbnail: Some(p.thumbnail.clone()),
                duration_ms: None,
                input_key: key.as_str().to_string(),
                engine: "slides".into(),
                cost_micros: 0,
                job_id: Some(ctx.job.id),
                details: json!({"body_size": p.body_size, "elements": p.elements, "cached": hit}),
            })
            .collect();
        // A slide changed while it was drawn (a picture came in) must not have its new
        // render replaced by this older one.
        let now = self.workspace.slide(input.slide_id).await?;
        if render_key(&now, &input.footer, input.number) != key {
            return Err(JobError::retryable(
                "the slide changed while it was rendered; it is rendered again",
            ));
        }
        self.workspace
            .put_generated(slide.id, SLIDE_RENDER, &rows)
            .await?;
        Ok(Output {
            result: json!({
                "pages": record.pages.iter().map(|p| &p.png).collect::<Vec<_>>(),
                "cached": hit,
            }),
            actual_cost_micros: Some(0),
        })
    }
}

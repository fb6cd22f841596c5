//! The router: every route under `/api/v1` with its OpenAPI description, the health and
//! metrics routes, and the layers every request passes (limits, timeout, metrics, tracing).
//! The document at `/api/v1/openapi.json` is built from the same route list as the router,
//! so a route cannot be served without being documented.

use crate::error::ApiFailure;
use crate::routes::{assets, courses, generation, health, jobs, sync, worker};
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use classkit_model::ErrorCode;
use std::time::Instant;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ClassKit Studio team server",
        description = "Courses in PostgreSQL, synced with the apps of the team's instructors: \
                       push an outbox's edits (merged field by field, conflicts kept), pull the \
                       change log by cursor, assets by sha256, course membership. Errors are \
                       {code, message, details}.",
        license(name = "MIT OR Apache-2.0")
    ),
    modifiers(&BearerAuth),
    tags((name = "courses"), (name = "sync"), (name = "assets"), (name = "people"), (name = "health"))
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `classkit-server admin create-token`"))
                    .build(),
            ),
        );
    }
}

/// The routes and their document.
fn documented(state: &AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let uploads = OpenApiRouter::new()
        .routes(routes!(assets::upload, assets::download))
        .routes(routes!(worker::upload, worker::download))
        .layer(DefaultBodyLimit::max(state.limits.max_asset_bytes));
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(courses::me))
        .routes(routes!(courses::list_courses, courses::create_course))
        .routes(routes!(courses::get_course))
        .routes(routes!(courses::list_members))
        .routes(routes!(courses::set_member, courses::remove_member))
        .routes(routes!(sync::push))
        .routes(routes!(sync::changes))
        .routes(routes!(sync::conflicts))
        .routes(routes!(sync::put_generated))
        .routes(routes!(assets::missing))
        .routes(routes!(generation::assemble))
        .routes(routes!(generation::budget))
        .routes(routes!(generation::outline))
        .routes(routes!(jobs::outline_job))
        .routes(routes!(generation::spending))
        .routes(routes!(jobs::events))
        .routes(routes!(jobs::job))
        .routes(routes!(jobs::cancel))
        .routes(routes!(jobs::retry))
        .routes(routes!(worker::slide))
        .routes(routes!(worker::component))
        .routes(routes!(worker::course))
        .routes(routes!(worker::course_exists))
        .routes(routes!(worker::add_course))
        .routes(routes!(worker::generated, worker::put_generated))
        .routes(routes!(worker::drafted))
        .routes(routes!(worker::draft))
        .routes(routes!(worker::spending))
        .routes(routes!(worker::job_spending))
        .routes(routes!(worker::reference_audio))
        .routes(routes!(worker::point))
        .routes(routes!(worker::missing_assets))
        .layer(DefaultBodyLimit::max(state.limits.max_body_bytes))
        .merge(uploads)
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::metrics))
        .split_for_parts()
}

/// The OpenAPI document, as served.
pub fn openapi(state: &AppState) -> utoipa::openapi::OpenApi {
    documented(state).1
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let (routes, doc) = documented(&state);
    let doc = std::sync::Arc::new(doc);
    routes
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .with_state(state)
}

async fn no_route() -> ApiFailure {
    ApiFailure::not_found(
        "there is nothing at this address; the API is under /api/v1 (see /api/v1/openapi.json)",
    )
}

async fn wrong_method() -> ApiFailure {
    ApiFailure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::InvalidInput,
        "this address does not take that method (see /api/v1/openapi.json)",
    )
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiFailure::internal("a request handler panicked").into_response()
}

/// Times the request out, counts it, and logs it (method, route pattern, status, time; never
/// headers, so never a token).
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = match tokio::time::timeout(state.limits.request_timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiFailure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::ServerError,
            format!(
                "the request took longer than the server's limit of {} s; try again, with less at a time",
                state.limits.request_timeout.as_secs()
            ),
        )
        .into_response(),
    };
    let took = started.elapsed();
    let status = response.status().as_u16();
    state.metrics.request(&method, &route, status, took);
    tracing::info!(%method, %route, status, took_ms = took.as_millis() as u64, "request");
    response
}

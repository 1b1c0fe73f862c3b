//! The dashboard side of the origin: the files trunk built, client-side routes, and
//! `GET /_desk/config` telling the dashboard what this server offers.

use crate::mock::schedule::ResetSchedule;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, get_service};
use axum::{Json, Router};
use export_desk_model::desk::{
    ClsTopic, Demo, DeskConfig, IotdaProject, Mode, ProviderStatus, Providers, CONFIG_PATH, DEPLOY_FILE_PATH,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// What `/_desk/config` reports. Never holds a secret: it is served to anyone who asks.
#[derive(Debug, Clone)]
pub struct DeskInfo {
    pub config: DeskConfig,
    /// When the mock resets itself: read at each answer, as the time moves on after every reset.
    pub resets: Option<Arc<ResetSchedule>>,
}

impl DeskInfo {
    /// A proxy's or any fixed configuration.
    pub fn fixed(config: DeskConfig) -> Self {
        Self { config, resets: None }
    }

    /// The mock's: its providers, and with `--demo` or `--reset-every`, what visitors should know.
    pub fn mock(public_demo: Option<u32>, resets: Option<Arc<ResetSchedule>>) -> Self {
        let demo = (public_demo.is_some() || resets.is_some()).then(|| Demo {
            public: public_demo.is_some(),
            reset_every_ms: resets.as_ref().map(|schedule| schedule.every_ms()),
            next_reset_ms: None,
            tasks_per_visitor: public_demo,
        });
        let config = DeskConfig {
            mode: Mode::Mock,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            providers: Providers {
                cdn_stats: ProviderStatus::enabled(),
                cls: ProviderStatus::enabled(),
                cls_topics: export_desk_model::tencent_cls::TOPICS.iter().map(ClsTopic::from).collect(),
                iotda: ProviderStatus::enabled(),
                // The demo tasks' project, without an instance, so a fresh dashboard lists them.
                iotda_project: Some(IotdaProject {
                    project_id: export_desk_model::huawei_iotda::DEMO_PROJECT_ID.to_owned(),
                    instance_id: None,
                }),
            },
            demo,
        };
        Self { config, resets }
    }

    fn current(&self) -> DeskConfig {
        let mut config = self.config.clone();
        if let (Some(demo), Some(resets)) = (config.demo.as_mut(), &self.resets) {
            demo.next_reset_ms = Some(resets.next_reset_ms());
        }
        config
    }
}

pub fn router(dist: &Path, desk: DeskInfo) -> Router {
    let index = Arc::new(dist.join("index.html"));
    let client_routes = {
        let index = Arc::clone(&index);
        move |request: Request| spa_fallback(index.clone(), request)
    };
    let files = ServeDir::new(dist).precompressed_br().precompressed_gzip().fallback(client_routes.into_service());
    Router::new()
        // `/` is routed, not left to the fallback, because Tencent's API takes `POST /` (merged
        // in from the mock): every other method of `/` stays the dashboard's.
        .route("/", get_service(files.clone()).fallback_service(files.clone()))
        .route(CONFIG_PATH, get(config))
        .route("/_desk/{*rest}", get(desk_not_found))
        .with_state(Arc::new(desk))
        // File names carry no content hash guarantee across builds, so always revalidate (cheap:
        // ServeDir answers If-Modified-Since with 304).
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
}

async fn config(State(desk): State<Arc<DeskInfo>>) -> Json<DeskConfig> {
    Json(desk.current())
}

async fn desk_not_found() -> impl IntoResponse {
    (StatusCode::NOT_FOUND, Json(serde_json::json!({"error": "no such desk endpoint"})))
}

/// A path with no file behind it is a dashboard route (`/cdn/stats?offset=20`): answer with the
/// app's `index.html` and let the client router take over. A missing *file* (`/x.js`) stays a 404.
///
/// The deployment's settings file is the exception: without one in the dashboard's folder, this
/// server answers an empty file, which leaves every setting at its default (the dashboard on this
/// origin, the browser's time zone), exactly as no file would. A 404 would do the same but shows
/// as an error in the browser's console on every load, which reads as something broken.
async fn spa_fallback(index: Arc<PathBuf>, request: Request) -> Response {
    let path = request.uri().path();
    if path == DEPLOY_FILE_PATH {
        return ([(header::CONTENT_TYPE, "application/json")], "{}\n").into_response();
    }
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    match tokio::fs::read(index.as_path()).await {
        Ok(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], Body::from(html)).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "The dashboard has not been built: {} is missing.\n\
                 Run ./scripts/run.sh from the repository (it builds the dashboard, then starts this server),\n\
                 or pass --dist pointing at trunk's output folder. The APIs are served all the same.\n",
                index.display()
            ),
        )
            .into_response(),
    }
}

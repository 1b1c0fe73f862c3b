//! Tencent Cloud CLS (API version 2020-10-16): log export tasks, as Tencent Cloud API 3.0
//! serves them.
//!
//! - `POST /` with `X-TC-Action: CreateExport`, `DescribeExports`, `DeleteExport` or
//!   `DescribeTopics` (the account's fixed topics, filtered and paged) and
//!   `X-TC-Version: 2020-10-16`; the parameters are the JSON body. Other methods on `/` stay the
//!   dashboard's.
//! - `GET /_mock/files/cls/{ExportId}/{FileName}?q-sign-…`: where `CosPath` points, the mock's
//!   stand-in for a presigned COS URL; errors there are COS's XML.
//!
//! Every answer is HTTP 200 in the `{"Response":{…,"RequestId"}}` envelope with a
//! `Content-Type` of exactly `application/json`; errors put `{"Error":{"Code","Message"}}` inside.
//! `RequestId` is the request's `X-Request-Id`, so body and header always agree. Error messages
//! are in the language `X-TC-Language` asks for (`zh-CN`; `en-US` otherwise, as the cloud does);
//! the codes are the same in both.
//!
//! Checks run in the order the API gateway's would: action, version, rate limit, body, declared
//! parameters, their types, required ones, their values, then the resources they name.

mod cos_link;
mod exports;
mod language;
mod log_file;

// The limiter is shared with the proxy; `exports` reaches it as `super::rate_limit`.
use crate::rate_limit;

pub use exports::{ClsExports, EXPORTS_PER_TOPIC_MAX, MOCK_UIN};
pub use language::Language;
pub use log_file::FILE_LINES_MAX;

use crate::client::ClientKey;
use crate::envelope::TencentError;
use crate::mock::state_file::StateError;
use crate::mock::visitors::Visitor;
use crate::request_id::RequestId;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use export_desk_model::tencent_cls::{
    action, code, CreateExportRequest, CreateExportResponse, DeleteExportRequest, DeleteExportResponse,
    DescribeExportsRequest, DescribeExportsResponse, DescribeTopicsRequest, DescribeTopicsResponse, Envelope,
    ExportStatus, ACTION_HEADER, COS_PATH_VALID_MS, VERSION, VERSION_HEADER,
};
use exports::{CreateRefused, Export};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Where `CosPath` links point.
pub const FILES_PATH: &str = "/_mock/files/cls";
/// Tencent's documented limit for a signed POST body.
pub const BODY_MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Clone)]
struct Cls {
    exports: Arc<ClsExports>,
    /// File sizes measured ahead of completion, one at a time, so a flood of creates cannot
    /// occupy every core.
    measuring: Arc<Semaphore>,
}

pub fn router(exports: Arc<ClsExports>) -> Router {
    let state = Cls { exports, measuring: Arc::new(Semaphore::new(1)) };
    Router::new()
        // POST only: the dashboard's router serves the other methods of `/`.
        .route("/", post(dispatch).layer(DefaultBodyLimit::max(BODY_MAX_BYTES)))
        .route(&format!("{FILES_PATH}/{{export_id}}/{{file}}"), get(download).fallback(cos_method_not_allowed))
        .with_state(state)
}

/// A refused call: a code from [`code`] and a message naming what to change.
#[derive(Debug)]
struct Refusal {
    code: &'static str,
    message: String,
}

impl Refusal {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    fn missing(parameter: &str, lang: Language) -> Self {
        Self::new(
            code::MISSING_PARAMETER,
            lang.say(
                || format!("The request is missing a required parameter `{parameter}`."),
                || format!("缺少必需参数 `{parameter}`。"),
            ),
        )
    }
}

async fn dispatch(
    State(cls): State<Cls>,
    request_id: Option<Extension<RequestId>>,
    visitor: Option<Extension<Visitor>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let request_id = request_id.map_or_else(|| RequestId::generate().0, |Extension(id)| id.0);
    let visitor = visitor.map(|Extension(Visitor(key))| key);
    let lang = Language::of(&headers);
    match answer(&cls, visitor, &headers, body, &request_id, lang).await {
        Ok(response) => response,
        Err(refusal) => {
            TencentError { code: refusal.code.to_owned(), message: refusal.message, request_id }.into_response()
        }
    }
}

async fn answer(
    cls: &Cls,
    visitor: Option<ClientKey>,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    request_id: &str,
    lang: Language,
) -> Result<Response, Refusal> {
    let action = identify_action(headers, lang)?;
    check_version(headers, lang)?;
    if let Err(per_second) = cls.exports.admit(visitor, action) {
        return Err(Refusal::new(
            code::REQUEST_LIMIT_EXCEEDED,
            lang.say(
                || format!("Your requests of `{action}` exceed the frequency limit of {per_second} per second. Please reduce the frequency of calls."),
                || format!("`{action}` 的请求次数超过了频率限制（每秒 {per_second} 次），请降低调用频率。"),
            ),
        ));
    }
    let body = body.map_err(|rejection| match rejection {
        BytesRejection::FailedToBufferBody(_) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let megabytes = BODY_MAX_BYTES / 1024 / 1024;
            Refusal::new(
                "RequestSizeLimitExceeded",
                lang.say(
                    || format!("The request body is larger than {megabytes} MB."),
                    || format!("请求包超过了 {megabytes} MB 的大小限制。"),
                ),
            )
        }
        other => Refusal::new(
            code::INVALID_PARAMETER,
            lang.say(|| format!("The request body could not be read: {other}"), || format!("无法读取请求包：{other}")),
        ),
    })?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    match action {
        action::CREATE_EXPORT => create_export(cls, &body, request_id, lang).await,
        action::DESCRIBE_EXPORTS => describe_exports(cls, &body, request_id, host, lang).await,
        action::DESCRIBE_TOPICS => describe_topics(&body, request_id, lang),
        _ => delete_export(cls, &body, request_id, lang),
    }
}

fn identify_action(headers: &HeaderMap, lang: Language) -> Result<&'static str, Refusal> {
    let Some(value) = headers.get(ACTION_HEADER).filter(|v| !v.is_empty()) else {
        return Err(Refusal::missing("Action", lang));
    };
    let named = String::from_utf8_lossy(value.as_bytes());
    action::ALL.into_iter().find(|known| *known == named).ok_or_else(|| {
        let emulated = action::ALL.join(", ");
        Refusal::new(
            code::INVALID_ACTION,
            lang.say(
                || format!("The action `{named}` is not valid for this version of service `cls` (the mock emulates {emulated})."),
                || format!("接口 `{named}` 不存在于 `cls` 服务的此版本中（模拟服务提供 {emulated}）。"),
            ),
        )
    })
}

fn check_version(headers: &HeaderMap, lang: Language) -> Result<(), Refusal> {
    let Some(value) = headers.get(VERSION_HEADER).filter(|v| !v.is_empty()) else {
        return Err(Refusal::missing("Version", lang));
    };
    if value.as_bytes() == VERSION.as_bytes() {
        Ok(())
    } else {
        let named = String::from_utf8_lossy(value.as_bytes());
        Err(Refusal::new(
            code::NO_SUCH_VERSION,
            lang.say(
                || format!("The API version `{named}` does not exist for service `cls`; use `{VERSION}`."),
                || format!("`cls` 服务不存在接口版本 `{named}`，请使用 `{VERSION}`。"),
            ),
        ))
    }
}

/// Reads the action's parameters: a JSON object (an empty body is none at all) declaring only
/// `declared` names, each of its documented JSON type. A wrong type names its parameter.
fn parameters<T: DeserializeOwned>(body: &[u8], declared: &[&str], action: &str, lang: Language) -> Result<T, Refusal> {
    let text = body.trim_ascii();
    let value: serde_json::Value = if text.is_empty() {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        serde_json::from_slice(text).map_err(|err| {
            Refusal::new(
                code::INVALID_PARAMETER,
                lang.say(
                    || format!("The request body is not valid JSON: {err}."),
                    || format!("请求包不是合法的 JSON：{err}。"),
                ),
            )
        })?
    };
    let serde_json::Value::Object(object) = value else {
        return Err(Refusal::new(
            code::INVALID_PARAMETER,
            lang.say(
                || "The request body must be a JSON object of parameters.".to_owned(),
                || "请求包须为参数组成的 JSON 对象。".to_owned(),
            ),
        ));
    };
    if let Some(unknown) = object.keys().find(|name| !declared.contains(&name.as_str())) {
        let takes = declared.join(", ");
        return Err(Refusal::new(
            code::UNKNOWN_PARAMETER,
            lang.say(
                || format!("The parameter `{unknown}` is not recognized by action `{action}` (it takes {takes})."),
                || format!("接口 `{action}` 不接受参数 `{unknown}`（可用参数：{takes}）。"),
            ),
        ));
    }
    serde_path_to_error::deserialize(serde_json::Value::Object(object)).map_err(|err| {
        let (path, why) = (err.path().to_string(), err.inner().to_string());
        Refusal::new(
            code::INVALID_PARAMETER,
            lang.say(
                || format!("The type of parameter `{path}` is invalid: {why}."),
                || format!("参数 `{path}` 的类型不正确：{why}。"),
            ),
        )
    })
}

/// The success answer, in the envelope, typed exactly `application/json` (no charset: the SDK
/// parses only that).
fn success<T: Serialize>(body: T) -> Response {
    let text = serde_json::to_string(&Envelope { response: body }).expect("answers serialize");
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// The rules a value broke, each as `Field: rule`, in the caller's language with fields by their
/// parameter names.
fn invalid_value(violations: &export_desk_model::validation::Violations, lang: Language) -> Refusal {
    Refusal::new(code::INVALID_PARAMETER_VALUE, violations.text(lang.words()))
}

fn topic_not_exist(topic_id: &str, lang: Language) -> Refusal {
    Refusal::new(
        code::TOPIC_NOT_EXIST,
        lang.say(|| format!("The topic `{topic_id}` does not exist."), || format!("日志主题 `{topic_id}` 不存在。")),
    )
}

async fn create_export(cls: &Cls, body: &[u8], request_id: &str, lang: Language) -> Result<Response, Refusal> {
    let request: CreateExportRequest = parameters(body, CreateExportRequest::PARAMETERS, action::CREATE_EXPORT, lang)?;
    if let Some(name) = request.missing_parameter() {
        return Err(Refusal::missing(name, lang));
    }
    let spec = request.validate().map_err(|v| invalid_value(&v, lang))?;
    let topic_id = spec.topic_id.clone();
    let export_id = cls.exports.create(spec).map_err(|error| not_saved(error, lang))?.map_err(|refused| match refused {
        CreateRefused::TopicNotExist => topic_not_exist(&topic_id, lang),
        CreateRefused::TopicClosed => Refusal::new(
            code::TOPIC_CLOSED,
            lang.say(
                || format!("The topic `{topic_id}` is closed: its log collection is switched off."),
                || format!("日志主题 `{topic_id}` 已关闭：日志采集已停用。"),
            ),
        ),
        CreateRefused::TooMany => Refusal::new(
            code::EXPORT_LIMIT_EXCEEDED,
            lang.say(
                || format!("The topic `{topic_id}` already has {EXPORTS_PER_TOPIC_MAX} export tasks; delete some first."),
                || format!("日志主题 `{topic_id}` 的导出任务已达 {EXPORTS_PER_TOPIC_MAX} 个上限，请先删除部分任务。"),
            ),
        ),
    })?;
    tracing::info!(%export_id, %topic_id, "created CLS export");
    if let Some(export) = cls.exports.get(&export_id).filter(Export::has_file) {
        measure_in_background(cls, export);
    }
    Ok(success(CreateExportResponse { export_id, request_id: request_id.to_owned() }))
}

/// Starts measuring the file now, so its size is usually known by the time the export completes
/// and a listing does not wait for it.
fn measure_in_background(cls: &Cls, export: Export) {
    let measuring = Arc::clone(&cls.measuring);
    tokio::spawn(async move {
        let Ok(_permit) = measuring.acquire_owned().await else { return };
        let _ = tokio::task::spawn_blocking(move || export.layout_blocking()).await;
    });
}

/// The file's sizes, measured on a blocking thread if not yet known.
async fn layout_of(export: &Export, lang: Language) -> Result<log_file::FileLayout, Refusal> {
    if let Some(layout) = export.known_layout() {
        return Ok(layout);
    }
    let export = export.clone();
    tokio::task::spawn_blocking(move || export.layout_blocking()).await.map_err(|err| {
        Refusal::new(
            code::INTERNAL_ERROR,
            lang.say(|| format!("Measuring the export file failed: {err}"), || format!("计算导出文件大小失败：{err}")),
        )
    })
}

async fn describe_exports(
    cls: &Cls,
    body: &[u8],
    request_id: &str,
    host: &str,
    lang: Language,
) -> Result<Response, Refusal> {
    let request: DescribeExportsRequest =
        parameters(body, DescribeExportsRequest::PARAMETERS, action::DESCRIBE_EXPORTS, lang)?;
    if let Some(name) = request.missing_parameter() {
        return Err(Refusal::missing(name, lang));
    }
    let page = request.validate().map_err(|v| invalid_value(&v, lang))?;
    let found = cls.exports.page(&page).ok_or_else(|| topic_not_exist(&page.topic_id, lang))?;
    let now = cls.exports.now_ms();
    let sized =
        found.exports.iter().filter(|e| matches!(e.status(now), ExportStatus::Completed | ExportStatus::Expired));
    for result in futures_util::future::join_all(sized.map(|export| layout_of(export, lang))).await {
        result?;
    }
    let base = cls.exports.link_base(&format!("http://{host}"));
    let key = cls.exports.link_key();
    let exports = found
        .exports
        .iter()
        .map(|export| {
            let link = (export.status(now) == ExportStatus::Completed).then(|| cos_path(&base, &key, export, now));
            export.to_wire(now, link)
        })
        .collect();
    Ok(success(DescribeExportsResponse { exports, total_count: found.total, request_id: request_id.to_owned() }))
}

/// The mock account's topics that pass the filters, a page of them. A filter that matches nothing
/// (an unknown `topicId` or `logsetId` included) gives an empty list, not `ResourceNotFound`: it
/// is a search, not a look-up.
fn describe_topics(body: &[u8], request_id: &str, lang: Language) -> Result<Response, Refusal> {
    let request: DescribeTopicsRequest =
        parameters(body, DescribeTopicsRequest::PARAMETERS, action::DESCRIBE_TOPICS, lang)?;
    if let Some(name) = request.missing_parameter() {
        return Err(Refusal::missing(&name, lang));
    }
    let query = request.validate().map_err(|v| invalid_value(&v, lang))?;
    let (topics, total_count) = query.page_of_mock_topics();
    Ok(success(DescribeTopicsResponse { topics, total_count, request_id: request_id.to_owned() }))
}

/// The change was made but could not be written to the state file, so it would not survive a
/// restart: the client is told it failed.
fn not_saved(error: StateError, lang: Language) -> Refusal {
    tracing::error!(%error, "could not record a CLS change");
    Refusal::new(
        code::INTERNAL_ERROR,
        lang.say(|| format!("The change could not be saved: {error}"), || format!("无法保存此次变更：{error}")),
    )
}

fn cos_path(base: &str, key: &cos_link::LinkKey, export: &Export, now: i64) -> String {
    let path = format!("{FILES_PATH}/{}/{}", export.id, export.file_name);
    let start_s = now.div_euclid(1000);
    let end_s = start_s + COS_PATH_VALID_MS / 1000;
    format!("{base}{path}?{}", cos_link::query(key, &path, start_s, end_s))
}

fn delete_export(cls: &Cls, body: &[u8], request_id: &str, lang: Language) -> Result<Response, Refusal> {
    let request: DeleteExportRequest = parameters(body, DeleteExportRequest::PARAMETERS, action::DELETE_EXPORT, lang)?;
    if let Some(name) = request.missing_parameter() {
        return Err(Refusal::missing(name, lang));
    }
    let export_id = request.validate().map_err(|v| invalid_value(&v, lang))?;
    if !cls.exports.delete(&export_id).map_err(|error| not_saved(error, lang))? {
        return Err(Refusal::new(
            code::EXPORT_NOT_EXIST,
            lang.say(
                || format!("The export `{export_id}` does not exist."),
                || format!("导出任务 `{export_id}` 不存在。"),
            ),
        ));
    }
    tracing::info!(%export_id, "deleted CLS export");
    Ok(success(DeleteExportResponse { request_id: request_id.to_owned() }))
}

// ---------------------------------------------------------------------------------------------
// Downloads: the mock's COS
// ---------------------------------------------------------------------------------------------

async fn download(
    State(cls): State<Cls>,
    Path((export_id, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    request_id: Option<Extension<RequestId>>,
) -> Response {
    let request_id = request_id.map_or_else(|| RequestId::generate().0, |Extension(id)| id.0);
    let path = format!("{FILES_PATH}/{export_id}/{file}");
    let now = cls.exports.now_ms();
    let cos_error = |status, code: &str, message: &str| cos_error(status, code, message, &path, &request_id);
    match cos_link::verify(&cls.exports.link_key(), &path, query.as_deref().unwrap_or_default(), now.div_euclid(1000)) {
        Ok(()) => {}
        Err(cos_link::Refused::BadSignature) => {
            return cos_error(
                StatusCode::FORBIDDEN,
                "SignatureDoesNotMatch",
                "The calculated signature does not match the one provided: use the CosPath DescribeExports gives.",
            )
        }
        Err(cos_link::Refused::Expired) => {
            return cos_error(
                StatusCode::FORBIDDEN,
                "AccessDenied",
                "Request has expired: a CosPath is valid for one hour; call DescribeExports for a new one.",
            )
        }
    }
    let Some(export) = cls
        .exports
        .get(&export_id)
        .filter(|export| export.status(now) == ExportStatus::Completed && export.file_name == file)
    else {
        return cos_error(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist: the export was deleted or its file expired.",
        );
    };
    let layout = match layout_of(&export, Language::EnUs).await {
        Ok(layout) => layout,
        Err(refusal) => return cos_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", &refusal.message),
    };
    let chunks = export.job().archive(layout.content_len).map(Ok::<_, std::convert::Infallible>);
    (
        [
            (header::CONTENT_TYPE, "application/gzip".to_owned()),
            (header::CONTENT_LENGTH, layout.file_size.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (header::HeaderName::from_static("x-cos-request-id"), request_id),
        ],
        Body::from_stream(futures_util::stream::iter(chunks)),
    )
        .into_response()
}

async fn cos_method_not_allowed(
    method: Method,
    uri: axum::http::Uri,
    request_id: Option<Extension<RequestId>>,
) -> Response {
    let request_id = request_id.map_or_else(|| RequestId::generate().0, |Extension(id)| id.0);
    let message = format!("The method {method} is not allowed on export files; use GET.");
    let mut response = cos_error(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", &message, uri.path(), &request_id);
    response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
    response
}

/// An error as COS answers one: XML.
fn cos_error(status: StatusCode, code: &str, message: &str, resource: &str, request_id: &str) -> Response {
    let escape = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let body = format!(
        "<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>{code}</Code>\n\t<Message>{}</Message>\n\t<Resource>{}</Resource>\n\t<RequestId>{request_id}</RequestId>\n</Error>\n",
        escape(message),
        escape(resource)
    );
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

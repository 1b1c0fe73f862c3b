//! The one place the dashboard talks HTTP: JSON in, JSON out, errors as [`ApiError`].

use super::ApiError;
use export_desk_model::huawei::REQUEST_ID_HEADER;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// `GET path` (path and query, same origin) and decode the JSON answer.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = send(Request::get(path)).await?;
    decode(response).await
}

/// `POST path` with a JSON body and decode the JSON answer.
pub async fn post_json<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let request = Request::post(path).json(body).map_err(|e| ApiError::Decode(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    decode(check(response).await?).await
}

async fn send(request: RequestBuilder) -> Result<Response, ApiError> {
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    check(response).await
}

async fn check(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let request_id = response.headers().get(REQUEST_ID_HEADER);
    let body = response.text().await.unwrap_or_default();
    Err(ApiError::from_response(status, &body, request_id))
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let text = response.text().await.map_err(|e| ApiError::Network(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()))
}

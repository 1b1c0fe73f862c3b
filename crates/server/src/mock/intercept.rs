//! The one middleware in front of the cloud API paths: it names the operation a call is for,
//! applies the fault rules for it, and records the call in the journal. Provider handlers know
//! nothing of it, so a new operation is observed and faultable as soon as it is in the
//! [`operations`] table.
//!
//! It runs inside the request-id middleware, so forced errors and journal entries carry the id the
//! client receives.
//!
//! It also bounds the memory of the calls being handled at once: a call's body is held whole while
//! its handler parses and validates it (about three copies of it at the peak), so before reading
//! one, a call waits until its body's bytes fit in [`InFlight`] (`--inflight-bytes`). Calls
//! without a body (lists, downloads) never wait.

use super::journal::{self, AppliedFault, Entry};
use super::operations;
use super::Mock;
use crate::request_id::RequestId;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use std::collections::BTreeMap;
use std::time::Instant;
use tokio::sync::{Semaphore, SemaphorePermit};

/// What a body of unknown length (chunked) is charged, and the most any body is: the largest legal
/// CDN create body (1,000 URLs of 4,096 four-byte characters), or the whole budget if that is smaller.
const UNKNOWN_LENGTH_CHARGE: u64 = 16 << 20;

/// The bytes of request bodies being handled at once, counted in KiB.
pub struct InFlight {
    kib: Semaphore,
    total_kib: u32,
}

impl InFlight {
    pub fn new(bytes: usize) -> Self {
        let total_kib = u32::try_from(bytes / 1024).unwrap_or(u32::MAX).clamp(1, Semaphore::MAX_PERMITS as u32);
        Self { kib: Semaphore::new(total_kib as usize), total_kib }
    }

    /// Waits until a body of `bytes` fits; a body larger than the whole budget waits for all of
    /// it. Nothing to wait for without a body.
    async fn admit(&self, bytes: u64) -> Option<SemaphorePermit<'_>> {
        if bytes == 0 {
            return None;
        }
        let kib = u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX).min(self.total_kib);
        // The semaphore is never closed, so this only fails if it were; then the call goes on.
        self.kib.acquire_many(kib).await.ok()
    }
}

/// The body's size as announced: its `Content-Length`, a charge for a chunked one, else none.
fn announced_body_bytes(headers: &HeaderMap) -> u64 {
    match headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok()) {
        // No legal body is larger (a longer one is refused by its handler): one call announcing
        // an absurd length must not hold the whole budget while its body never comes.
        Some(length) => length.min(UNKNOWN_LENGTH_CHARGE),
        None if headers.contains_key(header::TRANSFER_ENCODING) => UNKNOWN_LENGTH_CHARGE,
        None => 0,
    }
}

pub async fn cloud_calls(State(mock): State<Mock>, request: Request, next: Next) -> Response {
    if !operations::is_cloud_api(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let arrived = Instant::now();
    let _body_room = mock.inflight.admit(announced_body_bytes(request.headers())).await;
    let time_ms = mock.clock.now_ms();
    let operation = operations::identify(request.method(), request.uri().path(), request.headers());
    let (parts, body) = request.into_parts();
    let (head, body_truncated, body) = capture_head(body, journal::BODY_LIMIT).await;
    let request_id = parts.extensions.get::<RequestId>().map(|id| id.0.clone());

    let verdict = operation.and_then(|operation| mock.faults.judge(operation.name));
    if let Some(verdict) = &verdict {
        if !verdict.latency.is_zero() {
            tokio::time::sleep(verdict.latency).await;
        }
    }
    let forced = operation.zip(verdict.as_ref().and_then(|verdict| verdict.error.as_ref()));
    let fault = verdict.as_ref().map(|verdict| AppliedFault {
        latency_ms: u64::try_from(verdict.latency.as_millis()).unwrap_or(u64::MAX),
        error_code: verdict.error.as_ref().map(|error| error.code.clone()),
    });

    let (headers, headers_truncated) = header_map(&parts.headers);
    let entry = Entry {
        seq: 0,
        time_ms,
        request_id: request_id.clone(),
        operation: operation.map(|operation| operation.name),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        target_truncated: false,
        headers,
        headers_truncated,
        body: String::from_utf8_lossy(&head).into_owned(),
        body_truncated,
        status: 0,
        fault,
        elapsed_ms: 0,
    };
    let response = match forced {
        Some((operation, error)) => {
            operation.errors.error(error.status, &error.code, &error.message, request_id.as_deref().unwrap_or_default())
        }
        None => next.run(Request::from_parts(parts, body)).await,
    };
    mock.journal.record(Entry {
        status: response.status().as_u16(),
        elapsed_ms: u64::try_from(arrived.elapsed().as_millis()).unwrap_or(u64::MAX),
        ..entry
    });
    response
}

/// Reads the body's first `limit` bytes for the journal and hands back a body that still yields
/// every byte, so the handler sees the request unchanged and a large upload is never held whole.
async fn capture_head(body: Body, limit: usize) -> (Vec<u8>, bool, Body) {
    let mut stream = body.into_data_stream();
    let mut read = Vec::new();
    let mut head = Vec::new();
    let mut ended = false;
    // One byte past the limit tells a body of exactly `limit` bytes from a longer one.
    while head.len() <= limit {
        match stream.next().await {
            Some(Ok(chunk)) => {
                let wanted = (limit + 1 - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..wanted]);
                read.push(Ok::<Bytes, axum::Error>(chunk));
            }
            Some(Err(err)) => {
                // The handler gets the same error, as it would have without the journal.
                read.push(Err(err));
                ended = true;
                break;
            }
            None => {
                ended = true;
                break;
            }
        }
    }
    let truncated = head.len() > limit;
    head.truncate(limit);
    let rest = futures_util::stream::iter((!ended).then_some(stream)).flatten();
    (head, truncated, Body::from_stream(futures_util::stream::iter(read).chain(rest)))
}

/// The headers as the journal keeps them, and whether any was cut or left out: each value (a
/// repeated header's values joined first) at most [`journal::HEADER_VALUE_LIMIT`] bytes, names and
/// values together at most [`journal::HEADERS_LIMIT`], in name order, so a client sending
/// hundreds of kilobytes of headers costs the journal little.
fn header_map(headers: &HeaderMap) -> (BTreeMap<String, String>, bool) {
    let mut map = BTreeMap::<String, String>::new();
    let mut truncated = false;
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        let joined = map.entry(name.as_str().to_owned()).or_default();
        if joined.len() > journal::HEADER_VALUE_LIMIT {
            // Already past the limit: the rest would be cut anyway.
            truncated = true;
            continue;
        }
        if !joined.is_empty() {
            joined.push_str(", ");
        }
        joined.push_str(&value);
    }
    let mut total = 0;
    map.retain(|name, value| {
        truncated |= journal::cut(value, journal::HEADER_VALUE_LIMIT);
        total += name.len() + value.len();
        let kept = total <= journal::HEADERS_LIMIT;
        truncated |= !kept;
        kept
    });
    (map, truncated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;
    use futures_util::FutureExt;

    fn chunked(parts: &[&'static str]) -> Body {
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            parts.iter().map(|p| Ok(Bytes::from_static(p.as_bytes()))).collect();
        Body::from_stream(futures_util::stream::iter(chunks))
    }

    #[tokio::test]
    async fn a_short_body_is_kept_whole_and_passed_on() {
        let (head, truncated, body) = capture_head(chunked(&["ab", "cd"]), 10).await;
        assert_eq!((head.as_slice(), truncated), (&b"abcd"[..], false));
        assert_eq!(to_bytes(body, usize::MAX).await.unwrap(), "abcd");
    }

    #[tokio::test]
    async fn a_long_body_is_cut_for_the_journal_but_passed_on_whole() {
        let (head, truncated, body) = capture_head(chunked(&["abc", "def", "ghi", "jkl"]), 4).await;
        assert_eq!((head.as_slice(), truncated), (&b"abcd"[..], true));
        assert_eq!(to_bytes(body, usize::MAX).await.unwrap(), "abcdefghijkl");
        let (head, truncated, _) = capture_head(chunked(&["abcd"]), 4).await;
        assert_eq!((head.as_slice(), truncated), (&b"abcd"[..], false), "exactly the limit is not truncated");
    }

    #[tokio::test]
    async fn bodies_wait_until_they_fit_and_calls_without_one_never_do() {
        let inflight = InFlight::new(100 * 1024);
        let held = inflight.admit(60 * 1024).await;
        assert!(held.is_some());
        assert!(inflight.admit(0).await.is_none(), "no body, nothing to wait for");
        let waiting = inflight.admit(50 * 1024);
        tokio::pin!(waiting);
        assert!(waiting.as_mut().now_or_never().is_none(), "60 + 50 KiB do not fit in 100");
        drop(held);
        assert!(waiting.await.is_some(), "fits once the first is done");
        let huge = inflight.admit(u64::MAX).await;
        assert_eq!(huge.map(|permit| permit.num_permits()), Some(100), "larger than all of it: waits for all of it");
    }

    #[test]
    fn a_body_is_announced_by_its_length_or_charged_when_chunked() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_LENGTH, "1000000000000000000".parse().unwrap());
        assert_eq!(announced_body_bytes(&headers), UNKNOWN_LENGTH_CHARGE, "no more than the largest legal body");
        headers.remove(header::CONTENT_LENGTH);
        assert_eq!(announced_body_bytes(&headers), 0);
        headers.insert(header::TRANSFER_ENCODING, "chunked".parse().unwrap());
        assert_eq!(announced_body_bytes(&headers), UNKNOWN_LENGTH_CHARGE);
        headers.insert(header::CONTENT_LENGTH, "12345".parse().unwrap());
        assert_eq!(announced_body_bytes(&headers), 12345);
    }

    #[test]
    fn repeated_headers_are_joined() {
        let mut headers = HeaderMap::new();
        headers.append("x-a", "1".parse().unwrap());
        headers.append("x-a", "2".parse().unwrap());
        headers.append("Content-Type", "application/json".parse().unwrap());
        let (map, truncated) = header_map(&headers);
        assert_eq!(map["x-a"], "1, 2");
        assert_eq!(map["content-type"], "application/json");
        assert!(!truncated);
    }

    #[test]
    fn long_and_many_headers_are_cut_to_the_journals_limits() {
        let mut headers = HeaderMap::new();
        let long = "v".repeat(350 * 1024);
        headers.insert("cookie", long.parse().unwrap());
        for n in 0..60 {
            headers.insert(
                axum::http::HeaderName::try_from(format!("x-h{n:02}")).unwrap(),
                "w".repeat(900).parse().unwrap(),
            );
        }
        let (map, truncated) = header_map(&headers);
        assert!(truncated);
        assert_eq!(map["cookie"].len(), journal::HEADER_VALUE_LIMIT);
        let total: usize = map.iter().map(|(name, value)| name.len() + value.len()).sum();
        assert!(total <= journal::HEADERS_LIMIT, "{total}");
        assert!(map.contains_key("x-h00") && !map.contains_key("x-h59"), "the first in name order are kept");
    }
}

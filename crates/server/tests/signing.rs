//! The signing library against the official SDKs' own output, and its sign→verify properties.
//!
//! `fixtures/signing-vectors.json` holds 27 vectors produced by huaweicloudsdkcore 3.1.219 and
//! tencentcloud-sdk-python-common 3.1.195 with the clock frozen (a verbatim copy of the project's
//! reference file). Every vector must come out byte for byte: canonical request, string to sign,
//! signature, `Authorization`, and every header sent; and every request the SDKs sent must verify.
//! The property tests then sign random requests (unicode, encoded segments, odd queries, binary
//! bodies) and check that verification accepts them and refuses any tampered signed part.

use chrono::{DateTime, Utc};
use export_desk_server::sign::{huawei, tencent, SignableRequest, Signed, VerifyError};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;

const FIXTURE: &str = include_str!("fixtures/signing-vectors.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    #[allow(dead_code)]
    generated_by: String,
    #[allow(dead_code)]
    sdk_versions: Value,
    fixed: Fixed,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixed {
    huawei_x_sdk_date: String,
    tencent_timestamp: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    name: String,
    provider: String,
    #[allow(dead_code)]
    note: String,
    algorithm: String,
    inputs: Inputs,
    expected: Expected,
}

// Untagged enums buffer their input keeping object order, so the header order survives (a
// detour through `serde_json::Value` would sort it).
#[derive(Deserialize)]
#[serde(untagged)]
enum Inputs {
    Huawei(HuaweiInputs),
    Tencent(TencentInputs),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Expected {
    Huawei(HuaweiExpected),
    Tencent(TencentExpected),
}

impl Vector {
    fn huawei(&self) -> (&HuaweiInputs, &HuaweiExpected) {
        match (&self.inputs, &self.expected) {
            (Inputs::Huawei(inputs), Expected::Huawei(expected)) if self.provider == "huawei" => (inputs, expected),
            _ => panic!("[{}] is not a Huawei vector", self.name),
        }
    }

    fn tencent(&self) -> (&TencentInputs, &TencentExpected) {
        match (&self.inputs, &self.expected) {
            (Inputs::Tencent(inputs), Expected::Tencent(expected)) if self.provider == "tencent" => (inputs, expected),
            _ => panic!("[{}] is not a Tencent vector", self.name),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HuaweiInputs {
    method: String,
    scheme: String,
    host: String,
    resource_path: String,
    query_params: Vec<(String, Value)>,
    /// Absent for the end-to-end vectors (captured from a real client call): there the SDK's own
    /// headers are whatever it sent, less what the signer adds.
    headers_before_signing: Option<OrderedHeaders>,
    body: Option<String>,
    ak: String,
    sk: String,
    x_sdk_date: Option<String>,
    #[allow(dead_code)]
    credential_type: Option<String>,
    derived_auth_service_name: Option<String>,
    region_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HuaweiExpected {
    canonical_request: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
    request_uri_sent: String,
    url_sent: Option<String>,
    headers_sent: OrderedHeaders,
    derived_signing_key_hex: Option<String>,
    #[allow(dead_code)]
    derived_key_note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TencentInputs {
    secret_id: String,
    secret_key: String,
    token: Option<String>,
    timestamp: i64,
    service: String,
    region: String,
    version: String,
    action: String,
    http_method: String,
    host: String,
    path: String,
    #[allow(dead_code)]
    params: Option<Value>,
    language: Option<String>,
    unsigned_payload: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TencentExpected {
    payload_sent: String,
    query_sent: String,
    canonical_request: String,
    credential_scope: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
    headers_sent: OrderedHeaders,
}

/// A JSON object of headers, in document order (serde_json's `Map` would sort it).
#[derive(Debug, Clone)]
struct OrderedHeaders(Vec<(String, String)>);

impl<'de> Deserialize<'de> for OrderedHeaders {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = OrderedHeaders;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of header names to string values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedHeaders, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                Ok(OrderedHeaders(pairs))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

impl OrderedHeaders {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn without(&self, names: &[&str]) -> Vec<(String, String)> {
        self.0.iter().filter(|(n, _)| !names.iter().any(|x| n.eq_ignore_ascii_case(x))).cloned().collect()
    }
}

fn fixture() -> Fixture {
    serde_json::from_str(FIXTURE).expect("the signing vectors parse")
}

fn borrowed(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}

fn header_lines(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(n, v)| format!("{n}: {v}")).collect::<Vec<_>>().join("\n")
}

/// Records a readable difference: the vector, the field, the first differing line, then both whole.
fn compare(failures: &mut Vec<String>, vector: &str, field: &str, expected: &str, actual: &str) {
    if expected == actual {
        return;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.split('\n').collect(), actual.split('\n').collect());
    let line = e.iter().zip(&a).position(|(x, y)| x != y).unwrap_or(e.len().min(a.len()));
    failures.push(format!(
        "[{vector}] {field} differs at line {}:\n    expected: {:?}\n    actual:   {:?}\n  expected, whole: {expected:?}\n  actual, whole:   {actual:?}",
        line + 1,
        e.get(line).copied().unwrap_or("<no more lines>"),
        a.get(line).copied().unwrap_or("<no more lines>"),
    ));
}

fn compare_signed(
    failures: &mut Vec<String>,
    name: &str,
    signed: &Signed,
    canonical: &str,
    to_sign: &str,
    signature: &str,
    authorization: &str,
) {
    compare(failures, name, "canonical request", canonical, &signed.canonical_request);
    compare(failures, name, "string to sign", to_sign, &signed.string_to_sign);
    compare(failures, name, "signature", signature, &signed.signature);
    compare(failures, name, "Authorization", authorization, &signed.authorization);
}

/// A query as a careless client might send it: the SDK's parameters reversed (so unsorted),
/// every byte but letters and digits escaped in lower-case hex (even `~`, `-`, `.` and `_`).
fn scrambled_query(params: &[(String, Value)]) -> String {
    let python_str = |value: &Value| match value {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => panic!("unexpected query value {other}"),
    };
    let loose = |text: &str| {
        text.bytes()
            .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02x}") })
            .collect::<String>()
    };
    let mut parts = Vec::new();
    for (key, value) in params.iter().rev() {
        let values = match value {
            Value::Array(items) => items.iter().rev().map(python_str).collect(),
            single => vec![python_str(single)],
        };
        parts.extend(values.iter().map(|v| format!("{}={}", loose(key), loose(v))));
    }
    parts.join("&")
}

fn check_huawei(vector: &Vector, fixed: &Fixed, failures: &mut Vec<String>) {
    let name = vector.name.as_str();
    let (inputs, expected) = vector.huawei();

    let (sent_path, sent_query) = expected.request_uri_sent.split_once('?').unwrap_or((&expected.request_uri_sent, ""));
    compare(failures, name, "path sent (fixture consistency)", &inputs.resource_path, sent_path);
    if let Some(url) = &expected.url_sent {
        let rebuilt = format!("{}://{}{}", inputs.scheme, inputs.host, expected.request_uri_sent);
        compare(failures, name, "URL sent (fixture consistency)", url, &rebuilt);
    }
    let scrambled = scrambled_query(&inputs.query_params);
    compare(
        failures,
        name,
        "canonical_query(scrambled query) vs query the SDK sent",
        sent_query,
        &huawei::canonical_query(&scrambled),
    );

    let date = match (&inputs.headers_before_signing, &inputs.x_sdk_date) {
        (Some(headers), _) => headers.get("X-Sdk-Date").expect("every vector fixes X-Sdk-Date").to_owned(),
        (None, Some(date)) => date.clone(),
        (None, None) => panic!("[{name}] has no X-Sdk-Date"),
    };
    let at = huawei::parse_sdk_date(&date).unwrap_or_else(|| panic!("[{name}] X-Sdk-Date {date}"));
    if name != "hw_published_doc_example" {
        assert_eq!(date, fixed.huawei_x_sdk_date, "[{name}] uses the fixed date");
    }
    let headers_before = match &inputs.headers_before_signing {
        Some(headers) => headers.0.clone(),
        None => expected.headers_sent.without(&["Host", "Authorization"]),
    };
    let scheme = match vector.algorithm.as_str() {
        "SDK-HMAC-SHA256" => huawei::Scheme::Sdk,
        "V11-HMAC-SHA256" => huawei::Scheme::Derived {
            region_id: inputs.region_id.as_deref().expect("derived vectors name the region"),
            service: inputs.derived_auth_service_name.as_deref().expect("derived vectors name the service"),
        },
        other => panic!("[{name}] unknown algorithm {other}"),
    };
    if let (huawei::Scheme::Derived { region_id, service }, Some(key)) = (scheme, &expected.derived_signing_key_hex) {
        let info = format!("{}/{region_id}/{service}", &date[..8]);
        compare(
            failures,
            name,
            "derived signing key",
            key,
            &huawei::derived_signing_key(&inputs.ak, &inputs.sk, &info),
        );
    }

    let body = inputs.body.as_deref().unwrap_or("").as_bytes();
    let credentials = huawei::Credentials { access_key: &inputs.ak, secret_key: &inputs.sk };
    let pairs = borrowed(&headers_before);
    // Signed both from the query as the SDK sent it and as a careless client would: same result.
    for (label, query) in [("", sent_query), (" (scrambled query)", scrambled.as_str())] {
        let request = SignableRequest {
            method: &inputs.method,
            host: &inputs.host,
            path: &inputs.resource_path,
            query,
            headers: &pairs,
            body,
        };
        let signed = huawei::sign(&request, &credentials, scheme, at);
        let name = format!("{name}{label}");
        compare_signed(
            failures,
            &name,
            &signed,
            &expected.canonical_request,
            &expected.string_to_sign,
            &expected.signature,
            &expected.authorization,
        );
        compare(
            failures,
            &name,
            "headers sent (in order)",
            &header_lines(&expected.headers_sent.0),
            &header_lines(&signed.headers),
        );
    }
}

fn check_tencent(vector: &Vector, fixed: &Fixed, failures: &mut Vec<String>) {
    let name = vector.name.as_str();
    let (inputs, expected) = vector.tencent();
    assert_eq!(vector.algorithm, "TC3-HMAC-SHA256", "[{name}]");
    if name != "tc_published_doc_example" {
        assert_eq!(inputs.timestamp, fixed.tencent_timestamp, "[{name}] uses the fixed timestamp");
    }
    // What the call itself carries (fixture consistency: the vector's inputs are the headers sent).
    let sent = &expected.headers_sent;
    for (header, value) in [
        ("X-TC-Action", Some(&inputs.action)),
        ("X-TC-Version", Some(&inputs.version)),
        ("X-TC-Region", Some(&inputs.region)),
        ("X-TC-Language", inputs.language.as_ref()),
    ] {
        compare(
            failures,
            name,
            header,
            value.map_or("<absent>", |v| v.as_str()),
            sent.get(header).unwrap_or("<absent>"),
        );
    }
    compare(failures, name, "Host", &inputs.host, sent.get("Host").unwrap_or("<absent>"));

    // The headers of the call, less every header the signer owns; it must put them back exactly.
    let owned = ["Authorization", "Host", "X-TC-Timestamp", "X-TC-Token", "X-TC-Content-SHA256"];
    let call_headers = sent.without(&owned);
    let pairs = borrowed(&call_headers);
    let request = SignableRequest {
        method: &inputs.http_method,
        host: &inputs.host,
        path: &inputs.path,
        query: &expected.query_sent,
        headers: &pairs,
        body: expected.payload_sent.as_bytes(),
    };
    let credentials = tencent::Credentials {
        secret_id: &inputs.secret_id,
        secret_key: &inputs.secret_key,
        token: inputs.token.as_deref(),
    };
    let payload = if inputs.unsigned_payload { tencent::Payload::Unsigned } else { tencent::Payload::Signed };
    let at = DateTime::from_timestamp(inputs.timestamp, 0).expect("a valid timestamp");
    let signed = tencent::sign(&request, &credentials, &inputs.service, at, payload);

    compare_signed(
        failures,
        name,
        &signed,
        &expected.canonical_request,
        &expected.string_to_sign,
        &expected.signature,
        &expected.authorization,
    );
    let scope = format!("{}/{}/tc3_request", tencent::utc_date(at), inputs.service);
    compare(failures, name, "credential scope", &expected.credential_scope, &scope);
    // The SDK orders its headers by its own code path; order carries no meaning, so compare sorted.
    let sorted = |pairs: &[(String, String)]| {
        let mut pairs = pairs.to_vec();
        pairs.sort_by_key(|(n, _)| n.to_ascii_lowercase());
        header_lines(&pairs)
    };
    compare(failures, name, "headers sent (any order)", &sorted(&sent.0), &sorted(&signed.headers));
}

#[test]
fn there_are_exactly_27_vectors_with_unique_names() {
    let fixture = fixture();
    assert_eq!(fixture.vectors.len(), 27);
    let mut names: Vec<&str> = fixture.vectors.iter().map(|v| v.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 27, "vector names are unique");
    let count = |algorithm: &str| fixture.vectors.iter().filter(|v| v.algorithm == algorithm).count();
    assert_eq!((count("SDK-HMAC-SHA256"), count("V11-HMAC-SHA256"), count("TC3-HMAC-SHA256")), (17, 1, 9));
}

#[test]
fn the_fixture_is_the_reference_file_verbatim() {
    // Fixtures are facts: the copy in the repo must not drift from the one it was taken from. The
    // reference sits outside the repository, so this only runs where it is present.
    let reference =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/signing-vectors.json");
    if let Ok(original) = std::fs::read_to_string(&reference) {
        assert!(original == FIXTURE, "tests/fixtures/signing-vectors.json differs from {}", reference.display());
    }
}

#[test]
fn every_vector_signs_byte_for_byte() {
    let fixture = fixture();
    let mut failures = Vec::new();
    for vector in &fixture.vectors {
        match vector.provider.as_str() {
            "huawei" => check_huawei(vector, &fixture.fixed, &mut failures),
            "tencent" => check_tencent(vector, &fixture.fixed, &mut failures),
            other => panic!("[{}] unknown provider {other}", vector.name),
        }
    }
    assert!(failures.is_empty(), "{} difference(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn every_request_the_sdks_sent_verifies() {
    let fixture = fixture();
    let mut failures = Vec::new();
    for vector in &fixture.vectors {
        let name = &vector.name;
        let result = match vector.provider.as_str() {
            "huawei" => {
                let (inputs, expected) = vector.huawei();
                let (path, query) =
                    expected.request_uri_sent.split_once('?').unwrap_or((&expected.request_uri_sent, ""));
                let headers = borrowed(&expected.headers_sent.0);
                let request = SignableRequest {
                    method: &inputs.method,
                    host: expected.headers_sent.get("Host").unwrap(),
                    path,
                    query,
                    headers: &headers,
                    body: inputs.body.as_deref().unwrap_or("").as_bytes(),
                };
                let date = huawei::parse_sdk_date(expected.headers_sent.get("X-Sdk-Date").unwrap()).unwrap();
                huawei::verify(&request, date, |ak| (ak == inputs.ak).then_some(inputs.sk.as_str())).map(|ok| {
                    assert_eq!(ok.access_key, inputs.ak);
                    assert_eq!(ok.derived_scope.map(|s| s.region_id), inputs.region_id, "[{name}]");
                })
            }
            _ => {
                let (inputs, expected) = vector.tencent();
                let headers = borrowed(&expected.headers_sent.0);
                let request = SignableRequest {
                    method: &inputs.http_method,
                    host: expected.headers_sent.get("Host").unwrap(),
                    path: &inputs.path,
                    query: &expected.query_sent,
                    headers: &headers,
                    body: expected.payload_sent.as_bytes(),
                };
                let now = DateTime::from_timestamp(inputs.timestamp, 0).unwrap();
                tencent::verify(&request, &inputs.service, now, |id| {
                    (id == inputs.secret_id).then_some(inputs.secret_key.as_str())
                })
                .map(|ok| assert_eq!(ok.token, inputs.token, "[{name}]"))
            }
        };
        if let Err(error) = result {
            failures.push(format!("[{name}] {error:?}"));
        }
    }
    assert!(failures.is_empty(), "{} refused:\n{}", failures.len(), failures.join("\n"));
}

// ---- Properties -------------------------------------------------------------------------------

const ROUNDS: u64 = 400;
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];
/// Text pieces that trip encoders: reserved and unreserved ASCII, spaces, CJK, emoji, U+3000.
const PIECES: [&str; 24] = [
    "a", "Z", "0", "9", "-", "_", ".", "~", " ", "+", "/", "%", "=", "&", "?", "#", ":", "*", ";", ",", "é", "导出",
    "😀", "\u{3000}",
];
const AK: &str = "HWPROPERTYAK0000EXAM";
const SK: &str = "HWPROPERTYSK000000000000000000000EXAMPLE0";

fn text(rng: &mut ChaCha8Rng, max_pieces: usize) -> String {
    (0..rng.random_range(1..=max_pieces)).map(|_| PIECES[rng.random_range(0..PIECES.len())]).collect()
}

/// Percent-encodes every byte outside the unreserved set, in random hex case, and randomly some
/// unreserved ones too: all spellings a server must treat alike.
fn encode(rng: &mut ChaCha8Rng, text: &str) -> String {
    text.bytes()
        .map(|b| {
            let unreserved = b.is_ascii_alphanumeric() || b"-_.~".contains(&b);
            match (unreserved && rng.random_bool(0.8), rng.random_bool(0.5)) {
                (true, _) => char::from(b).to_string(),
                (false, true) => format!("%{b:02X}"),
                (false, false) => format!("%{b:02x}"),
            }
        })
        .collect()
}

/// Random text, percent-encoded by [`encode`].
fn encoded_text(rng: &mut ChaCha8Rng, max_pieces: usize) -> String {
    let text = text(rng, max_pieces);
    encode(rng, &text)
}

fn random_time(rng: &mut ChaCha8Rng) -> DateTime<Utc> {
    // 2000-01-01 .. 2099-12-31.
    DateTime::from_timestamp(rng.random_range(946_684_800..4_102_358_400), 0).unwrap()
}

fn random_body(rng: &mut ChaCha8Rng) -> Vec<u8> {
    match rng.random_range(0..3) {
        0 => Vec::new(),
        1 => format!("{{\"name\": \"{}\"}}", text(rng, 6)).into_bytes(),
        _ => (0..rng.random_range(1..80)).map(|_| rng.random()).collect(),
    }
}

/// Replaces one ASCII letter or digit (outside any `%XX` escape) by a different one: a single-byte
/// change that no canonicalisation can undo.
fn tamper_alphanumeric(rng: &mut ChaCha8Rng, value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut in_escape = vec![false; bytes.len()];
    for i in 0..bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            in_escape[i + 1] = true;
            in_escape[i + 2] = true;
        }
    }
    let candidates: Vec<usize> =
        (0..bytes.len()).filter(|&i| bytes[i].is_ascii_alphanumeric() && !in_escape[i]).collect();
    if candidates.is_empty() {
        return None;
    }
    let at = candidates[rng.random_range(0..candidates.len())];
    let replacement = loop {
        let c = b"abqXYZ0357"[rng.random_range(0..10)];
        if c != bytes[at] {
            break c;
        }
    };
    let mut tampered = bytes.to_vec();
    tampered[at] = replacement;
    Some(String::from_utf8(tampered).expect("an ASCII byte replaced by an ASCII byte"))
}

/// A request as received: the parts that can be tampered with, owned.
#[derive(Clone, Debug)]
struct Received {
    method: String,
    host: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn view<R>(&self, f: impl FnOnce(&SignableRequest<'_>) -> R) -> R {
        let headers = borrowed(&self.headers);
        f(&SignableRequest {
            method: &self.method,
            host: &self.host,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        })
    }

    fn header_mut(&mut self, name: &str) -> &mut String {
        &mut self.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)).expect(name).1
    }
}

/// Every way to change one signed part of `base` by one byte; the label says which.
fn tampered_copies(
    rng: &mut ChaCha8Rng,
    base: &Received,
    signed_headers: &[String],
    date_header: &str,
    body_signed: bool,
) -> Vec<(String, Received, bool)> {
    let mut copies = Vec::new();
    let mut copy = base.clone();
    if copy.body.is_empty() {
        copy.body.push(b'x');
        copies.push(("byte added to an empty body".into(), copy, true));
    } else {
        let at = rng.random_range(0..copy.body.len());
        copy.body[at] ^= rng.random_range(1..=255u8);
        copies.push((format!("body byte {at} changed"), copy, body_signed));
    }
    if let Some(path) = tamper_alphanumeric(rng, &base.path) {
        copies.push((format!("path {path:?}"), Received { path, ..base.clone() }, true));
    }
    if let Some(query) = tamper_alphanumeric(rng, &base.query) {
        copies.push((format!("query {query:?}"), Received { query, ..base.clone() }, true));
    }
    let other = METHODS.iter().find(|m| !m.eq_ignore_ascii_case(&base.method)).unwrap();
    copies.push((format!("method {other}"), Received { method: (*other).into(), ..base.clone() }, true));
    for name in signed_headers {
        let mut copy = base.clone();
        let changed = if name == "host" {
            tamper_alphanumeric(rng, &base.host).map(|host| copy.host = host)
        } else {
            let value = copy.header_mut(name);
            tamper_alphanumeric(rng, value).map(|tampered| *value = tampered)
        };
        if changed.is_some() {
            copies.push((format!("signed header {name}"), copy, true));
        }
    }
    // The date: one digit changed (it may become invalid, far off, or just different).
    let mut copy = base.clone();
    let date = copy.header_mut(date_header);
    let digits: Vec<usize> = date.bytes().enumerate().filter(|(_, b)| b.is_ascii_digit()).map(|(i, _)| i).collect();
    let at = digits[rng.random_range(0..digits.len())];
    let mut bytes = date.clone().into_bytes();
    bytes[at] = b'0' + (bytes[at] - b'0' + rng.random_range(1..10)) % 10;
    *date = String::from_utf8(bytes).unwrap();
    copies.push((format!("{date_header} {date}"), copy, true));
    copies
}

#[test]
fn huawei_sign_then_verify_round_trips_and_catches_every_tamper() {
    for seed in 0..ROUNDS {
        let rng = &mut ChaCha8Rng::seed_from_u64(seed);
        let method = METHODS[rng.random_range(0..METHODS.len())];
        let segments: Vec<String> = (0..rng.random_range(0..4)).map(|_| text(rng, 4)).collect();
        let mut path = format!("/v5/iot/{}", segments.iter().map(|s| encode(rng, s)).collect::<Vec<_>>().join("/"));
        if rng.random_bool(0.2) {
            path.push('/');
        }
        let query = (0..rng.random_range(0..5))
            .map(|_| {
                let key = encoded_text(rng, 3);
                match rng.random_range(0..4) {
                    0 => key,
                    _ => format!("{key}={}", encoded_text(rng, 5)),
                }
            })
            .collect::<Vec<_>>()
            .join("&");
        let content_type =
            ["application/json", "application/json;charset=utf-8", "text/plain", "application/octet-stream"]
                [rng.random_range(0..4)];
        let custom = format!(" {} ", text(rng, 4));
        let underscore = text(rng, 3);
        let agent = format!("huaweicloud-usdk-python/3.0; {}", text(rng, 3).replace(|c: char| !c.is_ascii(), "x"));
        let headers = [
            ("Content-Type", content_type),
            ("User-Agent", agent.as_str()),
            ("X-Project-Id", "0970d7b7f400f2602f25c003bb2b2b38"),
            ("X-Custom", custom.as_str()),
            ("X_Not_Signed", underscore.as_str()),
        ];
        let body = random_body(rng);
        let host = ["iotda.cn-north-4.myhuaweicloud.com", "127.0.0.1:8787"][rng.random_range(0..2)];
        let at = random_time(rng);
        let scheme = if rng.random_bool(0.5) {
            huawei::Scheme::Sdk
        } else {
            huawei::Scheme::Derived { region_id: "cn-north-4", service: huawei::IOTDA_DERIVED_SERVICE }
        };
        let request = SignableRequest { method, host, path: &path, query: &query, headers: &headers, body: &body };
        let signed = huawei::sign(&request, &huawei::Credentials { access_key: AK, secret_key: SK }, scheme, at);

        // What the server receives: the signed headers plus those the HTTP client adds unsigned,
        // and either the query as given or its canonical form (as the SDK sends it).
        let mut received_headers = signed.headers.clone();
        received_headers.push(("Accept".into(), "*/*".into()));
        received_headers.push(("Content-Length".into(), body.len().to_string()));
        let base = Received {
            method: method.into(),
            host: host.into(),
            path: path.clone(),
            query: if rng.random_bool(0.5) { query.clone() } else { huawei::canonical_query(&query) },
            headers: received_headers,
            body: body.clone(),
        };
        let now = at
            + chrono::Duration::seconds(
                rng.random_range(-huawei::MAX_CLOCK_SKEW_SECONDS..=huawei::MAX_CLOCK_SKEW_SECONDS),
            );
        let known = |ak: &str| (ak == AK).then_some(SK);
        let context = format!("seed {seed}: {base:?}\ncanonical request: {:?}", signed.canonical_request);
        let verified = base.view(|r| huawei::verify(r, now, known)).unwrap_or_else(|e| panic!("{context}\n{e:?}"));
        assert_eq!(verified.signed_at, at, "{context}");

        let body_signed = signed.header(huawei::CONTENT_SHA256_HEADER).is_none();
        for (what, copy, must_fail) in
            tampered_copies(rng, &base, &verified.signed_headers, huawei::DATE_HEADER, body_signed)
        {
            let result = copy.view(|r| huawei::verify(r, now, known));
            assert_eq!(result.is_err(), must_fail, "{context}\ntampered {what}: {result:?}");
        }

        // Unsigned headers may change freely: added ones, and names with `_`.
        let mut copy = base.clone();
        copy.headers.push(("X-Forwarded-For".into(), "10.0.0.1".into()));
        *copy.header_mut("Accept") = "application/xml".into();
        *copy.header_mut("X_Not_Signed") = "changed".into();
        assert!(copy.view(|r| huawei::verify(r, now, known)).is_ok(), "{context}");

        // The wrong SK, an unknown AK, a clock too far off.
        assert!(
            matches!(
                base.view(|r| huawei::verify(r, now, |_| Some("other"))),
                Err(VerifyError::SignatureMismatch { .. })
            ),
            "{context}"
        );
        assert!(
            matches!(base.view(|r| huawei::verify(r, now, |_| None::<&str>)), Err(VerifyError::UnknownAccessKey(_))),
            "{context}"
        );
        let off = at + chrono::Duration::seconds(huawei::MAX_CLOCK_SKEW_SECONDS + rng.random_range(1..100_000));
        assert!(matches!(base.view(|r| huawei::verify(r, off, known)), Err(VerifyError::Expired { .. })), "{context}");
    }
}

#[test]
fn tencent_sign_then_verify_round_trips_and_catches_every_tamper() {
    const ID: &str = "AKIDPROPERTY0000000000000000000000000";
    const KEY: &str = "TCPROPERTYSECRETKEY0000000000000";
    for seed in 0..ROUNDS {
        let rng = &mut ChaCha8Rng::seed_from_u64(seed);
        let get = rng.random_bool(0.3);
        let method = if get { "GET" } else { "POST" };
        // The SDK posts to `/`; other paths must be signed verbatim all the same.
        let path = if rng.random_bool(0.7) { "/".to_owned() } else { format!("/{}", encoded_text(rng, 4)) };
        let query = if get {
            (0..rng.random_range(1..4))
                .map(|_| format!("{}={}", encoded_text(rng, 3), encoded_text(rng, 4).replace("%20", "+")))
                .collect::<Vec<_>>()
                .join("&")
        } else {
            String::new()
        };
        let body = if get { Vec::new() } else { random_body(rng) };
        let content_type = if get {
            "application/x-www-form-urlencoded"
        } else {
            ["application/json", "application/json; charset=utf-8"][rng.random_range(0..2)]
        };
        let trace = format!("{:032x}", rng.random::<u128>());
        let headers = [
            ("X-TC-TraceId", trace.as_str()),
            ("Content-Type", content_type),
            ("X-TC-Action", "DescribeExports"),
            ("X-TC-RequestClient", "SDK_PYTHON_3.1.195"),
            ("X-TC-Version", "2020-10-16"),
            ("X-TC-Region", "ap-guangzhou"),
            ("X-TC-Language", "zh-CN"),
        ];
        let host = ["cls.tencentcloudapi.com", "127.0.0.1:8787"][rng.random_range(0..2)];
        let token = rng.random_bool(0.3).then_some("session-token");
        let payload = if rng.random_bool(0.3) { tencent::Payload::Unsigned } else { tencent::Payload::Signed };
        let at = random_time(rng);
        let request = SignableRequest { method, host, path: &path, query: &query, headers: &headers, body: &body };
        let credentials = tencent::Credentials { secret_id: ID, secret_key: KEY, token };
        let signed = tencent::sign(&request, &credentials, tencent::CLS_SERVICE, at, payload);

        let mut received_headers = signed.headers.clone();
        received_headers.push(("Accept-Encoding".into(), "gzip, deflate".into()));
        let base = Received { method: method.into(), host: host.into(), path, query, headers: received_headers, body };
        let now = at
            + chrono::Duration::seconds(
                rng.random_range(-tencent::MAX_CLOCK_SKEW_SECONDS..=tencent::MAX_CLOCK_SKEW_SECONDS),
            );
        let known = |id: &str| (id == ID).then_some(KEY);
        let context = format!("seed {seed}: {base:?}\ncanonical request: {:?}", signed.canonical_request);
        let verified = base
            .view(|r| tencent::verify(r, tencent::CLS_SERVICE, now, known))
            .unwrap_or_else(|e| panic!("{context}\n{e:?}"));
        assert_eq!(
            (verified.secret_id.as_str(), verified.token.as_deref(), verified.signed_at),
            (ID, token, at),
            "{context}"
        );

        // A GET's body is not part of its signature (the SDK hashes an empty payload), nor is an
        // unsigned payload: changing or adding body bytes must pass there, and fail everywhere else.
        let body_signed = payload == tencent::Payload::Signed && !get;
        let signed_headers = ["content-type".to_owned(), "host".to_owned()];
        for (what, copy, must_fail) in
            tampered_copies(rng, &base, &signed_headers, tencent::TIMESTAMP_HEADER, body_signed)
        {
            let must_fail = must_fail && (body_signed || !what.starts_with("byte added"));
            let result = copy.view(|r| tencent::verify(r, tencent::CLS_SERVICE, now, known));
            assert_eq!(result.is_err(), must_fail, "{context}\ntampered {what}: {result:?}");
        }

        // Only content-type and host are signed: the action, the token and the rest may change.
        let mut copy = base.clone();
        *copy.header_mut("X-TC-Action") = "DeleteExport".into();
        *copy.header_mut("X-TC-Region") = "ap-shanghai".into();
        copy.headers.push(("X-TC-Token".into(), "another".into()));
        assert!(copy.view(|r| tencent::verify(r, tencent::CLS_SERVICE, now, known)).is_ok(), "{context}");

        assert!(matches!(
            base.view(|r| tencent::verify(r, tencent::CLS_SERVICE, now, |_| Some("other"))),
            Err(VerifyError::SignatureMismatch { .. })
        ));
        assert!(matches!(
            base.view(|r| tencent::verify(r, tencent::CLS_SERVICE, now, |_| None::<&str>)),
            Err(VerifyError::UnknownAccessKey(_))
        ));
        let off = at - chrono::Duration::seconds(tencent::MAX_CLOCK_SKEW_SECONDS + rng.random_range(1..100_000));
        assert!(matches!(
            base.view(|r| tencent::verify(r, tencent::CLS_SERVICE, off, known)),
            Err(VerifyError::Expired { .. })
        ));
    }
}

#[test]
fn huawei_canonical_query_is_order_and_spelling_independent() {
    for seed in 0..ROUNDS {
        let rng = &mut ChaCha8Rng::seed_from_u64(seed);
        let pairs: Vec<(String, String)> = (0..rng.random_range(1..6)).map(|_| (text(rng, 3), text(rng, 4))).collect();
        let spell = |rng: &mut ChaCha8Rng, pairs: &[(String, String)]| {
            pairs.iter().map(|(k, v)| format!("{}={}", encode(rng, k), encode(rng, v))).collect::<Vec<_>>().join("&")
        };
        let first = spell(rng, &pairs);
        let mut shuffled = pairs.clone();
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.random_range(0..=i));
        }
        let second = spell(rng, &shuffled);
        let canonical = huawei::canonical_query(&first);
        assert_eq!(canonical, huawei::canonical_query(&second), "seed {seed}: {first} vs {second}");
        assert_eq!(huawei::canonical_query(&canonical), canonical, "seed {seed}: idempotent");
        // Only unreserved characters and upper-case escapes survive, and pairs are sorted.
        assert!(canonical.split('&').all(|pair| pair.contains('=')), "seed {seed}: {canonical}");
        assert!(
            canonical.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%=&".contains(&b)),
            "seed {seed}: {canonical}"
        );
    }
}

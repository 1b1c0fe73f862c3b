//! What every Huawei Cloud API shares: the error body and the request-id header.

use serde::{Deserialize, Serialize};

/// The response header carrying the id support asks for. The SDK reads it in either case.
pub const REQUEST_ID_HEADER: &str = "X-Request-Id";

/// The error fields, as CDN nests them and IoTDA sends them flat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error_code: String,
    pub error_msg: String,
}

/// CDN's error envelope: `{"error":{"error_code":"CDN.0001","error_msg":"…"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NestedError {
    pub error: ErrorBody,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, msg: impl Into<String>) -> Self {
        Self { error_code: code.into(), error_msg: msg.into() }
    }

    /// Reads an error body the way the official SDK does: the flat `error_code`/`error_msg`, then
    /// `errorCode`/`errorMsg`, then `code`/`message`, then the same one level down (CDN's
    /// `{"error":{…}}`). `None` when the body is no such thing (an HTML gateway page, say).
    pub fn parse(body: &str) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_str(body).ok()?;
        let object = value.as_object()?;
        Self::from_object(object).or_else(|| object.values().filter_map(|v| v.as_object()).find_map(Self::from_object))
    }

    fn from_object(object: &serde_json::Map<String, serde_json::Value>) -> Option<Self> {
        const SHAPES: [(&str, &str); 3] = [("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message")];
        SHAPES.iter().find_map(|(code, msg)| {
            let code = object.get(*code)?;
            let code = code.as_str().map(str::to_owned).unwrap_or_else(|| code.to_string());
            let msg = object.get(*msg).and_then(|m| m.as_str()).unwrap_or_default();
            Some(Self::new(code, msg))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_shape_the_sdk_accepts() {
        let nested = r#"{"error":{"error_code":"CDN.0001","error_msg":"bad"}}"#;
        assert_eq!(ErrorBody::parse(nested), Some(ErrorBody::new("CDN.0001", "bad")));
        let flat = r#"{"error_code":"IOTDA.000006","error_msg":"Invalid input data."}"#;
        assert_eq!(ErrorBody::parse(flat), Some(ErrorBody::new("IOTDA.000006", "Invalid input data.")));
        let camel = r#"{"errorCode":"APIGW.0101","errorMsg":"no api"}"#;
        assert_eq!(ErrorBody::parse(camel), Some(ErrorBody::new("APIGW.0101", "no api")));
        let numeric = r#"{"code":401,"message":"denied"}"#;
        assert_eq!(ErrorBody::parse(numeric), Some(ErrorBody::new("401", "denied")));
    }

    #[test]
    fn rejects_bodies_that_are_not_errors() {
        assert_eq!(ErrorBody::parse("<html>502</html>"), None);
        assert_eq!(ErrorBody::parse(r#"{"total":0,"data":[]}"#), None);
    }
}

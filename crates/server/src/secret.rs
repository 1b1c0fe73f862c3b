//! Secrets the server holds (signing keys, access and admin tokens): a [`SecretKey`] keeps its
//! value out of `Debug` output, so logging the options or a configuration can never leak it.

/// A secret key from the command line or the environment: its `Debug` output hides the value, so
/// logging the options can never leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    /// The key itself, for signing or verifying; never for output.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretKey {
    fn from(key: String) -> Self {
        Self(key)
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_value() {
        let key = SecretKey::from("sk-value".to_owned());
        assert_eq!(format!("{key:?}"), "SecretKey(<hidden>)");
        assert_eq!(key.expose(), "sk-value");
    }
}

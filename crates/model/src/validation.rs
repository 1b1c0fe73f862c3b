//! What a failed rule reports: which field, and why, in words a user can act on.

use std::fmt;

/// One broken rule. `field` is the wire name of the field (or of the first of several fields a
/// cross-field rule involves), so a form can show the message next to the right control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: &'static str,
    pub message: String,
}

impl Violation {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Every rule a request broke, in field order. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    pub fn push(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(Violation::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first message about `field`, for showing beside that field's control.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|v| v.field == field).map(|v| v.message.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.0.iter()
    }

    /// What the model's rules said about a request, joined to what a form found while building
    /// it (a time it could not read, a count that is not a number): `Ok` only when neither found
    /// anything. A rule about a field that already has a message is left out, as the form's own
    /// message is the more precise one (the rule only saw the value missing).
    pub fn merge_rules<T>(mut self, rules: Result<T, Violations>) -> Result<T, Violations> {
        match rules {
            Ok(checked) => self.into_result(checked),
            Err(rules) => {
                for rule in rules.0 {
                    if self.for_field(rule.field).is_none() {
                        self.0.push(rule);
                    }
                }
                Err(self)
            }
        }
    }

    /// `Ok(value)` when nothing was broken, so a validator can end with `violations.into_result(x)`.
    pub fn into_result<T>(self, value: T) -> Result<T, Violations> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_rules_keep_the_forms_own_message_and_add_the_others() {
        let mut form = Violations::default();
        form.push("start_time", "is not a valid date and time");
        let mut rules = Violations::default();
        rules.push("start_time", "is required");
        rules.push("domain_name", "is required");
        let merged = form.merge_rules::<()>(Err(rules)).unwrap_err();
        assert_eq!(merged.for_field("start_time"), Some("is not a valid date and time"));
        assert_eq!(merged.for_field("domain_name"), Some("is required"));
        assert_eq!(merged.iter().count(), 2);
    }

    #[test]
    fn rules_that_pass_give_their_value_only_when_the_form_found_nothing_either() {
        assert_eq!(Violations::default().merge_rules(Ok(7)), Ok(7));
        let mut form = Violations::default();
        form.push("Count", "must be a whole number");
        assert_eq!(form.clone().merge_rules(Ok(7)), Err(form));
    }
}

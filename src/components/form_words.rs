//! A form's messages in the form's own words. The model's rules name fields by their wire names
//! (`start_time`, `task_id`), which is right for the API and means nothing beside a date picker
//! labelled "From". A form declares the visible label of each field its messages may name; its
//! problems ([`LabelledViolations`]) then say "must be after From" under "To", and the request
//! preview lists "To: must be after From". The rules' texts stay in one place, the model; only
//! the names change here.

use super::form_check::FormProblems;
use export_desk_model::validation::{Violation, Violations};

/// Wire name → visible label, for every field a form's messages may name.
pub type FieldLabels = &'static [(&'static str, &'static str)];

/// What keeps a draft from being sent, each message naming fields by their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledViolations {
    violations: Violations,
    labels: FieldLabels,
}

impl LabelledViolations {
    /// `violations` with every field name in their messages replaced by its label, and the name
    /// of the field a message sits under left out ("task_id must be …" under "Batch task id"
    /// reads "must be …").
    pub fn new(violations: Violations, labels: FieldLabels) -> Self {
        let violations = Violations(
            violations
                .0
                .into_iter()
                .map(|Violation { field, message }| Violation { field, message: in_labels(&message, labels) })
                .collect(),
        );
        Self { violations, labels }
    }

    /// The first message about `field` (its wire name).
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.violations.for_field(field)
    }

    /// The label of `field`, or its wire name when the form declares none.
    fn label(&self, field: &'static str) -> &'static str {
        label_of(self.labels, field).unwrap_or(field)
    }
}

impl FormProblems for LabelledViolations {
    fn violations(&self) -> Violations {
        self.violations.clone()
    }

    fn lines(&self) -> Vec<String> {
        self.violations.iter().map(|v| format!("{}: {}", self.label(v.field), v.message)).collect()
    }
}

fn label_of(labels: FieldLabels, field: &str) -> Option<&'static str> {
    labels.iter().find(|(wire, _)| *wire == field).map(|(_, label)| *label)
}

/// `message` with each whole word that is a wire name in `labels` replaced by its label. A
/// message that opens with a field's name (the rule speaks of a part of its field, as IoTDA's
/// "task_id must be …") loses it: it sits under that field already.
pub fn in_labels(message: &str, labels: FieldLabels) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let word_at = |text: &str| text.find(|c| !is_word(c)).unwrap_or(text.len());
    let mut rest = message;
    let opening = word_at(rest);
    if label_of(labels, &rest[..opening]).is_some() {
        rest = rest[opening..].trim_start();
    }
    let mut out = String::with_capacity(message.len());
    while let Some(c) = rest.chars().next() {
        let length = word_at(rest);
        if length == 0 {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        } else {
            let word = &rest[..length];
            out.push_str(label_of(labels, word).unwrap_or(word));
            rest = &rest[length..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABELS: FieldLabels = &[("start_time", "From"), ("end_time", "To"), ("task_id", "Batch task id")];

    #[test]
    fn wire_names_become_labels_and_an_opening_one_goes() {
        assert_eq!(in_labels("must be after start_time", LABELS), "must be after From");
        assert_eq!(
            in_labels("must be at most 366 days after start_time", LABELS),
            "must be at most 366 days after From"
        );
        assert_eq!(in_labels("task_id must be 1 to 24 characters", LABELS), "must be 1 to 24 characters");
        assert_eq!(in_labels("`start_times` and end_time_x stay", LABELS), "`start_times` and end_time_x stay");
        assert_eq!(in_labels("is required", LABELS), "is required");
    }

    #[test]
    fn the_preview_names_fields_by_label_and_the_marks_stay_on_the_wire_names() {
        let mut violations = Violations::default();
        violations.push("end_time", "must be after start_time");
        violations.push("province", "is only allowed when country is `cn`");
        let labelled = LabelledViolations::new(violations, LABELS);
        assert_eq!(labelled.for_field("end_time"), Some("must be after From"));
        assert_eq!(
            labelled.lines(),
            ["To: must be after From".to_owned(), "province: is only allowed when country is `cn`".to_owned()]
        );
    }
}

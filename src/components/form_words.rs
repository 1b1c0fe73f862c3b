//! A form's messages in the form's own words. The model's rules are codes that name fields by
//! their wire names (`start_time`, `task_id`), which is right for the API and means nothing beside
//! a date picker labelled "From". A form declares the visible label of each field its messages may
//! name, in the reader's language; its problems ([`LabelledViolations`]) then say "must be after
//! From" (or "必须晚于开始时间") under "To", and the request preview lists "To: must be after
//! From". The rules' sentences stay in one place, the model (`validation::words`).

use super::form_check::{FieldMessages, FormProblems};
use crate::i18n::Catalogue;
use export_desk_model::validation::{Naming, Violations};

/// Wire name → visible label, for every field a form's messages may name.
pub type FieldLabels = &'static [(&'static str, &'static str)];

/// What keeps a draft from being sent, each message in the reader's language and naming fields by
/// their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledViolations {
    violations: Violations,
    messages: FieldMessages,
    lines: Vec<String>,
}

impl LabelledViolations {
    /// `violations` said in `t`'s language, every field they name by its label in `labels`. A
    /// message sits under its field, so a rule about a part of the field does not name the part
    /// ("task_id must be …" under "Batch task id" reads "must be …").
    pub fn new(violations: Violations, labels: FieldLabels, t: &'static Catalogue) -> Self {
        let words = t.rules.words;
        let label = |field: &'static str| label_of(labels, field).unwrap_or(field);
        let naming = Naming { field: &label, beside_field: true };
        let messages = FieldMessages(violations.iter().map(|v| (v.field, v.rule.text(words, &naming))).collect());
        let lines =
            messages.0.iter().map(|(field, message)| format!("{}{}{message}", label(field), words.colon)).collect();
        Self { violations, messages, lines }
    }

    /// The first message about `field` (its wire name).
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.messages.for_field(field)
    }

    /// The rules broken, as codes.
    pub fn rules(&self) -> &Violations {
        &self.violations
    }
}

impl FormProblems for LabelledViolations {
    fn violations(&self) -> FieldMessages {
        self.messages.clone()
    }

    fn lines(&self) -> Vec<String> {
        self.lines.clone()
    }
}

fn label_of(labels: FieldLabels, field: &str) -> Option<&'static str> {
    labels.iter().find(|(wire, _)| *wire == field).map(|(_, label)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ZH_CN};
    use export_desk_model::validation::Rule;

    const LABELS: FieldLabels = &[("start_time", "From"), ("end_time", "To"), ("resource_condition", "Batch task id")];
    const ZH_LABELS: FieldLabels = &[("start_time", "开始时间"), ("end_time", "结束时间")];

    fn violations() -> Violations {
        let mut violations = Violations::default();
        violations.push("end_time", Rule::MustBeAfter { other: "start_time" });
        violations.push("province", Rule::OnlyWhen { other: "country", value: "cn" });
        violations
    }

    #[test]
    fn the_preview_names_fields_by_label_and_the_marks_stay_on_the_wire_names() {
        let labelled = LabelledViolations::new(violations(), LABELS, &EN);
        assert_eq!(labelled.for_field("end_time"), Some("must be after From"));
        assert_eq!(
            labelled.lines(),
            ["To: must be after From".to_owned(), "province: is only allowed when country is `cn`".to_owned()]
        );
        assert_eq!(labelled.rules(), &violations());
    }

    #[test]
    fn in_chinese_the_same_rules_read_in_chinese_with_the_chinese_labels() {
        let labelled = LabelledViolations::new(violations(), ZH_LABELS, &ZH_CN);
        assert_eq!(labelled.for_field("end_time"), Some("必须晚于开始时间"));
        assert_eq!(
            labelled.lines(),
            ["结束时间：必须晚于开始时间".to_owned(), "province：仅当 country 为 `cn` 时可填".to_owned()]
        );
    }

    #[test]
    fn a_rule_about_a_part_of_the_field_does_not_name_the_part_under_it() {
        let mut violations = Violations::default();
        violations.push("resource_condition", Rule::ConditionTaskId { max: 24, got: "\"x\"".to_owned() });
        let labelled = LabelledViolations::new(violations, LABELS, &EN);
        assert_eq!(
            labelled.for_field("resource_condition"),
            Some("must be 1 to 24 characters of 0-9 and a-f (a batch task id), not \"x\"")
        );
        assert!(labelled.lines()[0].starts_with("Batch task id: must be"), "{:?}", labelled.lines());
    }
}

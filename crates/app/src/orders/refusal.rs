//! Why ordering a line was refused, as a typed value: the API renders it as
//! the problem document's extension members, the UI shows it beside the
//! part of the form it concerns. Nobody parses it back from JSON.

use super::cart::Proposal;
use ramp_domain::cost::NeededFact;
use serde::Serialize;

/// A refused line: which line of the order (`None`: a cart line or a
/// preview, which are one line) and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    #[serde(skip)]
    pub line: Option<usize>,
    #[serde(flatten)]
    pub reason: RefusalReason,
}

/// The reasons a line is refused that carry more than a message: what the
/// prescriber can do next.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RefusalReason {
    /// An older equivalent is in stock: accept or decline it.
    ReplacementAnswerRequired { proposal: Proposal },
    /// The agreement asks questions before it can decide.
    FactsNeeded { needs: Vec<NeededFact> },
    /// The article ran out; these are in stock.
    NoLongerAvailable { alternatives: Vec<Alternative> },
    /// The product area needs a competence the prescriber lacks.
    CompetenceRequired { competence: String },
    /// The agreement's rule sends this elsewhere (not ordered through the
    /// portal), or would make it a trust prescription it does not allow.
    Rule { rule: String, explanation_sv: String },
}

/// An article offered instead of one that ran out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alternative {
    pub article_number: String,
    pub name: String,
    pub in_stock: i64,
}

impl Refusal {
    pub fn new(reason: RefusalReason) -> Self {
        Self { line: None, reason }
    }

    /// The problem document's extension members (`proposal`, `needs`,
    /// `alternatives`, `competence`, `rule` and `explanation_sv`).
    pub fn details(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_refusal_renders_as_the_rule_and_its_swedish_explanation() {
        let r = Refusal::new(RefusalReason::Rule { rule: "S-12".into(), explanation_sv: "Kommunen".into() });
        let details = r.details();
        assert_eq!(details.get("rule").and_then(|v| v.as_str()), Some("S-12"));
        assert_eq!(details.get("explanation_sv").and_then(|v| v.as_str()), Some("Kommunen"));
        assert_eq!(details.len(), 2);
    }

    #[test]
    fn an_exhausted_article_renders_its_alternatives() {
        let alt = Alternative { article_number: "A1".into(), name: "Rollator".into(), in_stock: 3 };
        let r = Refusal { line: Some(2), reason: RefusalReason::NoLongerAvailable { alternatives: vec![alt] } };
        let details = r.details();
        assert_eq!(details["alternatives"][0]["in_stock"], 3);
        assert!(!details.contains_key("line"));
    }
}

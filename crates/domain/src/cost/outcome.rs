//! The decision output: an answer with its reason, or the questions that
//! must be answered first. `OutcomeRef` borrows from the agreement (no
//! allocation); `Outcome` owns its strings.

use super::model::{Agreement, Channel, Payer, Rule, Text};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

/// Who pays, how it is ordered, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub payer: Payer,
    pub channel: Channel,
    pub trust_prescription_allowed: bool,
    /// The id of the deciding rule.
    pub rule: String,
    pub agreement: AgreementRef,
    pub explanation: Text,
    /// The document and sentence the rule rests on.
    pub source: String,
}

/// Which agreement version decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementRef {
    pub region: String,
    /// The effective date, `YYYY-MM-DD`.
    pub version: String,
}

/// A fact the engine needs before it can answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeededFact {
    pub fact: String,
    pub question: Text,
}

/// The answer, or the facts to ask for; serialized as the decision object
/// or as `{"needs": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Decision(Decision),
    Needs(Vec<NeededFact>),
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum OutcomeJson {
    Decision(Decision),
    Needs { needs: Vec<NeededFact> },
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Outcome::Decision(d) => d.serialize(s),
            Outcome::Needs(needs) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("needs", needs)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match OutcomeJson::deserialize(d)? {
            OutcomeJson::Decision(d) => Outcome::Decision(d),
            OutcomeJson::Needs { needs } => Outcome::Needs(needs),
        })
    }
}

impl Outcome {
    /// The decision, if there is one.
    pub fn decision(&self) -> Option<&Decision> {
        match self {
            Outcome::Decision(d) => Some(d),
            Outcome::Needs(_) => None,
        }
    }

    /// The facts asked for (empty for a decision).
    pub fn needs(&self) -> &[NeededFact] {
        match self {
            Outcome::Decision(_) => &[],
            Outcome::Needs(needs) => needs,
        }
    }
}

/// The pseudo-fact asked for when only the birth date can decide an age rule.
pub const BIRTH_DATE_FACT: &str = "birth_date";

fn birth_date_question() -> (&'static str, &'static str) {
    (
        "Vilket är patientens födelsedatum? (Åldersregeln gäller till och med det kalenderår patienten fyller en viss ålder.)",
        "What is the patient's date of birth? (The age rule runs to the end of the calendar year the patient reaches an age.)",
    )
}

/// An outcome borrowing from its agreement: what `decide_ref` returns.
#[derive(Debug, Clone, Copy)]
pub enum OutcomeRef<'a> {
    Decision { agreement: &'a Agreement, rule: &'a Rule },
    Needs { agreement: &'a Agreement, facts: u64, birth_date: bool },
}

impl<'a> OutcomeRef<'a> {
    /// The deciding rule, if any.
    pub fn rule(&self) -> Option<&'a Rule> {
        match *self {
            OutcomeRef::Decision { rule, .. } => Some(rule),
            OutcomeRef::Needs { .. } => None,
        }
    }

    /// The agreement version that was evaluated.
    pub fn agreement(&self) -> &'a Agreement {
        match *self {
            OutcomeRef::Decision { agreement, .. } | OutcomeRef::Needs { agreement, .. } => agreement,
        }
    }

    /// Names and questions of the needed facts, in declaration order.
    pub fn needed(&self) -> impl Iterator<Item = (&'a str, &'a str, &'a str)> + 'a {
        let (agreement, facts, birth) = match *self {
            OutcomeRef::Needs { agreement, facts, birth_date } => (Some(agreement), facts, birth_date),
            OutcomeRef::Decision { .. } => (None, 0, false),
        };
        let declared = agreement.map(|a| a.facts.as_slice()).unwrap_or_default();
        let facts = declared
            .iter()
            .enumerate()
            .filter(move |(i, _)| facts & (1 << i) != 0)
            .map(|(_, f)| (f.name.as_str(), f.question.sv.as_str(), f.question.en.as_str()));
        let (sv, en) = birth_date_question();
        facts.chain(birth.then_some((BIRTH_DATE_FACT, sv, en)))
    }

    /// The owned outcome.
    pub fn to_outcome(&self) -> Outcome {
        match *self {
            OutcomeRef::Decision { agreement, rule } => Outcome::Decision(Decision {
                payer: rule.answer.payer,
                channel: rule.answer.channel,
                trust_prescription_allowed: rule.answer.trust_prescription_allowed,
                rule: rule.id.clone(),
                agreement: AgreementRef { region: agreement.region.clone(), version: agreement.version.clone() },
                explanation: rule.explanation.clone(),
                source: rule.source.clone(),
            }),
            OutcomeRef::Needs { .. } => Outcome::Needs(
                self.needed()
                    .map(|(fact, sv, en)| NeededFact {
                        fact: fact.to_string(),
                        question: Text { sv: sv.to_string(), en: en.to_string() },
                    })
                    .collect(),
            ),
        }
    }
}

/// Writes the same JSON as `Outcome` without copying strings.
impl Serialize for OutcomeRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            OutcomeRef::Decision { agreement, rule } => {
                let mut st = s.serialize_struct("Decision", 7)?;
                st.serialize_field("payer", &rule.answer.payer)?;
                st.serialize_field("channel", &rule.answer.channel)?;
                st.serialize_field("trust_prescription_allowed", &rule.answer.trust_prescription_allowed)?;
                st.serialize_field("rule", &rule.id)?;
                st.serialize_field("agreement", &AgreementRefRef(agreement))?;
                st.serialize_field("explanation", &rule.explanation)?;
                st.serialize_field("source", &rule.source)?;
                st.end()
            }
            OutcomeRef::Needs { .. } => {
                let needs: Vec<_> = self.needed().map(|(fact, sv, en)| NeededRef { fact, sv, en }).collect();
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("needs", &needs)?;
                m.end()
            }
        }
    }
}

struct AgreementRefRef<'a>(&'a Agreement);

impl Serialize for AgreementRefRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("AgreementRef", 2)?;
        st.serialize_field("region", &self.0.region)?;
        st.serialize_field("version", &self.0.version)?;
        st.end()
    }
}

struct NeededRef<'a> {
    fact: &'a str,
    sv: &'a str,
    en: &'a str,
}

impl Serialize for NeededRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("NeededFact", 2)?;
        st.serialize_field("fact", self.fact)?;
        st.serialize_field("question", &TextRef { sv: self.sv, en: self.en })?;
        st.end()
    }
}

#[derive(Serialize)]
struct TextRef<'a> {
    sv: &'a str,
    en: &'a str,
}

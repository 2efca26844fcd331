//! The vocabulary of an agreement: who pays, through which channel, for
//! which kind of product and need, and the precompiled rules that say so.

use crate::setting::Setting;
use crate::Term;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// Who bears the cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Payer {
    /// The region ("regionen").
    Region,
    /// The municipality, or the residence or operation it finances.
    Municipality,
    /// The patient's own responsibility ("egenansvar"): not prescribed.
    Patient,
}

impl Term for Payer {
    const FIELD: &'static str = "payer";
    const CODE: &'static str = "invalid_payer";
    const NOUN: &'static str = "payer";
}

/// How the product is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Channel {
    /// Prescribed under the region's rules (Hjälpmedelsguiden, the ordering portal).
    RegionPrescription,
    /// Bought by the municipality-financed operation from its own suppliers.
    MunicipalProcurement,
    /// Bought by the municipality-financed operation and re-invoiced to the region.
    MunicipalPurchaseReinvoicedToRegion,
    /// Prescribed with a device card ("hjälpmedelskort") and dispensed at a pharmacy.
    PharmacyDeviceCard,
    /// Prescribed through a joint assistive-device centre and invoiced to the municipality.
    HmcPrescriptionInvoicedToMunicipality,
    /// The patient buys it.
    PatientPurchase,
}

impl Term for Channel {
    const FIELD: &'static str = "channel";
    const CODE: &'static str = "invalid_channel";
    const NOUN: &'static str = "channel";
}

/// What kind of product the decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Kind {
    /// A main assistive device.
    Device,
    /// An accessory to a main device.
    Accessory,
    /// A consumable ("förbrukningshjälpmedel").
    Consumable,
    /// A medical-technical product used in care, never prescribed personally.
    MedtechProduct,
    /// A nutrition product ("näringsprodukt").
    Nutrition,
}

impl Term for Kind {
    const FIELD: &'static str = "product.kind";
    const CODE: &'static str = "invalid_product.kind";
    const NOUN: &'static str = "product.kind";
}

/// How long and where the product is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Need {
    /// A lasting need.
    Lasting,
    /// Needed only during the stay or activity.
    DuringStayOnly,
    /// Prescribed during a stay for continued use at home.
    ContinuesAtHome,
    /// A temporary need (short-term prescription, at most six months).
    Temporary,
}

impl Term for Need {
    const FIELD: &'static str = "need";
    const CODE: &'static str = "invalid_need";
    const NOUN: &'static str = "need";
}

impl Kind {
    /// The bit of a product kind in a rule's kinds mask.
    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl Need {
    /// The bit of a need in a rule's needs mask.
    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The bit of a setting in a rule's settings mask.
pub(crate) fn setting_bit(s: Setting) -> u8 {
    1 << (s as u8)
}

/// A text in Swedish and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text {
    pub sv: String,
    pub en: String,
}

/// A product fact an agreement's rules use, with the question the UI asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub name: String,
    pub question: Text,
    /// ISO 9999 prefixes whose products have this fact set.
    pub iso: Vec<String>,
    /// When true, products outside `iso` do not have the fact: never asked.
    pub iso_only: bool,
}

/// A prefix of an ISO 9999 code (2, 4 or 6 digits), precompiled for matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IsoPrefix {
    pub value: u32,
    pub divisor: u32,
    pub len: u8,
}

impl IsoPrefix {
    /// Parses 2, 4 or 6 digits (spaces allowed, as in `12 06`).
    pub fn parse(s: &str) -> Option<IsoPrefix> {
        let digits: String = s.chars().filter(|c| *c != ' ').collect();
        if !matches!(digits.len(), 2 | 4 | 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value = digits.parse().ok()?;
        let divisor = 10u32.pow(6 - digits.len() as u32);
        Some(IsoPrefix { value, divisor, len: digits.len() as u8 })
    }

    /// Does the full six-digit code (as a number) fall under this prefix?
    #[inline]
    pub fn matches(self, code: u32) -> bool {
        code / self.divisor == self.value
    }

    /// Do the two prefixes share any code?
    pub fn overlaps(self, other: IsoPrefix) -> bool {
        let (short, long) = if self.len <= other.len { (self, other) } else { (other, self) };
        long.value / (short.divisor / long.divisor) == short.value
    }

    /// The digits, zero-padded to the prefix length.
    pub fn digits(self) -> String {
        format!("{:0width$}", self.value, width = self.len as usize)
    }
}

/// A condition on the patient's age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeCond {
    Any,
    /// Younger than N years on the decision date.
    Below(u8),
    /// N years or older on the decision date.
    AtLeast(u8),
    /// Up to and including the calendar year the patient turns N.
    UntilCalendarYearTurns(u8),
    /// From the calendar year after the patient turns N.
    AfterCalendarYearTurns(u8),
}

/// Everything a rule yields, the part two rules can disagree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Answer {
    pub payer: Payer,
    pub channel: Channel,
    pub trust_prescription_allowed: bool,
}

/// One precompiled rule. Masks are bit sets over the vocabularies above;
/// an empty `iso` matches every code.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub priority: i32,
    /// 1-based line of the rule in its file.
    pub line: usize,
    pub answer: Answer,
    pub explanation: Text,
    /// The document and sentence the rule rests on.
    pub source: String,
    /// Where the rule comes from: seed, public, interpretation or reconstructed.
    pub basis: String,
    pub(crate) settings: u8,
    pub(crate) kinds: u8,
    pub(crate) needs: u8,
    pub(crate) iso: Vec<IsoPrefix>,
    pub(crate) age: AgeCond,
    pub(crate) fact_mask: u64,
    pub(crate) fact_values: u64,
}

impl Rule {
    /// The ISO prefixes the rule matches (empty: every code).
    pub fn iso_prefixes(&self) -> Vec<String> {
        self.iso.iter().map(|p| p.digits()).collect()
    }

    /// The age condition.
    pub fn age(&self) -> AgeCond {
        self.age
    }
}

/// What an agreement covers; decisions outside it are refused, and `check`
/// looks for gaps only inside it.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub settings: u8,
    pub kinds: u8,
    /// Empty: every ISO class.
    pub iso: Vec<IsoPrefix>,
    pub line: usize,
}

/// One version of one region's agreement, compiled from its file.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub(crate) file: String,
    pub(crate) region: String,
    pub(crate) region_name: String,
    pub(crate) title: String,
    pub(crate) effective_from: NaiveDate,
    pub(crate) version: String,
    pub(crate) facts: Vec<Fact>,
    /// (fact index, prefix, iso_only) for facts that follow from the ISO code.
    pub(crate) implied: Vec<(u8, IsoPrefix)>,
    pub(crate) iso_only_mask: u64,
    pub(crate) scope: Scope,
    /// Rules in evaluation order: priority descending, then file order.
    pub(crate) rules: Vec<Rule>,
    /// Indices into `rules`, per setting, in evaluation order.
    pub(crate) by_setting: [Vec<u16>; 7],
    /// `[[lost_device]]` rule sets in file order: the first that applies to
    /// the reporting unit decides (issue 22: pilot scope as data).
    pub(crate) lost_device: Vec<crate::charges::LostDeviceRules>,
}

impl Agreement {
    /// The lost-device rules for a unit of `unit_kind`: the first set that
    /// applies; `None` when the agreement has none for it.
    pub fn lost_device_rules(&self, unit_kind: Option<&str>) -> Option<&crate::charges::LostDeviceRules> {
        self.lost_device.iter().find(|r| r.applies_to(unit_kind))
    }

    /// Every lost-device rule set, in file order.
    pub fn lost_device_rule_sets(&self) -> &[crate::charges::LostDeviceRules] {
        &self.lost_device
    }

    /// The region code, e.g. `stockholm`.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The region's display name, e.g. `Region Stockholm`.
    pub fn region_name(&self) -> &str {
        &self.region_name
    }

    /// The agreement's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The first day this version is in force.
    pub fn effective_from(&self) -> NaiveDate {
        self.effective_from
    }

    /// The version name: the effective date as `YYYY-MM-DD`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The file it was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The facts its rules use, in declaration order.
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// The rules, in evaluation order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub(crate) fn fact_index(&self, name: &str) -> Option<usize> {
        self.facts.iter().position(|f| f.name == name)
    }
}

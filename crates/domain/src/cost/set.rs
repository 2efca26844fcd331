//! All regions and all versions: picks the version in force on the decision
//! date, so old decisions stay explainable by the version they were made
//! under.

use super::decide::Eval;
use super::load::AgreementError;
use super::model::{Agreement, Fact};
use super::outcome::{Outcome, OutcomeRef};
use super::request::DecisionRequest;
use crate::FieldError;
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

/// The agreement files shipped with Ramp, compiled in.
const BUILTIN: &[(&str, &str)] = &[
    ("agreements/stockholm/2021-01-01.toml", include_str!("../../../../agreements/stockholm/2021-01-01.toml")),
    ("agreements/sormland/2021-01-01.toml", include_str!("../../../../agreements/sormland/2021-01-01.toml")),
    (
        "agreements/vastra_gotaland/2021-01-01.toml",
        include_str!("../../../../agreements/vastra_gotaland/2021-01-01.toml"),
    ),
    (
        "agreements/vastra_gotaland/2024-03-01.toml",
        include_str!("../../../../agreements/vastra_gotaland/2024-03-01.toml"),
    ),
];

/// One agreement file as read from `<dir>/<region>/<YYYY-MM-DD>.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFile {
    /// The path, for error messages.
    pub name: String,
    /// The name of the directory the file lies in: the region it must declare.
    pub region_dir: String,
    pub text: String,
}

/// Every version of every region's agreement. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct AgreementSet {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    regions: Vec<Region>,
    /// Every fact name any agreement declares: other names are refused.
    vocabulary: Vec<String>,
}

#[derive(Debug)]
struct Region {
    code: String,
    /// Oldest first.
    versions: Vec<Agreement>,
}

/// A region and the effective dates of its versions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionInfo {
    pub code: String,
    pub name: String,
    pub versions: Vec<NaiveDate>,
}

impl AgreementSet {
    /// The shipped agreements. A test guarantees they compile, so this
    /// cannot fail at run time.
    pub fn builtin() -> AgreementSet {
        let agreements = BUILTIN.iter().map(|(file, text)| Agreement::parse(file, text));
        let agreements: Result<Vec<_>, _> = agreements.collect();
        let set = agreements.and_then(AgreementSet::from_agreements);
        set.unwrap_or_else(|e| panic!("a shipped agreement file is broken: {e}"))
    }

    /// The shipped files as (path, text), e.g. to write them out or diff them.
    pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
        BUILTIN
    }

    /// The set of agreement files read by the caller (the domain does no
    /// IO): each file's name, the region directory it lies in, and its
    /// text. Any broken file refuses the whole set, so the caller keeps the
    /// previous one in force.
    pub fn from_files(files: &[AgreementFile]) -> Result<AgreementSet, AgreementError> {
        let mut agreements = Vec::new();
        for f in files {
            let agreement = Agreement::parse(&f.name, &f.text)?;
            if agreement.region() != f.region_dir {
                let msg =
                    format!("region \"{}\" is in the directory of region \"{}\"", agreement.region(), f.region_dir);
                return Err(AgreementError { file: f.name.clone(), line: 1, column: 1, message: msg });
            }
            agreements.push(agreement);
        }
        AgreementSet::from_agreements(agreements)
    }

    /// Groups agreements by region; two versions of a region may not share a date.
    pub fn from_agreements(mut agreements: Vec<Agreement>) -> Result<AgreementSet, AgreementError> {
        agreements.sort_by(|a, b| (a.region(), a.effective_from()).cmp(&(b.region(), b.effective_from())));
        let mut regions: Vec<Region> = Vec::new();
        for a in agreements {
            match regions.last_mut() {
                Some(r) if r.code == a.region() => {
                    if r.versions.last().is_some_and(|v| v.effective_from() == a.effective_from()) {
                        let msg = format!("a second version of {} takes effect on {}", a.region(), a.version());
                        return Err(AgreementError { file: a.file().to_string(), line: 1, column: 1, message: msg });
                    }
                    r.versions.push(a);
                }
                _ => regions.push(Region { code: a.region().to_string(), versions: vec![a] }),
            }
        }
        let mut vocabulary: Vec<String> =
            regions.iter().flat_map(|r| &r.versions).flat_map(|a| a.facts()).map(|f| f.name.clone()).collect();
        vocabulary.sort();
        vocabulary.dedup();
        Ok(AgreementSet { inner: Arc::new(Inner { regions, vocabulary }) })
    }

    /// Regions, with their versions.
    pub fn regions(&self) -> Vec<RegionInfo> {
        let info = |r: &Region| RegionInfo {
            code: r.code.clone(),
            name: r.versions.last().map(|v| v.region_name().to_string()).unwrap_or_default(),
            versions: r.versions.iter().map(|v| v.effective_from()).collect(),
        };
        self.inner.regions.iter().map(info).collect()
    }

    /// Every agreement, by region then date.
    pub fn agreements(&self) -> impl Iterator<Item = &Agreement> {
        self.inner.regions.iter().flat_map(|r| &r.versions)
    }

    /// The version in force on `date`: the latest that took effect on or before it.
    pub fn in_force(&self, region: &str, date: NaiveDate) -> Option<&Agreement> {
        let r = self.inner.regions.iter().find(|r| r.code == region)?;
        r.versions.iter().rev().find(|v| v.effective_from() <= date)
    }

    /// The facts the version in force declares, with their questions.
    pub fn questions(&self, region: &str, date: NaiveDate) -> Vec<Fact> {
        self.in_force(region, date).map(|a| a.facts().to_vec()).unwrap_or_default()
    }

    /// Decides, returning owned output (see `decide_ref` for the hot path).
    pub fn decide(&self, req: &DecisionRequest) -> Result<Outcome, FieldError> {
        self.decide_ref(req).map(|o| o.to_outcome())
    }

    /// Decides without allocating: the outcome borrows from the agreement.
    pub fn decide_ref(&self, req: &DecisionRequest) -> Result<OutcomeRef<'_>, FieldError> {
        let agreement = self.agreement_for(&req.region, req.date)?;
        let query = agreement.query(req, |name| self.knows_fact(name))?;
        match agreement.evaluate(&query) {
            Eval::Rule(i) => Ok(OutcomeRef::Decision { agreement, rule: &agreement.rules[i] }),
            Eval::Needs { facts, birth_date } => Ok(OutcomeRef::Needs { agreement, facts, birth_date }),
            Eval::NotCovered => Err(not_covered(agreement, req)),
        }
    }

    fn agreement_for(&self, region: &str, date: NaiveDate) -> Result<&Agreement, FieldError> {
        let Some(r) = self.inner.regions.iter().find(|r| r.code == region) else {
            let known: Vec<&str> = self.inner.regions.iter().map(|r| r.code.as_str()).collect();
            let msg = format!("unknown region '{region}' (known: {})", known.join(", "));
            return Err(FieldError::new("region", "unknown_region", msg));
        };
        r.versions.iter().rev().find(|v| v.effective_from() <= date).ok_or_else(|| {
            let first = r.versions.first().map(|v| v.version()).unwrap_or_default();
            let msg = format!("no agreement of {region} is in force on {date} (the first takes effect {first})");
            FieldError::new("date", "no_agreement_in_force", msg)
        })
    }

    fn knows_fact(&self, name: &str) -> bool {
        self.inner.vocabulary.binary_search_by(|v| v.as_str().cmp(name)).is_ok()
    }
}

fn not_covered(a: &Agreement, req: &DecisionRequest) -> FieldError {
    let what = match &req.product.iso {
        Some(code) => format!("ISO {code} ({})", req.product.kind),
        None => format!("a {} product without an ISO code", req.product.kind),
    };
    let msg = format!("no rule of {} {} covers {what} in the setting {}", a.region_name(), a.version(), req.setting);
    let field = if req.product.iso.is_some() { "product.iso" } else { "product.kind" };
    FieldError::new(field, "not_covered", msg)
}

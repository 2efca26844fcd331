//! Shared helpers: a request builder and the conformance-row macro.

use ramp_domain::cost::{AgreementSet, Channel, Decision, DecisionRequest, Outcome, Payer};
use std::sync::OnceLock;

/// The shipped agreements, compiled once per test binary.
pub fn shipped() -> &'static AgreementSet {
    static SET: OnceLock<AgreementSet> = OnceLock::new();
    SET.get_or_init(AgreementSet::builtin)
}

/// A decision request under construction, written as the JSON contract.
#[derive(Clone, Debug)]
pub struct Ask {
    pub region: &'static str,
    pub date: &'static str,
    pub patient: String,
    pub setting: &'static str,
    pub iso: &'static str,
    pub kind: &'static str,
    pub facts: Vec<(&'static str, bool)>,
    pub need: &'static str,
}

/// Stockholm, 2024-05-01, an 85-year-old, a lasting need, no facts.
pub fn stockholm(setting: &'static str, iso: &'static str, kind: &'static str) -> Ask {
    Ask {
        region: "stockholm",
        date: "2024-05-01",
        patient: r#"{"age": 85}"#.into(),
        setting,
        iso,
        kind,
        facts: vec![],
        need: "lasting",
    }
}

/// Sörmland, 2024-05-01, a 50-year-old in ordinary housing, a device.
pub fn sormland(iso: &'static str) -> Ask {
    Ask { region: "sormland", patient: r#"{"age": 50}"#.into(), ..stockholm("ordinary", iso, "device") }
}

impl Ask {
    pub fn age(mut self, age: u32) -> Self {
        self.patient = format!(r#"{{"age": {age}}}"#);
        self
    }
    pub fn born(mut self, birth_date: &str) -> Self {
        self.patient = format!(r#"{{"birth_date": "{birth_date}"}}"#);
        self
    }
    pub fn on(mut self, date: &'static str) -> Self {
        self.date = date;
        self
    }
    pub fn need(mut self, need: &'static str) -> Self {
        self.need = need;
        self
    }
    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }
    pub fn setting(mut self, setting: &'static str) -> Self {
        self.setting = setting;
        self
    }
    pub fn fact(mut self, name: &'static str, value: bool) -> Self {
        self.facts.push((name, value));
        self
    }

    /// The request as JSON; an empty `iso` leaves the code out (a nutrition product).
    pub fn json(&self) -> String {
        let facts: Vec<String> = self.facts.iter().map(|(n, v)| format!(r#""{n}": {v}"#)).collect();
        let iso = if self.iso.is_empty() { String::new() } else { format!(r#""iso": "{}", "#, self.iso) };
        format!(
            r#"{{"region": "{}", "date": "{}", "patient": {}, "setting": "{}", "product": {{{}"kind": "{}", "facts": {{{}}}}}, "need": "{}"}}"#,
            self.region,
            self.date,
            self.patient,
            self.setting,
            iso,
            self.kind,
            facts.join(", "),
            self.need
        )
    }

    pub fn request(&self) -> DecisionRequest {
        DecisionRequest::from_json(&self.json()).unwrap_or_else(|e| panic!("{e} in {}", self.json()))
    }

    pub fn outcome(&self) -> Outcome {
        shipped().decide(&self.request()).unwrap_or_else(|e| panic!("{e} for {}", self.json()))
    }

    pub fn decision(&self) -> Decision {
        match self.outcome() {
            Outcome::Decision(d) => d,
            Outcome::Needs(n) => panic!("expected a decision, got needs {n:?} for {}", self.json()),
        }
    }

    /// The names of the facts asked for; panics on a decision.
    pub fn needs(&self) -> Vec<String> {
        match self.outcome() {
            Outcome::Needs(n) => n.into_iter().map(|f| f.fact).collect(),
            Outcome::Decision(d) => {
                panic!("expected needs, got rule {} for {}", d.rule, self.json())
            }
        }
    }
}

/// Asserts one conformance row: the decision, and that the decision cites
/// the quoted sentence (so the table and the file cannot drift apart).
pub fn expect_decision(quote: &str, ask: Ask, rule: &str, payer: Payer, channel: Channel, trust: bool) {
    let d = ask.decision();
    let got = (d.rule.as_str(), d.payer, d.channel, d.trust_prescription_allowed);
    assert_eq!(got, (rule, payer, channel, trust), "for {}", ask.json());
    assert!(d.source.contains(quote), "rule {} cites {:?}, not {quote:?}", d.rule, d.source);
    assert!(!d.explanation.sv.is_empty() && !d.explanation.en.is_empty());
}

/// One test per row: `name: "quoted sentence", ask => rule, Payer, Channel, trust;`
macro_rules! conformance {
    ($($(#[$doc:meta])* $name:ident: $quote:literal, $ask:expr => $rule:literal, $payer:ident, $channel:ident, $trust:literal;)+) => {
        $(
            $(#[$doc])*
            #[test]
            fn $name() {
                $crate::support::expect_decision(
                    $quote,
                    $ask,
                    $rule,
                    ramp_domain::cost::Payer::$payer,
                    ramp_domain::cost::Channel::$channel,
                    $trust,
                );
            }
        )+
    };
}

/// A minimal valid agreement: one fact, one catch-all rule (`[[rule]]` on line 14).
pub const MINI: &str = r#"region = "testland"
region_name = "Region Testland"
title = "Test agreement"
effective_from = 2022-01-01

[sources]
doc = "Test document"

[[fact]]
name = "carer_controlled"
sv = "Är rullstolen försedd med vårdarstyrning?"
en = "Is the wheelchair fitted with carer control?"

[[rule]]
id = "everything"
priority = 1
basis = "seed"
payer = "region"
channel = "region_prescription"
trust_prescription = true
explanation_sv = "Regionen betalar allt."
explanation_en = "The region pays for everything."
source = "doc"
quote = "Allt betalas av regionen."
"#;

/// A fresh directory under the system temp dir, removed when dropped.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    /// A new, empty directory, unique per call: tests run in parallel.
    pub fn new(name: &str) -> TempDir {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("ramp-cost-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The shipped Stockholm file's text.
pub fn stockholm_text() -> &'static str {
    ramp_domain::cost::AgreementSet::builtin_files()
        .iter()
        .find(|(path, _)| path.contains("stockholm"))
        .map(|(_, text)| *text)
        .unwrap()
}

/// A later Stockholm version (fixture): from 2023-01-01, rollators and other
/// two-armed walking aids (12 06) are no longer on the SÄBO list.
pub fn stockholm_2023() -> String {
    let text = stockholm_text().replace("effective_from = 2021-01-01", "effective_from = 2023-01-01");
    let changed = text.replace(r#""12 03", "12 06", "12 31""#, r#""12 03", "12 31""#);
    assert_ne!(changed, text, "fixture edit did not apply");
    changed
}

/// Reads `dir/<region>/*.toml` as the application does (the domain itself
/// does no IO) and builds the set from the texts.
pub fn load_dir(dir: &std::path::Path) -> Result<AgreementSet, ramp_domain::cost::AgreementError> {
    let mut files = Vec::new();
    let mut regions: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    regions.sort();
    for region in regions.into_iter().filter(|r| r.is_dir()) {
        let mut paths: Vec<_> = std::fs::read_dir(&region).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
            files.push(ramp_domain::cost::AgreementFile {
                name: path.display().to_string(),
                region_dir: region.file_name().unwrap().to_string_lossy().into_owned(),
                text: std::fs::read_to_string(&path).unwrap(),
            });
        }
    }
    AgreementSet::from_files(&files)
}

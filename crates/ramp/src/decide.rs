//! `ramp decide`: cost-responsibility decisions for JSON Lines on stdin, one
//! JSON line out per request, and the Stockholm costly-treatment
//! reimbursement (`--costly-treatment --monthly-cost-sek N`). No database.
//!
//! Line contract: every non-blank input line gives exactly one output line,
//! in order — the decision, `{"needs": [...]}`, or
//! `{"error": {"field", "code", "message", "line"}}` (`line` is the 1-based
//! input line). Blank lines (only whitespace) are skipped and give no output,
//! so a trailing empty line is harmless; count non-blank lines to pair input
//! with output. A failed line is also reported on stderr, processing
//! continues, and the exit code is 2 if any line failed, else 0.

use crate::agreements_cmd::describe_error;
use chrono::NaiveDate;
use ramp_domain::cost::{
    payer_periods, setting_changes, AgreementSet, CostlyTreatment, DecisionRequest, Kind, Need, OutcomeRef, Patient,
    Product, COSTLY_TREATMENT_SHARE_PERCENT, COSTLY_TREATMENT_THRESHOLD,
};
use ramp_domain::ids::IsoCode;
use ramp_domain::money::Ore;
use ramp_domain::setting::Setting;
use ramp_domain::FieldError;
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, BufWriter, Write};
use std::process::ExitCode;

/// Options of `ramp decide`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DecideArgs {
    /// Print the Stockholm costly-treatment reimbursement instead of reading stdin.
    ///
    /// "Särskild ansökan för kostsamma behandlingshjälpmedel": the region
    /// reimburses 75 % of a patient's monthly cost above 10,000 SEK.
    #[arg(long, requires = "monthly_cost_sek")]
    pub costly_treatment: bool,
    /// The patient's treatment-aid cost for one month, in SEK (e.g. `15000` or `15000.50`).
    #[arg(long, value_name = "SEK", requires = "costly_treatment", allow_negative_numbers = true)]
    pub monthly_cost_sek: Option<String>,
}

/// Reads stdin, writes stdout and stderr; loads the configured agreements
/// (exit 2 with file:line:column if they are broken).
pub fn run_stdio(args: &DecideArgs, config: &crate::Config) -> ExitCode {
    let (stdout, stderr) = (io::stdout(), io::stderr());
    if args.costly_treatment {
        return ExitCode::from(costly_treatment(args, stdout.lock(), stderr.lock()));
    }
    let set = match &config.agreements_dir {
        None => AgreementSet::builtin(),
        Some(dir) => match ramp_app::agreements::load_dir(dir) {
            Ok(set) => set,
            Err(e) => {
                eprintln!("ramp decide: agreements refused: {}", describe_error(&e));
                return ExitCode::from(2);
            }
        },
    };
    let input = io::BufReader::with_capacity(READ_BUFFER, io::stdin().lock());
    ExitCode::from(run(args, &set, input, stdout.lock(), stderr.lock()))
}

const READ_BUFFER: usize = 64 * 1024;
const WRITE_BUFFER: usize = 64 * 1024;

/// The testable core: decides every line of `input` (or, with
/// `--costly-treatment`, prints the reimbursement) and returns the exit
/// code: 0, 2 if any line or the amount was invalid, 1 on an I/O error.
pub fn run(args: &DecideArgs, agreements: &AgreementSet, input: impl BufRead, out: impl Write, err: impl Write) -> u8 {
    if args.costly_treatment {
        return costly_treatment(args, out, err);
    }
    let mut lines = Lines {
        set: agreements,
        out: BufWriter::with_capacity(WRITE_BUFFER, out),
        err: BufWriter::new(err),
        rendered: HashMap::new(),
        line_no: 0,
        requests: 0,
        failed: 0,
    };
    let result = lines.read_all(input);
    let result = result.and_then(|()| lines.out.flush());
    let code = match result {
        Ok(()) => u8::from(lines.failed > 0) * 2,
        // The reader went away (`ramp decide | head`): stop quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => u8::from(lines.failed > 0) * 2,
        Err(e) => {
            let _ = writeln!(lines.err, "ramp decide: {e}");
            1
        }
    };
    if lines.failed > 0 {
        let _ = writeln!(lines.err, "ramp decide: {} of {} requests failed", lines.failed, lines.requests);
    }
    let _ = lines.err.flush();
    code
}

/// The decision loop's state: output buffers and counters.
struct Lines<'a, W: Write, E: Write> {
    set: &'a AgreementSet,
    out: BufWriter<W>,
    err: BufWriter<E>,
    /// Outcomes already serialized, see [`OutcomeKey`].
    rendered: HashMap<OutcomeKey, Box<[u8]>>,
    /// Physical input lines read, blank ones included.
    line_no: u64,
    /// Non-blank lines, i.e. output lines written.
    requests: u64,
    failed: u64,
}

impl<W: Write, E: Write> Lines<'_, W, E> {
    /// Decides complete lines straight from the reader's buffer; only a line
    /// split across two reads is copied. Output is flushed before each read
    /// that may block, so a program that writes a request and waits for its
    /// answer gets it, while a large file is written in large blocks.
    fn read_all(&mut self, mut input: impl BufRead) -> io::Result<()> {
        let mut partial: Vec<u8> = Vec::new();
        loop {
            self.out.flush()?;
            self.err.flush()?;
            let chunk = match input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io::Error::new(e.kind(), format!("reading stdin: {e}"))),
            };
            if chunk.is_empty() {
                return if partial.is_empty() { Ok(()) } else { self.line(&partial) };
            }
            let mut rest = chunk;
            while let Some(end) = rest.iter().position(|&b| b == b'\n') {
                if partial.is_empty() {
                    self.line(&rest[..end])?;
                } else {
                    partial.extend_from_slice(&rest[..end]);
                    self.line(&partial)?;
                    partial.clear();
                }
                rest = &rest[end + 1..];
            }
            partial.extend_from_slice(rest);
            let used = chunk.len();
            input.consume(used);
        }
    }

    /// One input line (without its `\n`): one output line unless blank.
    fn line(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.line_no += 1;
        let text = bytes.trim_ascii();
        if text.is_empty() {
            return Ok(());
        }
        self.requests += 1;
        let set = self.set;
        if text.windows(SETTING_CHANGES.len()).any(|w| w == SETTING_CHANGES) {
            return self.timeline_line(text);
        }
        let decided = std::str::from_utf8(text)
            .map_err(|e| FieldError::new("json", "malformed_json", format!("not valid UTF-8: {e}")))
            .and_then(|text| parse_fast(text).map_or_else(|| DecisionRequest::from_json(text), Ok))
            .and_then(|req| set.decide_ref(&req));
        match decided {
            Ok(outcome) => self.write_outcome(outcome)?,
            Err(e) => {
                self.failed += 1;
                let body = ErrorBody { field: &e.field, code: e.code, message: &e.message, line: self.line_no };
                serde_json::to_writer(&mut self.out, &ErrorLine { error: body })?;
                writeln!(self.err, "ramp decide: line {}: {e}", self.line_no)?;
            }
        }
        self.out.write_all(b"\n")
    }

    /// A line with `"setting_changes"`: the decision for the loan's first day,
    /// and `"periods"`, the payer from each change on (issue 22).
    fn timeline_line(&mut self, text: &[u8]) -> io::Result<()> {
        match decide_timeline(self.set, text) {
            Ok(json) => serde_json::to_writer(&mut self.out, &json)?,
            Err(e) => {
                self.failed += 1;
                let body = ErrorBody { field: &e.field, code: e.code, message: &e.message, line: self.line_no };
                serde_json::to_writer(&mut self.out, &ErrorLine { error: body })?;
                writeln!(self.err, "ramp decide: line {}: {e}", self.line_no)?;
            }
        }
        self.out.write_all(b"\n")
    }

    /// Writes the outcome's JSON, serializing each distinct outcome once:
    /// most of a decision line is the same explanation and source text.
    fn write_outcome(&mut self, outcome: OutcomeRef<'_>) -> io::Result<()> {
        let key = OutcomeKey::of(&outcome);
        if let Some(json) = self.rendered.get(&key) {
            return self.out.write_all(json);
        }
        let json = serde_json::to_vec(&outcome)?;
        self.out.write_all(&json)?;
        if self.rendered.len() < MAX_RENDERED {
            self.rendered.insert(key, json.into_boxed_slice());
        }
        Ok(())
    }
}

const SETTING_CHANGES: &[u8] = b"\"setting_changes\"";

/// The decision of a line with setting changes, with its payer periods.
fn decide_timeline(set: &AgreementSet, text: &[u8]) -> Result<serde_json::Value, FieldError> {
    let mut value: serde_json::Value = serde_json::from_slice(text)
        .map_err(|e| FieldError::new("json", "malformed_json", format!("not valid JSON: {e}")))?;
    let changes = match value.as_object_mut().and_then(|o| o.remove("setting_changes")) {
        Some(v) => setting_changes(&v)?,
        None => Vec::new(),
    };
    let req = DecisionRequest::try_from(value)?;
    let mut out =
        serde_json::to_value(set.decide(&req)?).map_err(|e| FieldError::new("json", "internal", e.to_string()))?;
    let periods = payer_periods(set, &req, &changes)?;
    if let Some(o) = out.as_object_mut() {
        o.insert("periods".into(), serde_json::to_value(periods).unwrap_or_default());
    }
    Ok(out)
}

/// What an outcome's JSON depends on, by address within the agreement set
/// (borrowed, so stable for the whole run): a decision only on its rule,
/// a needs object only on the agreement and the facts asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum OutcomeKey {
    Decision(usize),
    Needs(usize, u64, bool),
}

impl OutcomeKey {
    fn of(outcome: &OutcomeRef<'_>) -> OutcomeKey {
        match *outcome {
            OutcomeRef::Decision { rule, .. } => OutcomeKey::Decision(std::ptr::from_ref(rule) as usize),
            OutcomeRef::Needs { agreement, facts, birth_date } => {
                OutcomeKey::Needs(std::ptr::from_ref(agreement) as usize, facts, birth_date)
            }
        }
    }
}

/// Bounds the rendered-outcome cache (rules and fact combinations are few).
const MAX_RENDERED: usize = 4096;

/// The request as borrowed, typed fields: parsing a common line this way
/// avoids building a `serde_json::Value` tree, which is most of the cost of
/// `DecisionRequest::from_json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireRequest<'a> {
    region: &'a str,
    date: &'a str,
    patient: WirePatient<'a>,
    setting: &'a str,
    #[serde(borrow)]
    product: WireProduct<'a>,
    need: &'a str,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WirePatient<'a> {
    age: Option<u64>,
    birth_date: Option<&'a str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WireProduct<'a> {
    iso: &'a str,
    kind: &'a str,
    #[serde(borrow)]
    facts: Option<BTreeMap<&'a str, Option<bool>>>,
}

/// The fast path: `Some` only for a plainly valid request, which is then
/// exactly what `DecisionRequest::from_json` returns (a test compares the
/// two). Anything unusual — an array anywhere (typed structs would accept
/// one), an escaped string, a duplicate key, a null, a non-canonical date,
/// a value the domain refuses — gives `None`, and the domain parser
/// decides and names the field.
fn parse_fast(text: &str) -> Option<DecisionRequest> {
    if text.contains('[') {
        return None;
    }
    let wire: WireRequest = serde_json::from_str(text).ok()?;
    let date = canonical_date(wire.date)?;
    let patient = match (wire.patient.age, wire.patient.birth_date) {
        (Some(age), None) if age <= 130 => Patient::Age(age as u32),
        (None, Some(birth)) => Patient::BirthDate(canonical_date(birth).filter(|b| *b <= date)?),
        _ => return None,
    };
    let iso = Some(IsoCode::parse(wire.product.iso).ok().filter(|iso| iso.as_str().len() == 6)?);
    let facts = wire.product.facts.unwrap_or_default();
    let facts = facts.into_iter().filter_map(|(name, value)| Some((name.to_string(), value?))).collect();
    Some(DecisionRequest {
        region: wire.region.to_string(),
        date,
        patient,
        setting: Setting::parse(wire.setting).ok()?,
        product: Product { iso, kind: Kind::parse(wire.product.kind).ok()?, facts },
        need: Need::parse(wire.need).ok()?,
    })
}

/// `YYYY-MM-DD` exactly, the form the contract shows; other spellings go to the domain parser.
fn canonical_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

/// `{"error": {...}}`: the output line of a refused request.
#[derive(Serialize)]
struct ErrorLine<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    field: &'a str,
    code: &'a str,
    message: &'a str,
    line: u64,
}

/// Where the costly-treatment rule comes from.
const COSTLY_TREATMENT_SOURCE: &str = "Region Stockholm, särskild ansökan för kostsamma behandlingshjälpmedel \
     (seeds/000): \"Vårdgivaren ersätts i efterskott med 75% av kostnaden över 10 tkr.\"";

/// The reimbursement as printed: the amounts in öre (as everywhere in
/// Ramp's JSON), the same in SEK as text, and the computation.
#[derive(Debug, Serialize)]
struct CostlyTreatmentJson {
    region: &'static str,
    #[serde(flatten)]
    amounts: CostlyTreatment,
    sek: SekAmounts,
    computation: String,
    source: &'static str,
}

#[derive(Debug, Serialize)]
struct SekAmounts {
    monthly_cost: String,
    threshold: String,
    above_threshold: String,
    reimbursement: String,
}

fn costly_treatment(args: &DecideArgs, mut out: impl Write, mut err: impl Write) -> u8 {
    let amount = args.monthly_cost_sek.as_deref().unwrap_or("");
    let monthly_cost = match parse_sek(amount) {
        Ok(ore) => ore,
        Err(why) => {
            let _ = writeln!(err, "ramp decide: --monthly-cost-sek: {why}");
            return 2;
        }
    };
    let json = costly_treatment_json(monthly_cost);
    let written = serde_json::to_writer(&mut out, &json).map_err(io::Error::from);
    match written.and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "ramp decide: {e}");
            1
        }
    }
}

fn costly_treatment_json(monthly_cost: Ore) -> CostlyTreatmentJson {
    let amounts = CostlyTreatment::for_monthly_cost(monthly_cost);
    let above = Ore((monthly_cost.0 - COSTLY_TREATMENT_THRESHOLD.0).max(0));
    let computation = format!(
        "{} % × max(0, {} − {}) SEK = {} % × {} SEK = {} SEK",
        COSTLY_TREATMENT_SHARE_PERCENT,
        sek(monthly_cost),
        sek(COSTLY_TREATMENT_THRESHOLD),
        COSTLY_TREATMENT_SHARE_PERCENT,
        sek(above),
        sek(amounts.reimbursement),
    );
    CostlyTreatmentJson {
        region: "stockholm",
        amounts,
        sek: SekAmounts {
            monthly_cost: sek(monthly_cost),
            threshold: sek(COSTLY_TREATMENT_THRESHOLD),
            above_threshold: sek(above),
            reimbursement: sek(amounts.reimbursement),
        },
        computation,
        source: COSTLY_TREATMENT_SOURCE,
    }
}

/// `1234.50`: plain SEK with two decimals, for JSON and the computation.
fn sek(amount: Ore) -> String {
    let sign = if amount.0 < 0 { "-" } else { "" };
    let abs = amount.0.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Parses an amount in SEK: whole kronor, optionally with one or two
/// decimals after `.` or `,`; spaces and `_` may group thousands.
fn parse_sek(text: &str) -> Result<Ore, String> {
    let expected = || format!("expected an amount in SEK such as 15000 or 15000.50, got '{text}'");
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(format!("the monthly cost cannot be negative, got '{text}'"));
    }
    let (kronor, ore) = match trimmed.split_once(['.', ',']) {
        Some((k, o)) => (k, o),
        None => (trimmed, ""),
    };
    let kronor: String = kronor.chars().filter(|c| !matches!(c, ' ' | '_' | '\u{a0}')).collect();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if kronor.is_empty()
        || !digits(&kronor)
        || !digits(ore)
        || ore.len() > 2
        || (trimmed.contains(['.', ',']) && ore.is_empty())
    {
        return Err(expected());
    }
    let too_large = || format!("the amount is too large, got '{text}'");
    let kronor: i64 = kronor.parse().map_err(|_| too_large())?;
    let ore: i64 = format!("{ore:0<2}").parse().unwrap_or(0);
    kronor.checked_mul(100).and_then(|k| k.checked_add(ore)).map(Ore).ok_or_else(too_large)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const ROLLATOR_ORDINARY: &str = r#"{"region": "stockholm", "date": "2024-05-01", "patient": {"age": 85}, "setting": "ordinary", "product": {"iso": "120606", "kind": "device", "facts": {}}, "need": "lasting"}"#;
    const WHEELCHAIR_SAEBO: &str = r#"{"region": "stockholm", "date": "2024-05-01", "patient": {"age": 85}, "setting": "saebo", "product": {"iso": "122306", "kind": "device"}, "need": "lasting"}"#;

    /// Runs `ramp decide` over `input`; returns (exit code, stdout lines as JSON, stderr).
    fn decide(args: &DecideArgs, input: &str) -> (u8, Vec<Value>, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(args, &AgreementSet::builtin(), input.as_bytes(), &mut out, &mut err);
        let out = String::from_utf8(out).unwrap();
        let lines = out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect();
        (code, lines, String::from_utf8(err).unwrap())
    }

    fn lines(input: &str) -> (u8, Vec<Value>, String) {
        decide(&DecideArgs::default(), input)
    }

    fn with(from: &str, to: &str) -> String {
        assert!(ROLLATOR_ORDINARY.contains(from), "fixture lacks {from}");
        ROLLATOR_ORDINARY.replacen(from, to, 1)
    }

    fn costly(amount: &str) -> (u8, Vec<Value>, String) {
        let args = DecideArgs { costly_treatment: true, monthly_cost_sek: Some(amount.into()) };
        decide(&args, "")
    }

    /// The README's examples (issue 22), run as written there.
    #[test]
    fn the_readme_examples_for_diabetes_material_nutrition_without_an_iso_code_and_a_move_mid_loan_decide() {
        let readme = include_str!("../../../README.md");
        let examples: Vec<&str> = readme
            .lines()
            .filter_map(|l| l.strip_prefix("echo '").and_then(|l| l.strip_suffix("' | ramp decide")))
            .collect();
        assert_eq!(examples.len(), 3, "the README shows three `ramp decide` examples");
        let (code, out, err) = lines(&examples.join("\n"));
        assert_eq!(code, 0, "{err}");
        let rules: Vec<_> =
            out.iter().map(|d| (d["rule"].as_str(), d["trust_prescription_allowed"].as_bool())).collect();
        assert_eq!(
            rules,
            [
                (Some("special.diabetes_self_test"), Some(true)),
                (Some("nutrition.lss_housing"), Some(false)),
                (Some("ordinary.region_prescription"), Some(true))
            ]
        );
        let periods: Vec<_> = out[2]["periods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["from"].as_str().unwrap(), p["payer"].as_str().unwrap(), p["rule"].as_str().unwrap()))
            .collect();
        assert_eq!(
            periods,
            [
                ("2026-01-10", "region", "ordinary.region_prescription"),
                ("2026-03-15", "municipality", "bilaga1.not_at_region_expense")
            ]
        );
    }

    /// Seed 000, Bilaga 1 ("Gäller för SÄBO och LSS-boende"): "Hjälpmedel som
    /// bekostas av kommunfinansierad verksamhet beställs från egna avtalade
    /// leverantörer" — after a move into special housing the residence pays;
    /// back home, the region again.
    #[test]
    fn a_move_into_special_housing_and_back_home_gives_three_payer_periods() {
        let line = r#"{"region": "stockholm", "date": "2026-01-10", "patient": {"age": 84}, "setting": "ordinary", "product": {"iso": "120606", "kind": "device", "facts": {"special_adapted": false}}, "need": "lasting", "setting_changes": [{"from": "2026-06-01", "setting": "ordinary"}, {"from": "2026-03-15", "setting": "saebo"}, {"from": "2026-04-01", "setting": "saebo"}]}"#;
        let (code, out, err) = lines(line);
        assert_eq!(code, 0, "{err}");
        let payers: Vec<_> = out[0]["periods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["from"].as_str().unwrap(), p["payer"].as_str().unwrap()))
            .collect();
        // Sorted by date; the second saebo day changes nothing and adds no period.
        assert_eq!(payers, [("2026-01-10", "region"), ("2026-03-15", "municipality"), ("2026-06-01", "region")]);
    }

    #[test]
    fn a_setting_change_that_is_invalid_or_needs_a_fact_is_refused_naming_it() {
        let base = r#"{"region": "stockholm", "date": "2026-01-10", "patient": {"age": 84}, "setting": "ordinary", "product": {"iso": "120606", "kind": "device"}, "need": "lasting", "setting_changes": CHANGES}"#;
        for (changes, field, code) in [
            (r#"[{"from": "2026-01-10", "setting": "saebo"}]"#, "setting_changes[0].from", "not_after_start"),
            (r#"[{"from": "2026-02-30", "setting": "saebo"}]"#, "setting_changes[0].from", "invalid_date"),
            (r#"[{"from": "2026-03-01", "setting": "castle"}]"#, "setting_changes[0].setting", "invalid_setting"),
            (r#"[{"from": "2026-03-01"}]"#, "setting_changes[0].setting", "required"),
            (r#"{"from": "2026-03-01"}"#, "setting_changes", "invalid_type"),
            (r#"[{"from": "2026-03-01", "setting": "saebo"}]"#, "setting_changes[0].product.facts", "needs_facts"),
        ] {
            let (code_out, out, _) = lines(&base.replace("CHANGES", changes));
            assert_eq!(code_out, 2, "{changes}");
            assert_eq!(
                (out[0]["error"]["field"].as_str(), out[0]["error"]["code"].as_str()),
                (Some(field), Some(code)),
                "{changes}"
            );
        }
    }

    #[test]
    fn a_valid_line_gives_its_decision_as_one_json_line() {
        let (code, out, err) = lines(&format!("{ROLLATOR_ORDINARY}\n"));

        assert_eq!((code, err.as_str()), (0, ""));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["payer"], "region");
        assert_eq!(out[0]["channel"], "region_prescription");
        assert_eq!(out[0]["trust_prescription_allowed"], true);
        assert_eq!(out[0]["rule"], "ordinary.region_prescription");
        assert_eq!(out[0]["agreement"], serde_json::json!({"region": "stockholm", "version": "2021-01-01"}));
        assert!(out[0]["explanation"]["sv"].is_string() && out[0]["explanation"]["en"].is_string());
        assert!(out[0]["source"].is_string());
    }

    #[test]
    fn a_line_missing_a_fact_the_rules_need_gives_the_questions() {
        let (code, out, _) = lines(WHEELCHAIR_SAEBO);

        assert_eq!(code, 0);
        let facts: Vec<&str> =
            out[0]["needs"].as_array().unwrap().iter().map(|n| n["fact"].as_str().unwrap()).collect();
        assert_eq!(facts, ["special_adapted", "carer_controlled"]);
        assert!(out[0]["needs"][1]["question"]["sv"].as_str().unwrap().contains("vårdarstyrning"));
    }

    #[test]
    fn invalid_lines_give_errors_naming_their_field_and_processing_continues_to_exit_code_2() {
        let input = [
            with(r#""stockholm""#, r#""atlantis""#),
            ROLLATOR_ORDINARY.to_string(),
            with(r#""120606""#, r#""12 06 0X""#),
            with(r#""2024-05-01""#, r#""2024-13-01""#),
            r#"{"region": "stockholm""#.to_string(),
            with(r#""facts": {}"#, r#""facts": {"sparkly": true}"#),
            with(r#""device""#, r#""gadget""#),
            WHEELCHAIR_SAEBO.to_string(),
        ]
        .join("\n");

        let (code, out, err) = lines(&input);

        assert_eq!(code, 2);
        let fields: Vec<&str> = out.iter().map(|l| l["error"]["field"].as_str().unwrap_or("-")).collect();
        assert_eq!(
            fields,
            ["region", "-", "product.iso", "date", "json", "product.facts.sparkly", "product.kind", "-"]
        );
        assert_eq!(out[1]["rule"], "ordinary.region_prescription");
        assert!(out[7]["needs"].is_array());
        assert_eq!(out[0]["error"]["code"], "unknown_region");
        assert_eq!(out[0]["error"]["line"], 1);
        assert!(out[0]["error"]["message"].as_str().unwrap().contains("atlantis"));
        assert!(err.contains("line 1: region: unknown region 'atlantis'"), "{err}");
        assert!(err.contains("line 6: product.facts.sparkly:"), "{err}");
        assert!(err.contains("6 of 8 requests failed"), "{err}");
    }

    #[test]
    fn blank_lines_are_skipped_and_line_numbers_count_them() {
        let input = format!("\n{ROLLATOR_ORDINARY}\r\n   \n{{}}\n\n");

        let (code, out, _) = lines(&input);

        assert_eq!((code, out.len()), (2, 2));
        assert_eq!(out[0]["rule"], "ordinary.region_prescription");
        assert_eq!(out[1]["error"]["line"], 4);
        assert_eq!(out[1]["error"]["field"], "date", "the first required field checked");
    }

    #[test]
    fn invalid_utf8_is_a_json_error_on_its_line() {
        let mut input = b"{\"region\": \"stock\xffholm\"}\n".to_vec();
        input.extend_from_slice(ROLLATOR_ORDINARY.as_bytes());
        let (mut out, mut err) = (Vec::new(), Vec::new());

        let code = run(&DecideArgs::default(), &AgreementSet::builtin(), input.as_slice(), &mut out, &mut err);

        assert_eq!(code, 2);
        let out = String::from_utf8(out).unwrap();
        let out: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(out[0]["error"]["field"], "json");
        assert_eq!(out[1]["payer"], "region");
    }

    #[test]
    fn lines_split_across_reads_are_decided_whole() {
        // A one-byte buffer splits every line across many reads.
        let input = format!("{ROLLATOR_ORDINARY}\n{WHEELCHAIR_SAEBO}\n{ROLLATOR_ORDINARY}");
        let reader = io::BufReader::with_capacity(1, input.as_bytes());
        let (mut out, mut err) = (Vec::new(), Vec::new());

        let code = run(&DecideArgs::default(), &AgreementSet::builtin(), reader, &mut out, &mut err);

        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
        let (_, expected, _) = lines(&input);
        let out: Vec<Value> =
            String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(out, expected);
        assert_eq!(out.len(), 3);
    }

    /// Lines around the contract's edges: every one the fast path accepts
    /// must parse to exactly what the domain parser gives.
    fn edge_lines() -> Vec<String> {
        let edits: &[(&str, &str)] = &[
            ("", ""),
            (r#""facts": {}"#, r#""facts": {"carer_controlled": true, "special_adapted": null}"#),
            (r#""facts": {}"#, r#""facts": null"#),
            (r#", "facts": {}"#, ""),
            (r#""facts": {}"#, r#""facts": {"carer_controlled": "yes"}"#),
            (r#""facts": {}"#, r#""facts": {"carer_controlled": true, "carer_controlled": false}"#),
            (r#""facts": {}"#, r#""facts": {"carer_\u0063ontrolled": true}"#),
            (r#""facts": {}"#, r#""facts": []"#),
            (r#""facts": {}"#, r#""facts": {"sparkly": true}"#),
            (r#"{"age": 85}"#, r#"{"age": 85.0}"#),
            (r#"{"age": 85}"#, r#"{"age": -1}"#),
            (r#"{"age": 85}"#, r#"{"age": 130}"#),
            (r#"{"age": 85}"#, r#"{"age": 131}"#),
            (r#"{"age": 85}"#, r#"{"age": null, "birth_date": "1939-03-02"}"#),
            (r#"{"age": 85}"#, r#"{"birth_date": "1939-03-02"}"#),
            (r#"{"age": 85}"#, r#"{"birth_date": "2024-05-02"}"#),
            (r#"{"age": 85}"#, r#"{"birth_date": "2024-05-01"}"#),
            (r#"{"age": 85}"#, r#"{"age": 85, "birth_date": "1939-03-02"}"#),
            (r#"{"age": 85}"#, r#"{}"#),
            (r#"{"age": 85}"#, r#"[85]"#),
            (r#"{"age": 85}"#, r#"{"age": 85, "name": "x"}"#),
            (r#""2024-05-01""#, r#""2024-5-1""#),
            (r#""2024-05-01""#, r#""2024-02-30""#),
            (r#""2024-05-01""#, r#""2024-02-29""#),
            (r#""2024-05-01""#, r#"" 2024-05-01""#),
            (r#""2024-05-01""#, r#""+2024-05-01""#),
            (r#""2024-05-01""#, r#""2024-05-01T00:00""#),
            (r#""2024-05-01""#, r#"20240501"#),
            (r#""120606""#, r#""12 06 06""#),
            (r#""120606""#, r#""12.06.06""#),
            (r#""120606""#, r#""1206""#),
            (r#""120606""#, r#""12060６""#),
            (r#""120606""#, r#"120606"#),
            (r#""stockholm""#, r#""st\u006fckholm""#),
            (r#""stockholm""#, r#""atlantis""#),
            (r#""stockholm""#, r#""[stockholm]""#),
            (r#""stockholm""#, r#"null"#),
            (r#""ordinary""#, r#""Ordinary""#),
            (r#""device""#, r#""nutrition""#),
            (r#""device""#, r#""gadget""#),
            (r#""lasting""#, r#""temporary""#),
            (r#""lasting""#, r#""forever""#),
            (r#", "need": "lasting""#, ""),
            (r#""need": "lasting""#, r#""need": "lasting", "need": "temporary""#),
            (r#""need": "lasting""#, r#""need": "lasting", "extra": 1"#),
        ];
        let mut lines: Vec<String> = edits.iter().map(|(from, to)| with(from, to)).collect();
        lines.extend(["[]", "null", "{}", "\"x\"", r#"[{"region": "stockholm"}]"#].map(String::from));
        lines
    }

    #[test]
    fn the_fast_parser_agrees_with_the_domain_parser_on_every_line_it_accepts() {
        let mut accepted = 0;
        for line in edge_lines() {
            if let Some(fast) = parse_fast(&line) {
                accepted += 1;
                assert_eq!(DecisionRequest::from_json(&line), Ok(fast), "{line}");
            }
        }
        assert!(accepted >= 10, "the fast path accepted only {accepted} lines");
    }

    #[test]
    fn the_fast_parser_takes_the_common_line() {
        assert!(parse_fast(ROLLATOR_ORDINARY).is_some());
        assert!(parse_fast(WHEELCHAIR_SAEBO).is_some());
    }

    #[test]
    fn decisions_are_the_same_with_and_without_the_fast_parser() {
        let set = AgreementSet::builtin();
        let (_, out, _) = lines(&edge_lines().join("\n"));
        for (line, got) in edge_lines().iter().zip(&out) {
            let slow = DecisionRequest::from_json(line).and_then(|r| set.decide(&r));
            match slow {
                Ok(outcome) => assert_eq!(*got, serde_json::to_value(outcome).unwrap(), "{line}"),
                Err(e) => assert_eq!(got["error"]["field"], e.field.as_str(), "{line}"),
            }
        }
    }

    #[test]
    fn empty_input_gives_no_output_and_success() {
        assert_eq!(lines(""), (0, vec![], String::new()));
    }

    #[test]
    fn costly_treatment_reimburses_75_percent_of_the_cost_above_10000_sek() {
        let (code, out, err) = costly("15000");

        assert_eq!((code, err.as_str()), (0, ""));
        let r = &out[0];
        assert_eq!((r["monthly_cost"].as_i64(), r["threshold"].as_i64()), (Some(1_500_000), Some(1_000_000)));
        assert_eq!((r["share_percent"].as_i64(), r["reimbursement"].as_i64()), (Some(75), Some(375_000)));
        assert_eq!(r["sek"]["reimbursement"], "3750.00");
        assert_eq!(r["sek"]["above_threshold"], "5000.00");
        assert_eq!(r["computation"], "75 % × max(0, 15000.00 − 10000.00) SEK = 75 % × 5000.00 SEK = 3750.00 SEK");
        assert!(r["source"].as_str().unwrap().contains("75% av kostnaden över 10 tkr"));
    }

    #[test]
    fn costly_treatment_below_the_threshold_reimburses_nothing() {
        assert_eq!(costly("10000").1[0]["reimbursement"], 0);
        assert_eq!(costly("9999.99").1[0]["reimbursement"], 0);
    }

    #[test]
    fn costly_treatment_accepts_ore_and_rounds_to_the_nearest_ore() {
        let (_, out, _) = costly("10000,05");
        // 75 % of 5 öre is 3.75 öre: 4 öre.
        assert_eq!(out[0]["reimbursement"], 4);
        assert_eq!(costly("12 345.5").1[0]["monthly_cost"], 1_234_550);
    }

    #[test]
    fn an_invalid_monthly_cost_is_refused_naming_the_option_with_exit_code_2() {
        for bad in ["", "abc", "-5", "12.345", "1e5", "12.", "99999999999999999999"] {
            let (code, out, err) = costly(bad);
            assert_eq!(code, 2, "{bad}");
            assert!(out.is_empty(), "{bad}");
            assert!(err.starts_with("ramp decide: --monthly-cost-sek: "), "{bad}: {err}");
        }
    }

    #[test]
    fn costly_treatment_is_parsed_from_the_command_line() {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            args: DecideArgs,
        }
        let cli = Cli::try_parse_from(["ramp", "--costly-treatment", "--monthly-cost-sek", "-5"]).unwrap();
        assert_eq!(cli.args.monthly_cost_sek.as_deref(), Some("-5"));
        assert!(Cli::try_parse_from(["ramp", "--costly-treatment"]).is_err(), "the amount is required");
        assert!(Cli::try_parse_from(["ramp", "--monthly-cost-sek", "5"]).is_err(), "only with --costly-treatment");
    }
}

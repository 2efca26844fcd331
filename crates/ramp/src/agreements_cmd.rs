//! `ramp agreements ...`: keeping the cost-responsibility agreement files
//! right — `check` (gaps and conflicts, with file and line), `diff` (the
//! cases whose answer changes between two versions) and `list` (regions and
//! versions in force). Exit codes: 0 clean, 1 findings (check) or I/O
//! failure, 2 a file that does not parse.

use chrono::NaiveDate;
use ramp_app::Clock;
use ramp_domain::cost::{check, diff, Agreement, AgreementError, AgreementSet, Change, Finding, FindingKind};
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The subcommands of `ramp agreements`.
#[derive(Debug, clap::Subcommand)]
pub enum AgreementsCommand {
    /// Report gaps and conflicts, each with file and line.
    ///
    /// A gap is a case the file covers that no rule answers; a conflict is
    /// two rules of equal priority that answer the same case differently.
    /// Each is printed as `file:line: gap|conflict: ...`. Exits 1 if there
    /// are any, 2 if a file does not parse (with file:line:column).
    Check {
        /// An agreement file or a directory of `<region>/<YYYY-MM-DD>.toml`.
        /// Default: --agreements-dir, else `./agreements` if it exists, else
        /// the built-in agreements.
        path: Option<PathBuf>,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the cases whose answer changes from agreement file A to B.
    ///
    /// The answer is the payer, the ordering channel and whether
    /// trust-prescription is allowed; a table by default, `--json` for JSON.
    Diff {
        /// The earlier version's file.
        a: PathBuf,
        /// The later version's file.
        b: PathBuf,
        /// Print the changes as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the regions and their versions, and which is in force today.
    ///
    /// Reads --agreements-dir, else the built-in agreements.
    List {
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Replay the lending history of a period (from the database) under a
    /// proposed agreement and print the cost shift per principal and per
    /// municipality, in SEK (a table, or --json).
    Impact(crate::impact_cmd::ImpactArgs),
}

/// Runs the subcommand on stdout and stderr.
pub fn run(cmd: AgreementsCommand, config: &crate::Config) -> ExitCode {
    let today = ramp_domain::time::stockholm_date(ramp_app::SystemClock.now());
    let (stdout, stderr) = (io::stdout(), io::stderr());
    let mut out = io::BufWriter::new(stdout.lock());
    let code = execute(cmd, config, today, &mut out, &mut stderr.lock());
    let failed_to_write = out.flush().is_err_and(|e| e.kind() != io::ErrorKind::BrokenPipe);
    ExitCode::from(if failed_to_write && code == 0 { 1 } else { code })
}

/// The testable core: runs `cmd` writing to `out` and `err`; returns the exit code.
pub fn execute(
    cmd: AgreementsCommand,
    config: &crate::Config,
    today: NaiveDate,
    out: impl Write,
    err: impl Write,
) -> u8 {
    let mut io = Io { out, err };
    let result = match cmd {
        AgreementsCommand::Check { path, json } => run_check(path.as_deref(), config, json, &mut io),
        AgreementsCommand::Diff { a, b, json } => run_diff(&a, &b, json, &mut io),
        AgreementsCommand::List { json } => run_list(config, today, json, &mut io),
        AgreementsCommand::Impact(_) => {
            let _ = writeln!(io.err, "ramp agreements impact: needs the database; run it through `ramp`");
            return 2;
        }
    };
    match result {
        Ok(code) => code,
        Err(Failure::Refused(e)) => {
            let _ = writeln!(io.err, "ramp agreements: {}", describe_error(&e));
            2
        }
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(Failure::Io(e)) => {
            let _ = writeln!(io.err, "ramp agreements: {e}");
            1
        }
    }
}

/// `file:line:column: message`, or `file: message` when the error has no
/// position (a file that cannot be read).
pub(crate) fn describe_error(e: &AgreementError) -> String {
    if e.line == 0 {
        format!("{}: {}", e.file, e.message)
    } else {
        e.to_string()
    }
}

struct Io<W, E> {
    out: W,
    err: E,
}

enum Failure {
    /// An agreement file does not parse (exit 2).
    Refused(AgreementError),
    Io(io::Error),
}

impl From<AgreementError> for Failure {
    fn from(e: AgreementError) -> Self {
        Failure::Refused(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure::Io(e.into())
    }
}

// ---- check ----

/// What `check` reads.
enum Source {
    File(PathBuf),
    Dir(PathBuf),
    Builtin,
}

impl Source {
    fn resolve(path: Option<&Path>, config: &crate::Config) -> Source {
        let local = Path::new("agreements");
        match path.or(config.agreements_dir.as_deref()) {
            Some(p) if p.is_dir() => Source::Dir(p.to_path_buf()),
            Some(p) => Source::File(p.to_path_buf()),
            None if local.is_dir() => Source::Dir(local.to_path_buf()),
            None => Source::Builtin,
        }
    }

    fn name(&self) -> String {
        match self {
            Source::File(p) | Source::Dir(p) => p.display().to_string(),
            Source::Builtin => "the built-in agreements".into(),
        }
    }

    fn load(&self) -> Result<Vec<Agreement>, AgreementError> {
        match self {
            Source::File(p) => Ok(vec![parse_file(p)?]),
            Source::Dir(p) => Ok(ramp_app::agreements::load_dir(p)?.agreements().cloned().collect()),
            Source::Builtin => Ok(AgreementSet::builtin().agreements().cloned().collect()),
        }
    }
}

/// Reads and compiles one agreement file; errors carry file:line:column.
fn parse_file(path: &Path) -> Result<Agreement, AgreementError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| AgreementError {
        file: name.clone(),
        line: 0,
        column: 0,
        message: e.to_string(),
    })?;
    Agreement::parse(&name, &text)
}

#[derive(Serialize)]
struct CheckJson<'a> {
    checked: Vec<AgreementJson<'a>>,
    gaps: usize,
    conflicts: usize,
    unreachable: usize,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct AgreementJson<'a> {
    file: &'a str,
    region: &'a str,
    version: &'a str,
}

impl<'a> AgreementJson<'a> {
    fn of(a: &'a Agreement) -> Self {
        AgreementJson { file: a.file(), region: a.region(), version: a.version() }
    }
}

fn run_check<W: Write, E: Write>(
    path: Option<&Path>,
    config: &crate::Config,
    json: bool,
    io: &mut Io<W, E>,
) -> Result<u8, Failure> {
    let source = Source::resolve(path, config);
    let agreements = source.load()?;
    let findings: Vec<Finding> = agreements.iter().flat_map(check).collect();
    let count = |kind: FindingKind| findings.iter().filter(|f| f.kind == kind).count();
    let (gaps, conflicts, unreachable) =
        (count(FindingKind::Gap), count(FindingKind::Conflict), count(FindingKind::Unreachable));
    if json {
        let checked = agreements.iter().map(AgreementJson::of).collect();
        let report = CheckJson { checked, gaps, conflicts, unreachable, findings: &findings };
        serde_json::to_writer_pretty(&mut io.out, &report)?;
        writeln!(io.out)?;
    } else {
        for f in &findings {
            writeln!(io.out, "{f}")?;
        }
        let versions: Vec<String> = agreements.iter().map(|a| format!("{} {}", a.region(), a.version())).collect();
        writeln!(
            io.out,
            "checked {} ({}): {gaps} {}, {conflicts} {}, {unreachable} unreachable {}",
            source.name(),
            versions.join(", "),
            plural(gaps, "gap", "gaps"),
            plural(conflicts, "conflict", "conflicts"),
            plural(unreachable, "rule", "rules"),
        )?;
    }
    Ok(u8::from(!findings.is_empty()))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

// ---- diff ----

#[derive(Serialize)]
struct DiffJson<'a> {
    a: AgreementJson<'a>,
    b: AgreementJson<'a>,
    changes: &'a [Change],
    /// The lost-device rule sets added, removed or changed, by id.
    lost_device_changes: &'a [String],
}

fn run_diff<W: Write, E: Write>(a: &Path, b: &Path, json: bool, io: &mut Io<W, E>) -> Result<u8, Failure> {
    let (a, b) = (parse_file(a)?, parse_file(b)?);
    if a.region() != b.region() {
        writeln!(io.err, "ramp agreements: note: comparing two regions ({} and {})", a.region(), b.region())?;
    }
    let changes = diff(&a, &b);
    let lost = lost_device_changes(&a, &b);
    if json {
        let doc = DiffJson {
            a: AgreementJson::of(&a),
            b: AgreementJson::of(&b),
            changes: &changes,
            lost_device_changes: &lost,
        };
        serde_json::to_writer_pretty(&mut io.out, &doc)?;
        writeln!(io.out)?;
        return Ok(0);
    }
    let count = match changes.len() {
        0 => "no case changes its answer".to_string(),
        1 => "1 case changes its answer".to_string(),
        n => format!("{n} cases change their answer"),
    };
    let (va, vb) = (format!("{} {}", a.region(), a.version()), format!("{} {}", b.region(), b.version()));
    writeln!(io.out, "{va} ({}) -> {vb} ({}): {count}", a.file(), b.file())?;
    if !changes.is_empty() {
        writeln!(io.out)?;
        write_table(&mut io.out, &change_rows(&changes))?;
    }
    for line in &lost {
        writeln!(io.out, "lost devices: {line}")?;
    }
    Ok(0)
}

/// What changed in the `[[lost_device]]` rule sets, one line per set id.
fn lost_device_changes(a: &ramp_domain::cost::Agreement, b: &ramp_domain::cost::Agreement) -> Vec<String> {
    let describe = |r: &ramp_domain::charges::LostDeviceRules| {
        let units = if r.unit_kinds.is_empty() { "every unit".to_string() } else { r.unit_kinds.join(", ") };
        format!(
            "{}{} for {units}: main device at least {} %, accessory {} %, nothing below {}, {}",
            r.id,
            if r.pilot { " (pilot)" } else { "" },
            r.main_device_minimum_percent,
            r.accessory_percent,
            r.minimum_charge,
            if r.only_in_assortment { "only in the assortment" } else { "in or out of the assortment" }
        )
    };
    let (old, new) = (a.lost_device_rule_sets(), b.lost_device_rule_sets());
    let mut out = Vec::new();
    for r in old {
        match new.iter().find(|n| n.id == r.id) {
            None => out.push(format!("removed {}", describe(r))),
            Some(n) if describe(n) != describe(r) => out.push(format!("changed {} -> {}", describe(r), describe(n))),
            Some(_) => {}
        }
    }
    out.extend(new.iter().filter(|n| !old.iter().any(|r| r.id == n.id)).map(|n| format!("added {}", describe(n))));
    out
}

const DIFF_HEADER: [&str; 8] = ["ISO", "kind", "setting", "need", "age", "facts", "before", "after"];

fn change_rows(changes: &[Change]) -> Vec<[String; 8]> {
    let mut rows = vec![DIFF_HEADER.map(String::from)];
    rows.extend(changes.iter().map(|c| {
        let case = &c.case;
        let age = match case.birth_year {
            Some(y) => format!("{} (born {y})", case.age),
            None => case.age.to_string(),
        };
        let facts: Vec<String> = case.facts.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let facts = if facts.is_empty() { "-".to_string() } else { facts.join(",") };
        [
            case.iso.clone(),
            case.kind.to_string(),
            case.setting.to_string(),
            case.need.to_string(),
            age,
            facts,
            c.before.to_string(),
            c.after.to_string(),
        ]
    }));
    rows
}

/// Left-aligned columns, two spaces apart; the first row is the header.
fn write_table<const N: usize>(out: &mut impl Write, rows: &[[String; N]]) -> io::Result<()> {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  "));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

// ---- list ----

#[derive(Serialize)]
struct RegionJson<'a> {
    region: &'a str,
    name: &'a str,
    versions: Vec<VersionJson<'a>>,
}

#[derive(Serialize)]
struct VersionJson<'a> {
    version: &'a str,
    status: Status,
    title: &'a str,
    file: &'a str,
}

/// Where a version stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    InForce,
    Superseded,
    Future,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::InForce => "in force",
            Status::Superseded => "superseded",
            Status::Future => "not yet in force",
        }
    }
}

fn run_list<W: Write, E: Write>(
    config: &crate::Config,
    today: NaiveDate,
    json: bool,
    io: &mut Io<W, E>,
) -> Result<u8, Failure> {
    let set = match &config.agreements_dir {
        Some(dir) => ramp_app::agreements::load_dir(dir)?,
        None => AgreementSet::builtin(),
    };
    let regions: Vec<RegionJson> = set.regions().iter().map(|r| region_json(&set, &r.code, today)).collect();
    if json {
        serde_json::to_writer_pretty(&mut io.out, &regions)?;
        writeln!(io.out)?;
        return Ok(0);
    }
    let source = config.agreements_dir.as_ref().map_or("the built-in agreements".into(), |d| d.display().to_string());
    writeln!(io.out, "agreements from {source}, on {today}:\n")?;
    let mut rows = vec![["region", "name", "version", "status", "file", "title"].map(String::from)];
    for r in &regions {
        for v in &r.versions {
            let row = [r.region, r.name, v.version, v.status.label(), v.file, v.title];
            rows.push(row.map(String::from));
        }
    }
    write_table(&mut io.out, &rows)?;
    Ok(0)
}

fn region_json<'a>(set: &'a AgreementSet, code: &str, today: NaiveDate) -> RegionJson<'a> {
    let versions: Vec<&Agreement> = set.agreements().filter(|a| a.region() == code).collect();
    let in_force = set.in_force(code, today).map(|a| a.version());
    let status = |a: &Agreement| match (Some(a.version()) == in_force, a.effective_from() > today) {
        (true, _) => Status::InForce,
        (false, true) => Status::Future,
        (false, false) => Status::Superseded,
    };
    let latest = versions.last().expect("a region has at least one version");
    RegionJson {
        region: latest.region(),
        name: latest.region_name(),
        versions: versions
            .iter()
            .map(|a| VersionJson { version: a.version(), status: status(a), title: a.title(), file: a.file() })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn config(dir: Option<PathBuf>) -> crate::Config {
        crate::Config {
            database_url: "sqlite::memory:".into(),
            database_max_connections: 1,
            listen: None,
            agreements_dir: dir,
            json_logs: false,
            cookie_secure: None,
            agreement_region: "stockholm".into(),
            agreement_region_given: true,
            reservation_minutes: 30,
            oidc: None,
            emergency_access_roles: vec![ramp_domain::role::Role::Prescriber],
            mqtt_password_file: None,
            mqtt_url: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 5, 1).unwrap()
    }

    /// Runs the command; returns (exit code, stdout, stderr).
    fn agreements(cmd: AgreementsCommand, dir: Option<PathBuf>) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = execute(cmd, &config(dir), today(), &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    fn shipped_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../agreements")
    }

    fn stockholm_text() -> &'static str {
        let files = AgreementSet::builtin_files();
        files.iter().find(|(path, _)| path.contains("stockholm")).map(|(_, text)| *text).unwrap()
    }

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            static N: AtomicU32 = AtomicU32::new(0);
            let unique =
                format!("ramp-agreements-cmd-{name}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
            let dir = std::env::temp_dir().join(unique);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn write(&self, relative: &str, text: &str) -> PathBuf {
            let path = self.0.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A SÄBO-devices scope over class 12 with rules for 12 06 and 12 36
    /// only (a gap, at the scope on line 6) and two rules of equal priority
    /// that disagree about 12 36 03 (a conflict, at the second on line 40).
    const BROKEN: &str = include_str!("../../domain/tests/fixtures/testland-broken.toml");

    #[test]
    fn check_of_the_shipped_agreements_directory_is_clean() {
        let cmd = AgreementsCommand::Check { path: Some(shipped_dir()), json: false };

        let (code, out, err) = agreements(cmd, None);

        assert_eq!(code, 0, "{out}{err}");
        assert!(
            out.contains(
                "(sormland 2021-01-01, stockholm 2021-01-01, vastra_gotaland 2021-01-01, vastra_gotaland 2024-03-01)"
            ),
            "{out}"
        );
        assert!(out.ends_with("0 gaps, 0 conflicts, 0 unreachable rules\n"), "{out}");
    }

    #[test]
    fn check_without_a_path_uses_the_configured_directory_and_the_builtins_are_clean() {
        let (code, out, _) = agreements(AgreementsCommand::Check { path: None, json: false }, Some(shipped_dir()));
        assert_eq!(code, 0, "{out}");
        let (code, out, _) = agreements(AgreementsCommand::Check { path: None, json: true }, None);
        assert_eq!(code, 0, "{out}");
        let doc: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["findings"], Value::Array(vec![]));
        assert_eq!(doc["checked"].as_array().unwrap().len(), 4);
    }

    #[test]
    fn check_of_a_broken_file_reports_each_gap_conflict_and_unreachable_rule_with_file_and_line_and_exits_1() {
        let tmp = TempDir::new("check-broken");
        let file = tmp.write("testland/2022-01-01.toml", BROKEN);
        let name = file.display().to_string();

        let (code, out, _) = agreements(AgreementsCommand::Check { path: Some(file), json: false }, None);

        assert_eq!(code, 1, "{out}");
        assert!(out.contains(&format!("{name}:6: gap: no rule answers ISO 129999 device in saebo")), "{out}");
        assert!(
            out.contains(&format!("{name}:40: conflict: rule 'lifts_municipality' and rule 'lifts_region'")),
            "{out}"
        );
        assert!(
            out.contains(&format!("{name}:40: unreachable: rule 'lifts_municipality' can never decide any case")),
            "the later of two conflicting rules never answers: {out}"
        );
        assert!(out.ends_with("1 gap, 1 conflict, 1 unreachable rule\n"), "{out}");
    }

    #[test]
    fn check_as_json_gives_the_findings_with_their_lines() {
        let tmp = TempDir::new("check-json");
        let file = tmp.write("testland/2022-01-01.toml", BROKEN);

        let (code, out, _) = agreements(AgreementsCommand::Check { path: Some(file), json: true }, None);

        assert_eq!(code, 1);
        let doc: Value = serde_json::from_str(&out).unwrap();
        let lines: Vec<(&str, u64)> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["kind"].as_str().unwrap(), f["line"].as_u64().unwrap()))
            .collect();
        assert!(lines.contains(&("gap", 6)) && lines.contains(&("conflict", 40)), "{lines:?}");
        assert_eq!(doc["conflicts"], 1);
    }

    #[test]
    fn check_of_a_file_that_does_not_parse_names_file_line_and_column_and_exits_2() {
        let tmp = TempDir::new("check-syntax");
        let text = BROKEN.replacen("priority = 10\n", "priority = = 10\n", 1);
        let file = tmp.write("testland/2022-01-01.toml", &text);
        let name = file.display().to_string();

        let (code, out, err) = agreements(AgreementsCommand::Check { path: Some(file), json: false }, None);

        assert_eq!((code, out.as_str()), (2, ""));
        assert!(err.starts_with(&format!("ramp agreements: {name}:16:12: ")), "{err}");
    }

    #[test]
    fn check_of_a_directory_with_a_broken_file_exits_2() {
        let tmp = TempDir::new("check-dir");
        tmp.write("stockholm/2021-01-01.toml", stockholm_text());
        tmp.write("stockholm/2023-01-01.toml", "region = \"stockholm\"\nregion_name = 5\n");

        let (code, _, err) = agreements(AgreementsCommand::Check { path: Some(tmp.0.clone()), json: false }, None);

        assert_eq!(code, 2);
        assert!(err.contains("2023-01-01.toml:2:"), "{err}");
    }

    #[test]
    fn check_of_a_missing_file_says_so_and_exits_2() {
        let path = std::env::temp_dir().join("ramp-no-such-agreement.toml");
        let (code, _, err) = agreements(AgreementsCommand::Check { path: Some(path), json: false }, None);
        assert_eq!(code, 2);
        assert!(err.contains("ramp-no-such-agreement.toml: "), "{err}");
    }

    /// From 2023-01-01 rollators (12 06) leave the SÄBO list: the region pays.
    fn stockholm_2023(tmp: &TempDir) -> PathBuf {
        let text = stockholm_text().replace("effective_from = 2021-01-01", "effective_from = 2023-01-01");
        let changed = text.replace(r#""12 03", "12 06", "12 31""#, r#""12 03", "12 31""#);
        assert_ne!(changed, text, "fixture edit did not apply");
        tmp.write("stockholm/2023-01-01.toml", &changed)
    }

    #[test]
    fn diff_of_two_versions_lists_the_cases_whose_answer_changes() {
        let tmp = TempDir::new("diff");
        let old = tmp.write("stockholm/2021-01-01.toml", stockholm_text());
        let new = stockholm_2023(&tmp);

        let (code, out, err) = agreements(AgreementsCommand::Diff { a: old, b: new, json: false }, None);

        assert_eq!((code, err.as_str()), (0, ""));
        let mut lines = out.lines();
        let head = lines.next().unwrap();
        assert!(head.contains("stockholm 2021-01-01") && head.contains("-> stockholm 2023-01-01"), "{head}");
        assert!(head.contains("cases change their answer") || head.contains("1 case changes"), "{head}");
        let table: Vec<&str> = lines.skip(1).collect();
        assert!(table[0].starts_with("ISO") && table[0].contains("before") && table[0].contains("after"));
        assert!(table.len() > 1);
        for row in &table[1..] {
            assert!(row.starts_with("1206"), "{row}");
            assert!(row.contains("municipality via") && row.contains("region via"), "{row}");
        }
    }

    #[test]
    fn diff_as_json_gives_each_case_before_and_after() {
        let tmp = TempDir::new("diff-json");
        let old = tmp.write("stockholm/2021-01-01.toml", stockholm_text());
        let new = stockholm_2023(&tmp);

        let (code, out, _) = agreements(AgreementsCommand::Diff { a: old, b: new, json: true }, None);

        assert_eq!(code, 0);
        let doc: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["b"]["version"], "2023-01-01");
        let changes = doc["changes"].as_array().unwrap();
        assert!(!changes.is_empty());
        for c in changes {
            assert_eq!(
                (c["before"]["payer"].as_str(), c["after"]["payer"].as_str()),
                (Some("municipality"), Some("region"))
            );
        }
    }

    /// Seed 004: "Start i mars 2024", "Primärvård och SU ingår i pilotprojektet".
    #[test]
    fn diff_of_the_demo_regions_versions_shows_the_lost_device_pilot_added() {
        let dir = shipped_dir().join("vastra_gotaland");
        let (a, b) = (dir.join("2021-01-01.toml"), dir.join("2024-03-01.toml"));

        let (code, out, _) = agreements(AgreementsCommand::Diff { a: a.clone(), b: b.clone(), json: false }, None);
        let (_, json, _) = agreements(AgreementsCommand::Diff { a, b, json: true }, None);

        assert_eq!(code, 0);
        assert!(out.contains("no case changes its answer"), "{out}");
        assert!(
            out.contains(
                "lost devices: added lost_device.pilot_2024 (pilot) for primary_care, hospital_ward: main device at least 20 %, accessory 50 %, nothing below 1\u{a0}000,00\u{a0}kr, only in the assortment"
            ),
            "{out}"
        );
        let doc: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["lost_device_changes"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn a_lost_device_rule_set_with_a_bad_share_or_unit_kind_is_refused_at_its_line() {
        let tmp = TempDir::new("lost-bad");
        let base = stockholm_text().to_string();
        for (bad, message) in [
            ("accessory_percent = 150", "a percentage must be 0 to 100"),
            ("unit_kinds = [\"castle\"]\naccessory_percent = 50", "unknown unit kind 'castle'"),
        ] {
            let text = format!(
                "{base}\n[[lost_device]]\nid = \"x\"\nmain_device_minimum_percent = 0\n{bad}\nminimum_charge_kr = 0\nonly_in_assortment = false\nbasis = \"interpretation\"\nsource = \"seed000\"\nquote = \"-\"\n"
            );
            let file = tmp.write("stockholm/2021-01-01.toml", &text);
            let (code, _, err) = agreements(AgreementsCommand::Check { path: Some(file), json: false }, None);
            assert_eq!(code, 2, "{err}");
            assert!(err.contains(message), "{err}");
            assert!(err.contains("2021-01-01.toml:"), "file and line: {err}");
        }
    }

    #[test]
    fn diff_of_a_version_with_itself_lists_nothing() {
        let tmp = TempDir::new("diff-same");
        let old = tmp.write("stockholm/2021-01-01.toml", stockholm_text());

        let (code, out, _) = agreements(AgreementsCommand::Diff { a: old.clone(), b: old, json: false }, None);

        assert_eq!(code, 0);
        assert!(out.trim_end().ends_with("no case changes its answer"), "{out}");
    }

    #[test]
    fn list_shows_each_region_and_the_version_in_force() {
        let tmp = TempDir::new("list");
        tmp.write("stockholm/2021-01-01.toml", stockholm_text());
        stockholm_2023(&tmp);
        let future = stockholm_text().replace("effective_from = 2021-01-01", "effective_from = 2030-01-01");
        tmp.write("stockholm/2030-01-01.toml", &future);

        let (code, out, _) = agreements(AgreementsCommand::List { json: true }, Some(tmp.0.clone()));

        assert_eq!(code, 0);
        let doc: Value = serde_json::from_str(&out).unwrap();
        let statuses: Vec<(&str, &str)> = doc[0]["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["version"].as_str().unwrap(), v["status"].as_str().unwrap()))
            .collect();
        assert_eq!(statuses, [("2021-01-01", "superseded"), ("2023-01-01", "in_force"), ("2030-01-01", "future")]);
    }

    #[test]
    fn list_of_the_builtin_agreements_is_a_table() {
        let (code, out, _) = agreements(AgreementsCommand::List { json: false }, None);

        assert_eq!(code, 0);
        assert!(out.starts_with("agreements from the built-in agreements, on 2024-05-01:"), "{out}");
        let rows: Vec<&str> = out.lines().filter(|l| l.contains("in force")).collect();
        assert_eq!(rows.len(), 3, "{out}");
        assert!(rows.iter().any(|r| r.starts_with("stockholm") && r.contains("Region Stockholm")), "{out}");
        assert!(
            rows.iter().any(|r| r.starts_with("vastra_gotaland") && r.contains("Västra Götalandsregionen")),
            "{out}"
        );
        assert!(rows.iter().any(|r| r.starts_with("sormland") && r.contains("2021-01-01")), "{out}");
    }
}

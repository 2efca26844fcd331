//! `ramp agreements impact`: replays the period's lending history from the
//! database under a proposed agreement and prints the cost shift per
//! principal and per municipality.

use crate::{db, CliError, Config};
use chrono::NaiveDate;
use clap::Args;
use ramp_domain::cost::{Agreement, AgreementSet, ImpactReport};
use ramp_domain::money::Ore;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// The proposed agreement file (`<region>/<YYYY-MM-DD>.toml` format).
    #[arg(long)]
    pub proposal: PathBuf,
    /// First day of the period to replay (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// Last day of the period to replay (YYYY-MM-DD).
    #[arg(long)]
    pub to: String,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

fn date(flag: &str, s: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| CliError::input(format!("{flag}: '{s}' is not a date (YYYY-MM-DD)")))
}

fn current_agreements(config: &Config) -> Result<AgreementSet, CliError> {
    match &config.agreements_dir {
        Some(dir) => ramp_app::agreements::load_dir(dir).map_err(|e| CliError::input(format!("agreements: {e}"))),
        None => Ok(AgreementSet::builtin()),
    }
}

fn sek(ore: i64) -> String {
    Ore(ore).format_sv().replace('\u{a0}', " ")
}

/// The report as a table. Write errors (a closed pipe) end the output quietly.
fn print_table(
    out: &mut impl Write,
    r: &ImpactReport,
    proposal: &Agreement,
    from: NaiveDate,
    to: NaiveDate,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Impact of {} (version {}) on lending {from}..{to}: {} lines, {} change payer, {} outside the agreement",
        proposal.region_name(),
        proposal.version(),
        r.lines,
        r.changed_lines,
        r.undecided_lines
    )?;
    writeln!(out, "(a fact the agreement asks about is taken as 'no'; a line costs the article's purchase price)\n")?;
    writeln!(out, "{:<28} {:>18} {:>18} {:>18}", "payer", "current", "proposal", "shift")?;
    for (payer, s) in &r.per_payer {
        writeln!(out, "{payer:<28} {:>18} {:>18} {:>18}", sek(s.current), sek(s.proposal), sek(s.delta()))?;
    }
    let mut munis: Vec<_> = r.per_municipality.iter().collect();
    munis.sort_by_key(|(name, s)| (std::cmp::Reverse(s.delta().abs()), (*name).clone()));
    if !munis.is_empty() {
        writeln!(out, "\n{:<28} {:>18} {:>18} {:>18}", "municipality", "current", "proposal", "shift")?;
        for (name, s) in munis {
            writeln!(out, "{name:<28} {:>18} {:>18} {:>18}", sek(s.current), sek(s.proposal), sek(s.delta()))?;
        }
    }
    out.flush()
}

pub async fn run(args: ImpactArgs, config: &Config) -> Result<(), CliError> {
    let from = date("--from", &args.from)?;
    let to = date("--to", &args.to)?;
    let text = std::fs::read_to_string(&args.proposal)
        .map_err(|e| CliError::input(format!("--proposal: cannot read {}: {e}", args.proposal.display())))?;
    let name = args.proposal.display().to_string();
    let proposal = Agreement::parse(&name, &text).map_err(|e| CliError::input(format!("--proposal: {e}")))?;
    let current = current_agreements(config)?;
    let storage = db::open_migrated(config).await?;
    let report = ramp_app::impact::simulate(storage.as_ref(), &current, &proposal, from, to).await?;
    if args.json {
        let json = serde_json::json!({
            "region": proposal.region(), "proposal_version": proposal.version(),
            "from": from, "to": to, "report": report,
            "assumptions": "facts the agreement asks about are taken as false; a line costs the article's purchase price (öre)"
        });
        let _ = writeln!(std::io::stdout().lock(), "{json}");
    } else {
        let _ = print_table(&mut std::io::stdout().lock(), &report, &proposal, from, to);
    }
    Ok(())
}

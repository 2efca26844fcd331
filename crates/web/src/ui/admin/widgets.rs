//! What the admin forms share: a labelled select, a fieldset of
//! checkboxes, the competence rows, the submitted form as pairs (forms
//! with repeated names: roles, competences), and the labels of the
//! vocabularies in the page's language (never a raw value on screen).

use crate::i18n::Lang;
use crate::ui::page::Page;
use ramp_app::admin::Reference;
use ramp_app::model::CompetencePeriod;
use ramp_app::AppError;
use ramp_domain::role::Role;
use ramp_domain::unit::UnitKind;
use ramp_domain::Term;

/// A submitted form, every name and value in order.
pub type Pairs = Vec<(String, String)>;

/// The first value of `name`, or empty.
pub fn one(form: &Pairs, name: &str) -> String {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
}

/// Every value of `name`.
pub fn many(form: &Pairs, name: &str) -> Vec<String> {
    form.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
}

/// A labelled `<select>` (`admin_select.html`).
pub struct Select {
    pub name: String,
    pub label: String,
    pub options: Vec<(String, String)>,
    pub selected: String,
    pub error: Option<String>,
}

impl Select {
    pub fn new(page: &Page, name: &str, label: &str, options: Vec<(String, String)>, selected: &str) -> Select {
        Select {
            name: name.into(),
            label: label.into(),
            options,
            selected: selected.into(),
            error: page.error_for(name).map(str::to_string),
        }
    }
}

/// A fieldset of checkboxes (`admin_checks.html`); the first box carries
/// the field's id, so the error summary's link lands on it.
pub struct Checks {
    pub name: String,
    pub legend: String,
    /// (value, label, checked)
    pub options: Vec<(String, String, bool)>,
    pub error: Option<String>,
}

impl Checks {
    pub fn roles(page: &Page, checked: &[String]) -> Checks {
        Checks {
            name: "roles".into(),
            legend: page.t("admin.roles").into(),
            options: Role::ALL
                .iter()
                .map(|r| {
                    (
                        r.as_str().to_string(),
                        role_name(page.lang, *r).to_string(),
                        checked.iter().any(|c| c == r.as_str()),
                    )
                })
                .collect(),
            error: page.error_for("roles").map(str::to_string),
        }
    }
}

/// One competence on a user's form: whether held, and its period as typed.
pub struct CompetenceRow {
    pub code: String,
    pub label: String,
    pub held: bool,
    pub from: String,
    pub to: String,
    pub from_error: Option<String>,
    pub to_error: Option<String>,
}

/// The competence rows: from the submitted form when there is one, else
/// from the user's competences.
pub fn competence_rows(
    page: &Page,
    reference: &Reference,
    stored: &[CompetencePeriod],
    form: Option<&Pairs>,
) -> Vec<CompetenceRow> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    reference
        .competences()
        .into_iter()
        .map(|(code, area)| {
            let (held, from, to) = match form {
                Some(f) => (
                    many(f, "competence").iter().any(|c| c == code),
                    one(f, &format!("from_{code}")),
                    one(f, &format!("to_{code}")),
                ),
                None => match stored.iter().find(|c| c.competence == code) {
                    Some(c) => (true, date(c.valid_from), date(c.valid_to)),
                    None => (false, String::new(), String::new()),
                },
            };
            CompetenceRow {
                code: code.to_string(),
                label: match page.lang {
                    Lang::Sv => area.name_sv.clone(),
                    Lang::En => area.name_en.clone(),
                },
                held,
                from,
                to,
                from_error: page.error_for(&format!("from_{code}")).map(str::to_string),
                to_error: page.error_for(&format!("to_{code}")).map(str::to_string),
            }
        })
        .collect()
}

/// The competences ticked on a form, with their typed periods (a date
/// error names the row's field, `from_<code>` or `to_<code>`).
pub fn competences_of(form: &Pairs) -> Result<Vec<CompetencePeriod>, AppError> {
    many(form, "competence")
        .into_iter()
        .map(|code| {
            let from = one(form, &format!("from_{code}"));
            let to = one(form, &format!("to_{code}"));
            Ok(CompetencePeriod {
                valid_from: ramp_app::dates::parse_optional_date(&format!("from_{code}"), Some(&from), "2026-01-01")?,
                valid_to: ramp_app::dates::parse_optional_date(&format!("to_{code}"), Some(&to), "2027-12-31")?,
                competence: code,
            })
        })
        .collect()
}

/// An error about `competences[i].…` moved to the form row it came from.
pub fn competence_error(mut e: AppError, list: &[CompetencePeriod]) -> AppError {
    if let Some(field) = e.field.clone() {
        if let Some(rest) = field.strip_prefix("competences[") {
            let (index, what) = rest.split_once("].").unwrap_or((rest, ""));
            if let Some(c) = index.parse::<usize>().ok().and_then(|i| list.get(i)) {
                let prefix = if what == "valid_from" { "from" } else { "to" };
                e.field = Some(format!("{prefix}_{}", c.competence));
            }
        }
    }
    e
}

pub fn role_name(lang: Lang, r: Role) -> &'static str {
    match lang {
        Lang::Sv => r.name_sv(),
        Lang::En => r.name_en(),
    }
}

/// A unit kind's name; a kind outside the vocabulary (older data) as stored.
pub fn unit_kind_name(lang: Lang, kind: &str) -> String {
    match UnitKind::parse(kind) {
        Ok(k) => match lang {
            Lang::Sv => k.name_sv(),
            Lang::En => k.name_en(),
        }
        .to_string(),
        Err(_) => kind.to_string(),
    }
}

pub fn unit_kinds(lang: Lang) -> Vec<(String, String)> {
    UnitKind::ALL.iter().map(|k| (k.as_str().to_string(), unit_kind_name(lang, k.as_str()))).collect()
}

pub fn principal_kind_name(lang: Lang, kind: &str) -> &'static str {
    lang.t(if kind == "region" { "admin.kind.region" } else { "admin.kind.municipality" })
}

/// The principals as choices.
pub fn principal_options(reference: &Reference) -> Vec<(String, String)> {
    reference.principals.iter().map(|p| (p.principal.id.to_string(), p.principal.name.clone())).collect()
}

/// Customer numbers as choices ("100001 – Vårdcentralen Solna"), of one principal when given.
pub fn customer_number_options(reference: &Reference, principal: Option<i64>) -> Vec<(String, String)> {
    reference
        .principals
        .iter()
        .filter(|p| principal.is_none_or(|id| p.principal.id == id))
        .flat_map(|p| {
            p.customer_numbers
                .iter()
                .map(move |c| (c.id.to_string(), format!("{} – {} ({})", c.number, c.name, p.principal.name)))
        })
        .collect()
}

/// Active units as choices, with "no unit" first.
pub fn unit_options(lang: Lang, reference: &Reference, principal: Option<i64>) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), lang.t("admin.no_unit").to_string())];
    out.extend(reference.units.iter().filter(|u| u.active && principal.is_none_or(|p| u.principal_id == p)).map(|u| {
        (u.id.to_string(), format!("{} ({})", u.name, reference.principal_name(u.principal_id).unwrap_or("")))
    }));
    out
}

/// An id typed or chosen in a form; anything else names the field.
pub fn id_of(form: &Pairs, name: &str) -> Result<i64, AppError> {
    one(form, name).parse().map_err(|_| AppError::invalid(name, "required", format!("choose {name}")))
}

/// An optional id (blank: none).
pub fn optional_id(form: &Pairs, name: &str) -> Result<Option<i64>, AppError> {
    let v = one(form, name);
    if v.is_empty() {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|_| AppError::invalid(name, "required", format!("choose {name}")))
}

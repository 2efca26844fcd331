//! A form field as the desk and workshop pages render it: label, value,
//! and the error beside it (with `aria-invalid` and `aria-describedby`),
//! so many similar fields share one template (`field.html`).

use super::page::Page;

pub struct Field {
    /// The input's id and name (also the error's field, e.g. `devices[1].device_number`).
    pub name: String,
    pub label: String,
    pub value: String,
    /// `text`, `number`, `date` or `textarea`.
    pub kind: &'static str,
    pub required: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub maxlength: u32,
}

impl Field {
    pub fn new(page: &Page, name: &str, label: &str, value: &str) -> Field {
        Field {
            name: name.to_string(),
            label: label.to_string(),
            value: value.to_string(),
            kind: "text",
            required: false,
            hint: None,
            error: page.error_for(name).map(str::to_string),
            maxlength: 200,
        }
    }

    pub fn kind(mut self, kind: &'static str) -> Field {
        self.kind = kind;
        self
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &str) -> Field {
        self.hint = Some(hint.to_string());
        self
    }

    pub fn max(mut self, n: u32) -> Field {
        self.maxlength = n;
        self
    }

    /// What `aria-describedby` names: the hint and the error, if any.
    pub fn described_by(&self) -> String {
        let mut ids = vec![];
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// Kronor as typed ("2 800", "2800,50", "2800.5") to öre; `None` if not an amount.
pub fn kronor_to_ore(s: &str) -> Option<i64> {
    let t: String = s.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    let t = t.strip_suffix("kr").unwrap_or(&t).replace(',', ".");
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let kr: i64 = whole.parse().ok()?;
    let ore: i64 = format!("{frac:0<2}").parse().ok()?;
    kr.checked_mul(100)?.checked_add(ore)
}

#[cfg(test)]
mod tests {
    use super::kronor_to_ore;

    #[test]
    fn kronor_become_ore() {
        assert_eq!(kronor_to_ore("2800"), Some(280_000));
        assert_eq!(kronor_to_ore("2 800,50"), Some(280_050));
        assert_eq!(kronor_to_ore("12.5"), Some(1_250));
        assert_eq!(kronor_to_ore("99 kr"), Some(9_900));
        assert_eq!(kronor_to_ore("-5"), None);
        assert_eq!(kronor_to_ore("1,234"), None);
        assert_eq!(kronor_to_ore(""), None);
        assert_eq!(kronor_to_ore("abc"), None);
    }
}

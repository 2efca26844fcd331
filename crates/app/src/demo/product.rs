//! The product pages' data for the demo catalog: plausible technical data
//! and a handbook paragraph per product type for main devices and
//! accessories, and one simple drawn picture (SVG) per product type.
//! Values are a pure function of the article (its ISO code and id), so
//! the random streams of the rest of the demo are left as they were.

use super::divisions::{Division, DIVISIONS};
use ramp_domain::article::ArticleKind;
use ramp_domain::product::{TechKey, TechRow};
use ramp_model::{Article, ArticleDetails, ProductImage};

fn division(iso: &str) -> Option<&'static Division> {
    DIVISIONS.iter().find(|d| d.iso == iso)
}

/// A number from `choices`, picked by the article id (stable across runs).
fn pick<T: Copy>(id: i64, salt: u64, choices: &[T]) -> T {
    let h = (id as u64).wrapping_add(salt).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 33;
    choices[(h % choices.len() as u64) as usize]
}

fn row(key: TechKey, value: impl ToString) -> TechRow {
    TechRow { key, value: value.to_string() }
}

/// The technical data of a main device by the first four digits of its ISO code.
fn main_device_data(iso: &str, id: i64) -> Vec<TechRow> {
    let p = |salt, c: &[u32]| pick(id, salt, c);
    match &iso[..4.min(iso.len())] {
        "1206" => vec![
            row(TechKey::MaxUserWeightKg, p(1, &[130, 150, 150, 180])),
            row(TechKey::WidthCm, p(2, &[58, 60, 62, 64, 66])),
            row(TechKey::HandleHeightCm, format!("{}–{}", p(3, &[72, 75, 78]), p(4, &[92, 95, 98]))),
            row(TechKey::SeatHeightCm, p(5, &[52, 55, 58, 61])),
            row(TechKey::WeightKg, format!("{},{}", p(6, &[6, 7, 8, 9]), p(7, &[0, 5]))),
            row(TechKey::FoldedWidthCm, p(8, &[20, 22, 25, 28])),
        ],
        "1222" | "1223" | "1809" => {
            let mut rows = vec![
                row(TechKey::MaxUserWeightKg, p(1, &[120, 125, 135, 150, 160])),
                row(TechKey::SeatWidthCm, p(2, &[38, 40, 42, 44, 46, 48, 50])),
                row(TechKey::SeatDepthCm, p(3, &[40, 42, 44, 46])),
                row(TechKey::SeatHeightCm, format!("{}–{}", p(4, &[40, 42, 44]), p(5, &[48, 50, 52]))),
                row(TechKey::WidthCm, p(6, &[56, 58, 60, 62, 64, 66])),
                row(TechKey::WeightKg, p(7, &[13, 14, 15, 16, 18, 20])),
            ];
            if iso.starts_with("1223") {
                rows.push(row(TechKey::BatteryRangeKm, p(8, &[20, 25, 30, 35])));
                rows.push(row(TechKey::MaxSpeedKmh, p(9, &[6, 6, 10])));
            }
            rows
        }
        "1812" | "0433" => vec![
            row(TechKey::MaxUserWeightKg, p(1, &[135, 180, 200, 250])),
            row(TechKey::WidthCm, p(2, &[80, 85, 90])),
            row(TechKey::LengthCm, p(3, &[200, 200, 210])),
            row(TechKey::Material, pick(id, 4, &["Stål, pulverlackerat", "Kallskum", "Viskoelastiskt skum"])),
        ],
        "1236" => vec![
            row(TechKey::LiftCapacityKg, p(1, &[150, 175, 200, 250])),
            row(TechKey::WidthCm, p(2, &[60, 65, 70])),
            row(TechKey::WeightKg, p(3, &[28, 32, 36, 40])),
        ],
        "0912" | "0933" => vec![
            row(TechKey::MaxUserWeightKg, p(1, &[130, 150, 160, 200])),
            row(TechKey::SeatHeightCm, format!("{}–{}", p(2, &[42, 45, 48]), p(3, &[55, 58, 62]))),
            row(TechKey::WidthCm, p(4, &[52, 55, 58])),
            row(TechKey::WeightKg, p(5, &[5, 7, 9, 12])),
        ],
        _ => vec![
            row(TechKey::WeightKg, format!("{},{}", p(1, &[0, 1, 2, 3]), p(2, &[2, 4, 5, 8]))),
            row(TechKey::Material, pick(id, 3, &["Plast", "Aluminium", "Plast och metall"])),
        ],
    }
}

fn handbook_text(d: &Division, kind: ArticleKind) -> String {
    let code = ramp_domain::ids::IsoCode::parse(d.iso).map(|c| c.display()).unwrap_or_default();
    match kind {
        ArticleKind::Accessory => format!(
            "Tillbehör till {} (ISO {code}). Förskrivs tillsammans med huvudhjälpmedlet när behovet är \
             bedömt; kontrollera att tillbehöret passar den modell patienten har.",
            d.name.to_lowercase()
        ),
        _ => format!(
            "{} (ISO {code}). Förskrivs efter en behovsbedömning som visar att {} kompenserar en \
             nedsatt funktion i patientens vardag. Prova ut hjälpmedlet med patienten, instruera om \
             användning och skötsel, och följ upp att målet med förskrivningen nås. Välj i första hand \
             artikel ur ersättningsgruppen som finns i lager.",
            d.name,
            d.noun.to_lowercase()
        ),
    }
}

/// The details of the articles that have a product page worth reading:
/// main devices and accessories (spare parts and consumables get none).
pub fn details(articles: &[Article]) -> Vec<ArticleDetails> {
    articles
        .iter()
        .filter(|a| matches!(a.kind, ArticleKind::MainDevice | ArticleKind::Accessory))
        .filter_map(|a| {
            let d = division(a.iso_code.as_str())?;
            let technical_data = match a.kind {
                ArticleKind::Accessory => vec![
                    row(TechKey::WeightKg, format!("0,{}", pick(a.id, 11, &[3, 5, 8]))),
                    row(TechKey::Material, pick(a.id, 12, &["Plast", "Aluminium", "Textil"])),
                ],
                _ => main_device_data(d.iso, a.id),
            };
            Some(ArticleDetails { article_id: a.id, technical_data, handbook_text: Some(handbook_text(d, a.kind)) })
        })
        .collect()
}

/// The drawing of a product type: a few strokes by ISO class.
fn drawing(iso: &str) -> &'static str {
    match &iso[..4.min(iso.len())] {
        "1206" => "<path d='M60 30 L70 110 M140 30 L130 110 M60 30 H140 M65 75 H135' stroke='#1f4e79' stroke-width='6' fill='none'/>\
                   <circle cx='70' cy='118' r='10' fill='#1f4e79'/><circle cx='130' cy='118' r='10' fill='#1f4e79'/>",
        "1222" | "1223" | "1809" => "<circle cx='95' cy='92' r='34' stroke='#1f4e79' stroke-width='6' fill='none'/>\
                   <path d='M80 30 V80 H135 V120 M80 80 L70 120' stroke='#1f4e79' stroke-width='6' fill='none'/>\
                   <circle cx='140' cy='122' r='7' fill='#1f4e79'/>",
        "1812" | "0433" => "<rect x='30' y='60' width='140' height='22' rx='4' fill='#1f4e79'/>\
                   <path d='M40 82 V115 M160 82 V115 M30 60 V35 M170 60 V45' stroke='#1f4e79' stroke-width='6'/>",
        "1236" => "<path d='M60 120 V30 H140 M140 30 V60 M50 120 H100' stroke='#1f4e79' stroke-width='6' fill='none'/>\
                   <rect x='125' y='60' width='30' height='35' rx='6' fill='#1f4e79'/>",
        "0912" | "0933" => "<rect x='60' y='60' width='80' height='14' rx='4' fill='#1f4e79'/>\
                   <path d='M70 74 V115 M130 74 V115 M65 60 V28' stroke='#1f4e79' stroke-width='6'/>",
        _ => "<rect x='55' y='35' width='90' height='75' rx='12' stroke='#1f4e79' stroke-width='6' fill='none'/>\
                   <circle cx='100' cy='72' r='14' fill='#1f4e79'/>",
    }
}

/// One picture per product type of the demo catalog.
pub fn images() -> Vec<ProductImage> {
    DIVISIONS
        .iter()
        .filter(|d| d.iso.len() == 6)
        .map(|d| ProductImage {
            iso_code: d.iso.into(),
            svg: format!(
                "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 200 140' width='200' height='140'>\
                 <rect width='200' height='140' rx='10' fill='#eef3f7'/>{}</svg>",
                drawing(d.iso)
            ),
            alt_sv: format!("Illustration av produkttypen {}", d.name.to_lowercase()),
            alt_en: format!("Illustration of the product type (ISO 9999 {})", d.iso),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_device_division_has_a_picture_and_rollators_state_a_user_weight() {
        assert!(images().iter().any(|i| i.iso_code == "120606" && i.alt_sv.contains("rollatorer")));
        let rows = main_device_data("120606", 7);
        assert!(rows.iter().any(|r| r.key == TechKey::MaxUserWeightKg));
        assert_eq!(main_device_data("120606", 7), rows, "the same article gets the same values");
    }
}

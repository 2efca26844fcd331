//! The adaptation document as a PDF: the device, the structured fields
//! under their Swedish labels (or the free text of an older document), the
//! content's SHA-256, and the signature with how it was re-authenticated.

use super::TextDocument;
use ramp_app::model::AdaptationDocument;
use ramp_domain::workshop::ADAPTATION_FIELDS;

/// What the PDF says besides the document itself.
pub struct Facts<'a> {
    pub device_number: Option<&'a str>,
    pub uploaded_by: &'a str,
    pub signed_by: Option<&'a str>,
}

fn stockholm(at: chrono::DateTime<chrono::Utc>) -> String {
    ramp_domain::time::stockholm(at).format("%Y-%m-%d %H:%M").to_string()
}

/// The PDF of an adaptation document.
pub fn render(doc: &AdaptationDocument, facts: &Facts) -> Vec<u8> {
    let mut d = TextDocument::new(&doc.title);
    d.heading("Anpassningsdokument – specialanpassning", 16.0).blank();
    d.heading(&doc.title, 13.0).blank();
    d.field("Hjälpmedel", facts.device_number.unwrap_or("–"));
    d.field("Arbetsorder", &doc.work_order_id.to_string());
    d.field("Upprättat", &format!("{} av {}", stockholm(doc.uploaded_at), facts.uploaded_by));
    match &doc.fields {
        Some(f) => {
            for (name, label, _) in ADAPTATION_FIELDS {
                d.field(label, f.get(name));
            }
            d.field("Uppföljning", &f.follow_up_on.map(|x| x.to_string()).unwrap_or_default());
        }
        None => {
            d.field("Beskrivning och riskbedömning", &doc.content);
        }
    }
    d.field("Kontrollsumma (SHA-256)", &doc.sha256);
    let signature = match (doc.signed_at, facts.signed_by) {
        (Some(at), by) => {
            let how = match doc.signed_via.as_deref() {
                Some("password") => "lösenord",
                Some("identity_provider") => "inloggning hos identitetsleverantören",
                _ => "–",
            };
            format!("Signerat {} av {} (bekräftat med {how})", stockholm(at), by.unwrap_or("–"))
        }
        (None, _) => format!("Ej signerat; ska signeras av förskrivaren senast {}", doc.valid_until),
    };
    d.field("Signatur", &signature);
    d.paragraph("Produkten är specialanpassad. CE-märkningen gäller inte efter anpassningen.");
    d.to_pdf()
}

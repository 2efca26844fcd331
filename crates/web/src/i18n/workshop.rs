//! The workshop's pages of issue 19: creating work orders, spare parts
//! with stock, checklists, attachments, structured adaptation documents
//! and signing with the password. Swedish first; keys unique across all
//! tables.

pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    ("work.new_title", "Ny arbetsorder", "New work order"),
    ("work.new_link", "Skapa arbetsorder", "Create work order"),
    (
        "work.new_intro",
        "Skapa en arbetsorder för ett hjälpmedel: ange individnumret, typen och vad som ska göras.",
        "Create a work order for a device: give its device number, the kind and what is to be done.",
    ),
    ("work.new_submit", "Skapa arbetsorder", "Create work order"),
    ("work.created", "Arbetsordern är skapad.", "The work order is created."),
    ("work.device_number", "Individnummer", "Device number"),
    ("work.checklist", "Checklista", "Checklist"),
    (
        "work.checklist_none",
        "Ingen checklista för den här typen av arbetsorder.",
        "No checklist for this kind of work order.",
    ),
    (
        "work.checklist_caption",
        "Checklista; obligatoriska punkter måste bockas av innan arbetsordern avslutas",
        "Checklist; mandatory items must be checked off before the work order is finished",
    ),
    ("work.check_item", "Punkt", "Item"),
    ("work.check_mandatory", "Obligatorisk", "Mandatory"),
    ("work.check_done", "Avbockad", "Checked off"),
    ("work.check_submit", "Bocka av", "Check off"),
    ("work.checked", "Punkten är avbockad.", "The item is checked off."),
    ("work.yes", "Ja", "Yes"),
    ("work.no", "Nej", "No"),
    ("work.spare_parts", "Reservdelar som passar modellen", "Spare parts that fit the model"),
    ("work.spare_parts_none", "Inga reservdelar är kopplade till modellen.", "No spare parts are linked to the model."),
    ("work.stock", "I lager", "In stock"),
    ("work.stock_zero", "Slut i lager", "Out of stock"),
    (
        "work.confirm_without_stock",
        "Registrera ändå, trots att delen saknas i lager",
        "Record anyway, although the part is out of stock",
    ),
    ("work.without_stock", "utan lagersaldo", "without stock"),
    ("work.attachments", "Bilagor", "Attachments"),
    ("work.attachments_none", "Inga bilagor.", "No attachments."),
    (
        "work.attachment_file",
        "Fil (foto JPEG/PNG eller PDF, högst 10 MB)",
        "File (photo JPEG/PNG or PDF, at most 10 MB)",
    ),
    ("work.attachment_submit", "Bifoga fil", "Attach file"),
    ("work.attachment_done", "Filen är bifogad.", "The file is attached."),
    ("work.download", "Ladda ned", "Download"),
    ("work.pdf", "Ladda ned som PDF", "Download as PDF"),
    ("work.doc_follow_up", "Uppföljning (datum)", "Follow-up (date)"),
    (
        "work.doc_fields_hint",
        "Förskrivaren signerar exakt de ifyllda fälten.",
        "The prescriber signs exactly the fields filled in.",
    ),
    ("doc.patient_need", "Patientens behov", "The patient's need"),
    ("doc.measurements", "Mått", "Measurements"),
    ("doc.changes_made", "Utförda ändringar", "Changes made"),
    ("doc.materials", "Material", "Materials"),
    ("doc.risk_assessment", "Riskbedömning", "Risk assessment"),
    ("doc.follow_up_on", "Uppföljning", "Follow-up"),
    ("adaptation.password", "Ditt lösenord", "Your password"),
    (
        "adaptation.password_hint",
        "Bekräfta att det är du som signerar genom att ange ditt lösenord igen.",
        "Confirm that it is you who signs by entering your password again.",
    ),
    (
        "adaptation.step_up",
        "Signera med inloggning hos identitetsleverantören",
        "Sign by logging in at the identity provider",
    ),
    (
        "adaptation.step_up_explain",
        "Du loggar in på nytt hos identitetsleverantören (SITHS). Dokumentet signeras när du kommer tillbaka.",
        "You log in again at the identity provider (SITHS). The document is signed when you come back.",
    ),
    ("inbox.workshop", "Specialanpassningar", "Special adaptations"),
    (
        "inbox.adaptation_signed",
        "Specialanpassningen är signerad för hjälpmedel",
        "The special adaptation is signed for device",
    ),
];

pub(super) const ERRORS: &[(&str, &str, &str)] = &[
    (
        "part_out_of_stock",
        "Delen finns inte i lager. Kontrollera artikelnumret, eller kryssa i att du registrerar den ändå.",
        "The part is out of stock. Check the article number, or tick that you record it anyway.",
    ),
    (
        "checklist_incomplete",
        "Checklistan är inte klar: bocka av \"{item}\" innan arbetsordern avslutas.",
        "The checklist is not complete: check off \"{item}\" before finishing the work order.",
    ),
    (
        "checklist_item_refused",
        "Punkten hör inte till arbetsorderns checklista, eller arbetsordern är avslutad.",
        "The item is not on the work order's checklist, or the work order is finished.",
    ),
    ("attachment_too_large", "Filen är för stor: högst 10 MB.", "The file is too large: at most 10 MB."),
    ("attachment_type", "Bifoga foton (JPEG, PNG) eller PDF-dokument.", "Attach photos (JPEG, PNG) or PDF documents."),
    ("attachment_not_found", "Bilagan finns inte.", "There is no such attachment."),
    ("wrong_password", "Fel lösenord. Dokumentet är inte signerat.", "Wrong password. The document is not signed."),
    ("required@password", "Ange ditt lösenord för att signera.", "Enter your password to sign."),
    (
        "no_local_password",
        "Ditt konto har inget lokalt lösenord: logga in igen via identitetsleverantören.",
        "Your account has no local password: sign in again through the identity provider.",
    ),
    ("required@patient_need", "Beskriv patientens behov.", "Describe the patient's need."),
    ("required@changes_made", "Beskriv de utförda ändringarna.", "Describe the changes made."),
    ("required@risk_assessment", "Gör riskbedömningen.", "Make the risk assessment."),
    (
        "oidc_step_up_stale",
        "Identitetsleverantören bekräftade inte en ny inloggning. Dokumentet är inte signerat.",
        "The identity provider did not confirm a new login. The document is not signed.",
    ),
    (
        "oidc_step_up_other_user",
        "Identitetsleverantören loggade in en annan användare. Dokumentet är inte signerat.",
        "The identity provider logged in another user. The document is not signed.",
    ),
    ("same_article", "En modell är inte sin egen reservdel.", "A model is not its own spare part."),
];

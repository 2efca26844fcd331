//! The catalog's skeleton: product areas, suppliers and the ISO 9999
//! divisions articles are generated in, each with a price range that fits
//! the class, a service life, the accessories and spare parts that hang on
//! it, and how often patients of each age group need it.
//!
//! Codes and Swedish names follow SS-EN ISO 9999 as used in Swedish regions'
//! handbooks. Two groups of products that ISO 9999 has no division for
//! (absorbent incontinence products in general, nutrition) are filed under
//! their subclass (`09 30`, `15 09`).

use ramp_domain::figures::Agreement;
use ramp_model::ProductArea;

/// How articles of a division are sold and tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Serial-numbered devices lent out and reconditioned; with accessories and spare parts.
    Device,
    /// Cheap aids sold once (canes, reachers, grab tongs).
    Small,
    /// Orthoses: made or fitted for one person, sold.
    Orthosis,
    /// Used up: incontinence, compression garments, urine bags.
    Consumable,
    /// Nutrition products.
    Nutrition,
    /// Lent devices of medical treatment (dispensers, inhalers) and the
    /// medical-technical products sold beside them.
    Medtech,
}

/// One ISO 9999 division as the generator sees it.
pub struct Division {
    pub iso: &'static str,
    /// Swedish name of the division (plural, as in the handbook).
    pub name: &'static str,
    /// The product noun used in article names ("Rollator").
    pub noun: &'static str,
    pub area: &'static str,
    pub profile: Profile,
    /// Purchase price range of a main article, SEK.
    pub price: (i64, i64),
    pub life_months: i32,
    /// Share of the catalog's articles.
    pub weight: u32,
    /// How often a patient needs one: (elderly, adult under 65, child).
    pub need: (u32, u32, u32),
    /// Size or variant descriptor: label, values, unit.
    pub size: (&'static str, &'static [u32], &'static str),
    pub accessories: &'static [&'static str],
    pub spare_parts: &'static [&'static str],
    /// Indices into [`SUPPLIERS`].
    pub suppliers: &'static [usize],
}

/// Product areas ("produktområden") with the competence a prescriber needs.
pub fn product_areas() -> Vec<ProductArea> {
    let a = |code: &str, sv: &str, en: &str, comp: Option<&str>| ProductArea {
        code: code.into(),
        name_sv: sv.into(),
        name_en: en.into(),
        required_competence: comp.map(Into::into),
        // Seed 000: "Behandlingshjälpmedel/läkemedelsnära produkter som berörs är t ex
        // sårvårdsmaterial, VAC-terapi": the medical-treatment area.
        drug_adjacent: code == "medical",
        // Seed 003: "Samarbetsavtal för försörjning av personliga hjälpmedel,
        // Överenskommelse för hjälpmedel vid medicinsk behandling och digitala
        // hjälpmedel"; the digital area holds the devices that report
        // measurements (issue 21).
        agreement_area: match code {
            "medical" | "nutrition" => Agreement::Overenskommelsen,
            "digital" => Agreement::Digital,
            _ => Agreement::Cooperation,
        },
    };
    vec![
        a("mobility", "Förflyttning", "Mobility", Some("mobility")),
        a("wheelchairs", "Rullstolar och sittande", "Wheelchairs and seating", Some("wheelchairs")),
        a("lifts", "Lyftar och förflyttning", "Lifts and transfer", Some("lifts")),
        a("beds", "Vård och behandling / sängar", "Care beds and pressure care", Some("beds")),
        a("hygiene", "Hygien", "Hygiene", Some("hygiene")),
        a("communication", "Kommunikation", "Communication", Some("communication")),
        a("cognition", "Kognition", "Cognitive support", Some("cognition")),
        a("vision", "Syn", "Vision", Some("vision")),
        a("hearing", "Hörsel", "Hearing", Some("hearing")),
        a("incontinence", "Inkontinens", "Incontinence", Some("incontinence")),
        a("orthopedics", "Ortopedteknik", "Orthotics and prosthetics", Some("orthopedics")),
        a("medical", "Medicinsk behandling", "Medical treatment", Some("medical")),
        a("nutrition", "Nutrition", "Nutrition", Some("nutrition")),
        a("daily_living", "Vardagsaktiviteter", "Daily living", None),
        a("digital", "Digitala hjälpmedel", "Digital assistive devices", None),
    ]
}

/// Suppliers: the names one meets in Swedish assistive-device catalogs.
pub const SUPPLIERS: &[(&str, &str)] = &[
    ("Etac Sverige AB", "ET"),
    ("Invacare AB", "IN"),
    ("Permobil AB", "PM"),
    ("Sunrise Medical AB", "SM"),
    ("Handicare AB", "HC"),
    ("Liko AB", "LI"),
    ("Arjo Scandinavia AB", "AR"),
    ("Hepro Sverige AB", "HP"),
    ("Vermeiren Sverige AB", "VE"),
    ("Human Care HC AB", "HU"),
    ("Topro Sverige AB", "TP"),
    ("Careflex AB", "CF"),
    ("Anatomic SITT AB", "AS"),
    ("Ottobock Scandinavia AB", "OB"),
    ("Össur Nordic AB", "OS"),
    ("Camp Scandinavia AB", "CS"),
    ("Abilia AB", "AB"),
    ("Tobii Dynavox AB", "TD"),
    ("Optelec Nordic AB", "OP"),
    ("Oticon AB", "OT"),
    ("Widex Sverige AB", "WI"),
    ("Sonova Nordic AB", "SO"),
    ("Essity Hygiene and Health AB", "ES"),
    ("Abena Nordic AB", "AN"),
    ("Coloplast AB", "CO"),
    ("Nutricia Nordica AB", "NU"),
    ("Fresenius Kabi AB", "FK"),
    ("Stiegelmeyer AB", "ST"),
    ("Vela Sverige AB", "VS"),
    ("Panthera AB", "PA"),
    ("Mediq Sverige AB", "MQ"),
    ("Evondos Sverige AB", "EV"),
];

const NO_SIZE: (&str, &[u32], &str) = ("", &[], "");
const SEAT_WIDTH: (&str, &[u32], &str) = ("sitsbredd", &[36, 38, 40, 42, 44, 46, 48, 50, 55], "cm");
const HANDLE_HEIGHT: (&str, &[u32], &str) = ("handtagshöjd", &[70, 75, 80, 85, 90, 95], "cm");
const BED_WIDTH: (&str, &[u32], &str) = ("bredd", &[80, 90, 105, 120], "cm");
const MAX_LOAD: (&str, &[u32], &str) = ("max brukarvikt", &[120, 135, 150, 180, 205, 250], "kg");
const CLOTHING: (&str, &[u32], &str) = ("storlek", &[1, 2, 3, 4, 5, 6], "");
const SCREEN: (&str, &[u32], &str) = ("skärm", &[8, 10, 12, 13, 15, 22, 24], "tum");

const WALKER_ACC: &[&str] = &["Korg", "Bricka", "Käpphållare", "Ryggband", "Väska", "Dropphållare", "Isdubb"];
const WALKER_PARTS: &[&str] = &["Hjul 200 mm", "Bromsvajer", "Handtag", "Bromshandtag", "Sitsduk", "Hjulgaffel"];
const CHAIR_ACC: &[&str] = &[
    "Vårdarbroms",
    "Tippskydd",
    "Benstöd vinkelreglerbart",
    "Bålstöd",
    "Nackstöd",
    "Bord",
    "Drivaggregat",
    "Armstöd höjdreglerbart",
    "Bäckenbälte",
    "Ryggsystem",
];
const CHAIR_PARTS: &[&str] =
    &["Drivhjul 24\"", "Länkhjul 7\"", "Däck massivt", "Slang", "Drivring", "Armstödsplatta", "Fotplatta", "Sitsduk"];
const POWER_ACC: &[&str] = &[
    "Styrbox vårdarstyrning",
    "Specialmanöver hakstyrning",
    "Elektrisk sitslyft",
    "Elektrisk ryggvinkling",
    "Belysningssats",
    "Benstöd elektriskt",
    "Huvudstöd",
    "Bord",
];
const POWER_PARTS: &[&str] = &["Batteri 12 V 73 Ah", "Laddare 24 V", "Joystick", "Motor", "Drivhjul 14\"", "Styrenhet"];
const LIFT_ACC: &[&str] = &["Lyftsele", "Lyftbygel 2-punkt", "Lyftbygel 4-punkt", "Vågenhet", "Lyftväst"];
const LIFT_PARTS: &[&str] = &["Batteri", "Laddare", "Handkontroll", "Lyftband", "Hjul med broms"];
const BED_ACC: &[&str] =
    &["Sänggrind", "Grindskydd", "Lyftbåge", "Förlängningssats", "Sängbord", "Handkontroll låsbar"];
const BED_PARTS: &[&str] = &["Motor ryggdel", "Handkontroll", "Hjul 100 mm", "Styrbox", "Nätkabel"];
const MATTRESS_ACC: &[&str] = &["Överdrag", "Kompressor", "Slangsats"];
const HYGIENE_ACC: &[&str] = &["Hinkhållare", "Mjuksits", "Bröststöd", "Fotstöd", "Armstöd", "Nackstöd"];
const HYGIENE_PARTS: &[&str] = &["Hink med lock", "Hjul 125 mm", "Gummitass", "Sitsring"];
const DEVICE_ACC: &[&str] = &["Fäste", "Väska", "Laddare", "Skyddsfodral", "Stativ"];
const DEVICE_PARTS: &[&str] = &["Batteri", "Nätadapter", "Kabel"];
const NONE: &[&str] = &[];

#[allow(clippy::too_many_arguments)]
const fn d(
    iso: &'static str,
    name: &'static str,
    noun: &'static str,
    area: &'static str,
    profile: Profile,
    price: (i64, i64),
    life_months: i32,
    weight: u32,
    need: (u32, u32, u32),
    size: (&'static str, &'static [u32], &'static str),
    accessories: &'static [&'static str],
    spare_parts: &'static [&'static str],
    suppliers: &'static [usize],
) -> Division {
    Division {
        iso,
        name,
        noun,
        area,
        profile,
        price,
        life_months,
        weight,
        need,
        size,
        accessories,
        spare_parts,
        suppliers,
    }
}

use Profile::*;

/// Every division of the demo catalog. The first few are the ones the demo
/// patient holds; their first article is generated as a fixed "anchor".
#[rustfmt::skip]
pub const DIVISIONS: &[Division] = &[
    d("120606", "Rollatorer", "Rollator", "mobility", Device, (1_500, 4_000), 96, 60, (300, 40, 10), HANDLE_HEIGHT, WALKER_ACC, WALKER_PARTS, &[0, 10, 3, 8, 11, 1]),
    d("122203", "Manuella tvåhjulsdrivna rullstolar", "Manuell rullstol", "wheelchairs", Device, (6_000, 25_000), 96, 70, (140, 60, 60), SEAT_WIDTH, CHAIR_ACC, CHAIR_PARTS, &[3, 1, 2, 8, 9]),
    d("181210", "Sängar och lösa sängbottnar, motordrivna", "Vårdsäng", "beds", Device, (12_000, 25_000), 120, 30, (90, 10, 10), BED_WIDTH, BED_ACC, BED_PARTS, &[6, 1, 27, 4]),
    d("043306", "Madrasser och överlägg för tryckavlastning", "Tryckavlastande madrass", "beds", Device, (4_000, 25_000), 72, 25, (60, 8, 5), BED_WIDTH, MATTRESS_ACC, NONE, &[6, 1, 27, 12]),
    d("122218", "Manuella rullstolar drivna av medhjälpare", "Komfortrullstol", "wheelchairs", Device, (12_000, 35_000), 96, 30, (45, 10, 5), SEAT_WIDTH, CHAIR_ACC, CHAIR_PARTS, &[0, 3, 1, 8]),
    d("122306", "Elrullstolar med elektronisk styrning", "Elrullstol", "wheelchairs", Device, (40_000, 120_000), 84, 40, (20, 30, 15), SEAT_WIDTH, POWER_ACC, POWER_PARTS, &[2, 1, 3, 29]),
    d("120603", "Gåstativ", "Gåstativ", "mobility", Device, (800, 2_000), 96, 8, (25, 5, 2), HANDLE_HEIGHT, WALKER_ACC, WALKER_PARTS, &[0, 8, 9]),
    d("120609", "Gåstolar", "Gåstol", "mobility", Device, (5_000, 12_000), 96, 8, (10, 4, 6), HANDLE_HEIGHT, WALKER_ACC, WALKER_PARTS, &[0, 9]),
    d("120612", "Gåbord", "Gåbord", "mobility", Device, (4_000, 9_000), 96, 10, (30, 5, 1), HANDLE_HEIGHT, WALKER_ACC, WALKER_PARTS, &[0, 8, 9]),
    d("120303", "Käppar", "Stödkäpp", "mobility", Small, (150, 600), 60, 6, (0, 0, 0), NO_SIZE, NONE, NONE, &[0, 9, 7]),
    d("120306", "Armbågskryckor", "Kryckkäpp", "mobility", Small, (200, 500), 60, 4, (0, 0, 0), NO_SIZE, NONE, NONE, &[0, 9]),
    d("120316", "Gånghjälpmedel med flera stödben", "Fyrpunktskäpp", "mobility", Small, (300, 900), 60, 3, (0, 0, 0), NO_SIZE, NONE, NONE, &[0, 9]),
    d("123103", "Glidbrädor och glidmattor", "Glidmatta", "lifts", Small, (400, 1_500), 60, 8, (0, 0, 0), NO_SIZE, NONE, NONE, &[4, 5, 6]),
    d("123106", "Vridplattor", "Vridplatta", "lifts", Device, (1_200, 3_000), 96, 4, (8, 2, 0), NO_SIZE, NONE, NONE, &[4, 5]),
    d("123603", "Mobila personlyftar", "Mobil personlyft", "lifts", Device, (20_000, 45_000), 120, 20, (20, 6, 8), MAX_LOAD, LIFT_ACC, LIFT_PARTS, &[5, 6, 4, 1]),
    d("123604", "Mobila stålyftar", "Stålyft", "lifts", Device, (18_000, 35_000), 120, 10, (15, 4, 2), MAX_LOAD, LIFT_ACC, LIFT_PARTS, &[5, 6, 4]),
    d("123612", "Takmonterade personlyftar", "Taklyft", "lifts", Device, (15_000, 40_000), 120, 12, (12, 5, 8), MAX_LOAD, LIFT_ACC, LIFT_PARTS, &[5, 4, 6]),
    d("123621", "Lyftselar", "Lyftsele", "lifts", Device, (2_000, 6_000), 60, 20, (20, 6, 8), CLOTHING, NONE, NONE, &[5, 4, 6]),
    d("123903", "Vita käppar", "Teknikkäpp", "vision", Small, (400, 1_200), 60, 3, (0, 0, 0), NO_SIZE, NONE, NONE, &[18]),
    d("181212", "Sänglyftar", "Sänglyft", "beds", Device, (3_000, 8_000), 96, 4, (6, 1, 0), NO_SIZE, NONE, NONE, &[6, 4]),
    d("043303", "Sittdynor och underlägg för tryckavlastning", "Sittdyna", "wheelchairs", Device, (1_000, 6_000), 60, 20, (50, 20, 15), SEAT_WIDTH, MATTRESS_ACC, NONE, &[12, 1, 3]),
    d("044808", "Hjälpmedel för stående", "Ståstöd", "mobility", Device, (10_000, 30_000), 96, 6, (0, 4, 25), NO_SIZE, CHAIR_ACC, NONE, &[7, 1]),
    d("044803", "Motions- och träningscyklar", "Träningscykel", "mobility", Device, (8_000, 25_000), 96, 4, (3, 4, 10), NO_SIZE, NONE, NONE, &[7, 11]),
    d("040306", "Inhalatorer", "Inhalator", "medical", Medtech, (1_500, 4_000), 60, 5, (8, 5, 8), NO_SIZE, DEVICE_ACC, DEVICE_PARTS, &[30, 26]),
    d("041904", "Läkemedelsdoserare", "Läkemedelsdispenser", "digital", Medtech, (3_000, 8_000), 60, 4, (10, 3, 0), NO_SIZE, DEVICE_ACC, DEVICE_PARTS, &[31, 16]),
    d("040606", "Kompressionsplagg", "Kompressionsstrumpa", "medical", Consumable, (300, 1_500), 0, 25, (0, 0, 0), CLOTHING, NONE, NONE, &[22, 30]),
    d("060309", "Lumbosakrala ortoser", "Ländryggsortos", "orthopedics", Orthosis, (1_000, 4_000), 24, 12, (0, 0, 0), CLOTHING, NONE, NONE, &[13, 14, 15]),
    d("060612", "Hand-handledsortoser", "Handledsortos", "orthopedics", Orthosis, (500, 2_500), 24, 15, (0, 0, 0), CLOTHING, NONE, NONE, &[13, 14, 15]),
    d("061206", "Fotledsortoser", "Fotledsortos", "orthopedics", Orthosis, (1_500, 6_000), 24, 15, (0, 0, 0), CLOTHING, NONE, NONE, &[13, 14, 15]),
    d("061209", "Knäortoser", "Knäortos", "orthopedics", Orthosis, (1_000, 8_000), 24, 12, (0, 0, 0), CLOTHING, NONE, NONE, &[13, 14, 15]),
    d("090603", "Huvudskydd", "Skyddshjälm", "daily_living", Small, (1_500, 4_000), 48, 3, (0, 0, 0), CLOTHING, NONE, NONE, &[7, 12]),
    d("090903", "Hjälpmedel för att ta på strumpor", "Strumppådragare", "daily_living", Small, (200, 600), 36, 3, (0, 0, 0), NO_SIZE, NONE, NONE, &[0, 9]),
    d("091203", "Flyttbara toalettstolar", "Hygienstol på hjul", "hygiene", Device, (4_000, 15_000), 96, 20, (25, 8, 15), MAX_LOAD, HYGIENE_ACC, HYGIENE_PARTS, &[0, 4, 1, 7]),
    d("091209", "Toalettstolar", "Toalettstol", "hygiene", Device, (1_500, 4_000), 96, 6, (15, 3, 2), MAX_LOAD, HYGIENE_ACC, HYGIENE_PARTS, &[0, 9]),
    d("091212", "Toalettstolsförhöjningar monterade på ram", "Toalettstolsförhöjning fristående", "hygiene", Device, (1_000, 2_500), 96, 6, (30, 4, 1), NO_SIZE, HYGIENE_ACC, HYGIENE_PARTS, &[0, 9, 1]),
    d("091218", "Toalettstolsförhöjningar, fasta tillsatser", "Toalettförhöjning", "hygiene", Small, (300, 1_200), 60, 5, (0, 0, 0), NO_SIZE, NONE, NONE, &[0, 9]),
    d("091224", "Toalettarmstöd och toalettryggstöd", "Toalettarmstöd", "hygiene", Device, (1_000, 3_000), 96, 6, (25, 3, 1), NO_SIZE, NONE, HYGIENE_PARTS, &[0, 9]),
    d("093304", "Badbrädor", "Badkarsbräda", "hygiene", Small, (400, 1_000), 60, 3, (0, 0, 0), NO_SIZE, NONE, NONE, &[0, 9]),
    d("093305", "Badsitsar", "Badkarssits", "hygiene", Device, (1_000, 3_000), 96, 3, (5, 1, 1), NO_SIZE, HYGIENE_ACC, NONE, &[0, 9]),
    d("093307", "Duschstolar med eller utan hjul", "Duschstol", "hygiene", Device, (1_000, 4_000), 96, 12, (60, 8, 6), MAX_LOAD, HYGIENE_ACC, HYGIENE_PARTS, &[0, 9, 4]),
    d("093312", "Badbritsar, duschbord och skötbord", "Skötbord", "hygiene", Device, (20_000, 60_000), 120, 5, (1, 3, 8), NO_SIZE, NONE, HYGIENE_PARTS, &[6, 4]),
    d("092704", "Urinuppsamlingspåsar", "Urinpåse", "incontinence", Consumable, (150, 500), 0, 15, (0, 0, 0), NO_SIZE, NONE, NONE, &[24, 30]),
    d("0930", "Absorberande produkter", "Inkontinensskydd", "incontinence", Consumable, (80, 400), 0, 40, (0, 0, 0), CLOTHING, NONE, NONE, &[22, 23, 30]),
    d("1509", "Nutritionsprodukter", "Sondnäring", "nutrition", Nutrition, (40, 160), 0, 20, (0, 0, 0), NO_SIZE, NONE, NONE, &[25, 26]),
    d("150913", "Ätbestick", "Bestick", "daily_living", Small, (100, 400), 60, 3, (0, 0, 0), NO_SIZE, NONE, NONE, &[0, 9]),
    d("180903", "Arbetsstolar", "Arbetsstol", "wheelchairs", Device, (6_000, 15_000), 96, 10, (20, 8, 6), SEAT_WIDTH, CHAIR_ACC, CHAIR_PARTS, &[12, 7, 9]),
    d("180904", "Pallar", "Pall", "daily_living", Device, (1_000, 3_000), 96, 3, (2, 2, 8), NO_SIZE, NONE, NONE, &[0, 9]),
    d("180939", "Modulära sittsystem", "Sittsystem", "wheelchairs", Device, (20_000, 60_000), 96, 6, (2, 6, 20), SEAT_WIDTH, CHAIR_ACC, CHAIR_PARTS, &[12, 28]),
    d("183010", "Trapphissar med sits", "Trapphiss", "mobility", Device, (40_000, 90_000), 120, 3, (3, 1, 0), NO_SIZE, NONE, DEVICE_PARTS, &[4]),
    d("183015", "Portabla ramper", "Ramp", "mobility", Device, (1_500, 6_000), 120, 4, (6, 3, 3), NO_SIZE, NONE, NONE, &[4, 0]),
    d("220318", "Förstorande videosystem", "Läs-tv", "vision", Device, (15_000, 40_000), 72, 6, (10, 3, 1), SCREEN, DEVICE_ACC, DEVICE_PARTS, &[18]),
    d("220606", "Hörapparater", "Hörapparat", "hearing", Device, (3_000, 9_000), 72, 10, (40, 8, 5), NO_SIZE, DEVICE_ACC, DEVICE_PARTS, &[19, 20, 21]),
    d("221830", "Hörslingor", "Hörslinga", "hearing", Device, (3_000, 8_000), 96, 3, (5, 2, 3), NO_SIZE, DEVICE_ACC, DEVICE_PARTS, &[19, 21]),
    d("222109", "Samtalsapparater", "Samtalsapparat", "communication", Device, (5_000, 40_000), 60, 6, (2, 10, 20), SCREEN, DEVICE_ACC, DEVICE_PARTS, &[17, 16]),
    d("222712", "Tidshjälpmedel", "Tidshjälpmedel", "cognition", Device, (1_000, 4_000), 60, 5, (8, 10, 6), NO_SIZE, DEVICE_ACC, DEVICE_PARTS, &[16]),
    d("222715", "Planeringshjälpmedel", "Digital planeringskalender", "cognition", Device, (2_500, 9_000), 60, 5, (4, 10, 6), SCREEN, DEVICE_ACC, DEVICE_PARTS, &[16]),
    d("223306", "Bärbara datorer och surfplattor", "Surfplatta", "communication", Device, (4_000, 15_000), 48, 5, (1, 6, 12), SCREEN, DEVICE_ACC, DEVICE_PARTS, &[17, 16]),
    d("223603", "Tangentbord", "Tangentbord", "communication", Device, (1_000, 3_000), 60, 3, (1, 3, 5), NO_SIZE, NONE, DEVICE_PARTS, &[17, 16]),
    d("241303", "Omgivningskontrollsystem", "Omgivningskontroll", "cognition", Device, (5_000, 30_000), 72, 3, (2, 5, 4), NO_SIZE, DEVICE_ACC, DEVICE_PARTS, &[16]),
    d("242103", "Griptänger", "Griptång", "daily_living", Small, (100, 400), 36, 3, (0, 0, 0), NO_SIZE, NONE, NONE, &[0, 9]),
    // Issue 21: digital devices that report measurements (ISO 9999 04 24,
    // products for measuring physiological properties), with the
    // medication dispensers above (area "digital").
    d("042403", "Blodtrycksmätare", "Blodtrycksmätare digital", "digital", Device, (800, 2_500), 60, 3, (25, 8, 0), NO_SIZE, NONE, DEVICE_PARTS, &[16, 31]),
    d("042415", "Personvågar", "Personvåg uppkopplad", "digital", Device, (600, 2_000), 60, 3, (15, 6, 1), NO_SIZE, NONE, NONE, &[16, 31]),
    d("042418", "Pulsoximetrar", "Pulsoximeter", "digital", Device, (500, 1_500), 48, 2, (10, 4, 2), NO_SIZE, NONE, NONE, &[16, 31]),
];

/// Brand-like model names. Real catalogs are full of them; these are invented.
pub const MODELS: &[&str] = &[
    "Vega", "Nova", "Lyra", "Tindra", "Orbit", "Sirius", "Carat", "Bris", "Vandra", "Saga", "Fjord", "Alva", "Corra",
    "Mira", "Stella", "Aros", "Linné", "Polar", "Viking", "Delta", "Trio", "Flex", "Kompis", "Rapp", "Smidig",
    "Stabil", "Vind", "Kvist", "Ask", "Ekko", "Fram", "Hedda", "Iris", "Juno", "Kaja", "Luna", "Milo", "Nordan",
    "Onyx", "Pilot", "Qvinta", "Rask", "Sol", "Tellus", "Uno", "Vira", "Wega", "Yster", "Zeta", "Atlas", "Balder",
    "Cirrus", "Dala", "Elvira", "Freja", "Gaia", "Hugin", "Idun", "Jarl", "Kosmos", "Lodur", "Magne", "Njord", "Oden",
    "Runa", "Skade", "Tyr", "Ull", "Vidar",
];

pub const SERIES: &[&str] =
    &["", "", " 2", " II", " Plus", " Lätt", " XL", " Junior", " Compact", " Comfort", " Pro", " S"];

pub const COLOURS: &[&str] = &["svart", "grå", "silver", "ärtgrön", "röd", "blå", "champagne", "vit"];

#[cfg(test)]
mod tests {
    use super::*;
    use ramp_domain::ids::IsoCode;

    #[test]
    fn every_division_has_a_valid_iso_code_and_a_known_area_and_supplier() {
        let areas: Vec<String> = product_areas().into_iter().map(|a| a.code).collect();
        assert!(DIVISIONS.len() >= 40);
        for d in DIVISIONS {
            IsoCode::parse(d.iso).unwrap();
            assert!(areas.iter().any(|a| a == d.area), "{}", d.iso);
            assert!(d.suppliers.iter().all(|s| *s < SUPPLIERS.len()), "{}", d.iso);
            assert!(d.price.0 < d.price.1);
        }
    }
}

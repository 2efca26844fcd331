//! Västra Götaland: the region of the seed documents, 1.7 million
//! inhabitants in 49 municipalities (SCB municipality codes, populations
//! rounded to thousands, 2023). The demo region is fictional in its people
//! and devices, real in its map.

/// One municipality: SCB code, official name, place name, inhabitants,
/// and which central warehouse (index into [`CENTRAL_WAREHOUSES`]) serves it.
pub struct Municipality {
    pub code: &'static str,
    pub name: &'static str,
    pub place: &'static str,
    pub population: u32,
    pub hmc: usize,
}

const fn m(code: &'static str, name: &'static str, place: &'static str, thousands: u32, hmc: usize) -> Municipality {
    Municipality { code, name, place, population: thousands * 1000, hmc }
}

/// Central warehouses of the assistive-device centre: code, name.
pub const CENTRAL_WAREHOUSES: &[(&str, &str)] = &[
    ("HMC-MLN", "Hjälpmedelscentralen Mölndal"),
    ("HMC-SKV", "Hjälpmedelscentralen Skövde"),
    ("HMC-VBG", "Hjälpmedelscentralen Vänersborg"),
    ("HMC-BOS", "Hjälpmedelscentralen Borås"),
];

const GBG: usize = 0;
const SKB: usize = 1;
const FYR: usize = 2;
const SJU: usize = 3;

pub const MUNICIPALITIES: &[Municipality] = &[
    m("1401", "Härryda kommun", "Härryda", 39, GBG),
    m("1402", "Partille kommun", "Partille", 39, GBG),
    m("1407", "Öckerö kommun", "Öckerö", 13, GBG),
    m("1415", "Stenungsunds kommun", "Stenungsund", 27, GBG),
    m("1419", "Tjörns kommun", "Tjörn", 16, GBG),
    m("1421", "Orust kommun", "Orust", 15, FYR),
    m("1427", "Sotenäs kommun", "Sotenäs", 9, FYR),
    m("1430", "Munkedals kommun", "Munkedal", 10, FYR),
    m("1435", "Tanums kommun", "Tanum", 13, FYR),
    m("1438", "Dals-Eds kommun", "Dals-Ed", 5, FYR),
    m("1439", "Färgelanda kommun", "Färgelanda", 7, FYR),
    m("1440", "Ale kommun", "Ale", 32, GBG),
    m("1441", "Lerums kommun", "Lerum", 43, GBG),
    m("1442", "Vårgårda kommun", "Vårgårda", 12, SJU),
    m("1443", "Bollebygds kommun", "Bollebygd", 10, SJU),
    m("1444", "Grästorps kommun", "Grästorp", 6, SKB),
    m("1445", "Essunga kommun", "Essunga", 6, SKB),
    m("1446", "Karlsborgs kommun", "Karlsborg", 7, SKB),
    m("1447", "Gullspångs kommun", "Gullspång", 5, SKB),
    m("1452", "Tranemo kommun", "Tranemo", 12, SJU),
    m("1460", "Bengtsfors kommun", "Bengtsfors", 9, FYR),
    m("1461", "Melleruds kommun", "Mellerud", 9, FYR),
    m("1462", "Lilla Edets kommun", "Lilla Edet", 14, FYR),
    m("1463", "Marks kommun", "Mark", 35, SJU),
    m("1465", "Svenljunga kommun", "Svenljunga", 11, SJU),
    m("1466", "Herrljunga kommun", "Herrljunga", 10, SJU),
    m("1470", "Vara kommun", "Vara", 16, SKB),
    m("1471", "Götene kommun", "Götene", 13, SKB),
    m("1472", "Tibro kommun", "Tibro", 11, SKB),
    m("1473", "Töreboda kommun", "Töreboda", 9, SKB),
    m("1480", "Göteborgs Stad", "Göteborg", 604, GBG),
    m("1481", "Mölndals stad", "Mölndal", 71, GBG),
    m("1482", "Kungälvs kommun", "Kungälv", 48, GBG),
    m("1484", "Lysekils kommun", "Lysekil", 14, FYR),
    m("1485", "Uddevalla kommun", "Uddevalla", 58, FYR),
    m("1486", "Strömstads kommun", "Strömstad", 13, FYR),
    m("1487", "Vänersborgs kommun", "Vänersborg", 40, FYR),
    m("1488", "Trollhättans stad", "Trollhättan", 60, FYR),
    m("1489", "Alingsås kommun", "Alingsås", 43, GBG),
    m("1490", "Borås Stad", "Borås", 114, SJU),
    m("1491", "Ulricehamns kommun", "Ulricehamn", 25, SJU),
    m("1492", "Åmåls kommun", "Åmål", 13, FYR),
    m("1493", "Mariestads kommun", "Mariestad", 25, SKB),
    m("1494", "Lidköpings kommun", "Lidköping", 40, SKB),
    m("1495", "Skara kommun", "Skara", 19, SKB),
    m("1496", "Skövde kommun", "Skövde", 57, SKB),
    m("1497", "Hjo kommun", "Hjo", 9, SKB),
    m("1498", "Tidaholms kommun", "Tidaholm", 13, SKB),
    m("1499", "Falköpings kommun", "Falköping", 34, SKB),
];

/// The index of Göteborg in [`MUNICIPALITIES`]: home of the named demo users.
pub const GOTEBORG: usize = 30;

/// Districts used to name units in Göteborg, which has a third of the people.
pub const GOTEBORG_DISTRICTS: &[&str] = &[
    "Majorna",
    "Linnéstaden",
    "Frölunda",
    "Angered",
    "Biskopsgården",
    "Backa",
    "Torslanda",
    "Gamlestaden",
    "Kortedala",
    "Högsbo",
    "Örgryte",
    "Härlanda",
    "Askim",
    "Kålltorp",
    "Lundby",
    "Tynnered",
    "Bergsjön",
    "Hammarkullen",
    "Centrum",
    "Guldheden",
    "Johanneberg",
    "Masthugget",
    "Styrsö",
    "Kviberg",
    "Eriksberg",
    "Kärra",
    "Hisings Backa",
    "Näset",
    "Västra Frölunda",
    "Lövgärdet",
];

/// Directions used to name units elsewhere.
pub const QUARTERS: &[&str] = &["centrum", "norr", "söder", "öster", "väster"];

/// The region's hospitals, by the municipality (index) they stand in.
pub const HOSPITALS: &[(&str, usize)] = &[
    ("Sahlgrenska Universitetssjukhuset, Sahlgrenska", GOTEBORG),
    ("Sahlgrenska Universitetssjukhuset, Östra", GOTEBORG),
    ("Sahlgrenska Universitetssjukhuset, Mölndal", 31),
    ("Södra Älvsborgs Sjukhus, Borås", 39),
    ("Skaraborgs Sjukhus Skövde", 45),
    ("Skaraborgs Sjukhus Lidköping", 43),
    ("NU-sjukvården, NÄL Trollhättan", 37),
    ("NU-sjukvården, Uddevalla sjukhus", 34),
    ("Alingsås lasarett", 38),
    ("Kungälvs sjukhus", 32),
    ("Angereds Närsjukhus", GOTEBORG),
    ("Frölunda Specialistsjukhus", GOTEBORG),
];

/// Hospital units that prescribe assistive devices.
pub const WARDS: &[&str] = &[
    "Arbetsterapi och fysioterapi",
    "Geriatrisk avdelning",
    "Ortopedavdelning",
    "Strokeenhet",
    "Rehabiliteringsmedicin",
    "Medicinavdelning",
    "Neurologisk avdelning",
    "Palliativ vårdavdelning",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_has_49_municipalities_and_about_1_7_million_inhabitants() {
        assert_eq!(MUNICIPALITIES.len(), 49);
        let people: u32 = MUNICIPALITIES.iter().map(|m| m.population).sum();
        assert!((1_650_000..1_800_000).contains(&people), "{people}");
        assert_eq!(MUNICIPALITIES[GOTEBORG].code, "1480");
        let mut codes: Vec<_> = MUNICIPALITIES.iter().map(|m| m.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), 49);
    }
}

//! Swedish given and family names, weighted towards the generations that
//! hold most assistive devices (born 1925–1960), plus modern names for
//! children and staff.

pub const FEMALE_OLD: &[&str] = &[
    "Anna", "Margareta", "Elisabeth", "Eva", "Birgitta", "Kristina", "Karin", "Elisabet", "Marie", "Ingrid",
    "Christina", "Maria", "Kerstin", "Marianne", "Lena", "Inger", "Ulla", "Gunilla", "Barbro", "Britt",
    "Gun", "Inga", "Siv", "Ingegerd", "Elsa", "Astrid", "Gunnel", "Maj", "Ann-Marie", "Solveig",
    "Berit", "Monica", "Ann-Christin", "Gudrun", "Märta", "Greta", "Rut", "Sonja", "Ingeborg", "Aina",
    "Dagny", "Vera", "Elvy", "Iris", "Yvonne", "Agneta", "Gerd", "Rigmor", "Laila", "Majvor",
];

pub const MALE_OLD: &[&str] = &[
    "Lars", "Karl", "Anders", "Johan", "Per", "Erik", "Nils", "Jan", "Carl", "Hans",
    "Lennart", "Olof", "Gunnar", "Sven", "Bengt", "Bo", "Åke", "Göran", "Leif", "Kjell",
    "Ingvar", "Rolf", "Stig", "Bertil", "Sten", "Arne", "Lars-Erik", "Rune", "Gösta", "Sture",
    "Curt", "Evert", "Harry", "Tage", "Ove", "Roland", "Sune", "Folke", "Allan", "Yngve",
    "Torsten", "Gustav", "Axel", "Hugo", "Birger", "Uno", "Kent", "Tommy", "Ulf", "Christer",
];

pub const FEMALE_YOUNG: &[&str] = &[
    "Alice", "Maja", "Elsa", "Astrid", "Wilma", "Olivia", "Ebba", "Alma", "Freja", "Selma",
    "Vera", "Ella", "Saga", "Agnes", "Clara", "Stella", "Nora", "Ines", "Signe", "Lilly",
    "Emma", "Sara", "Julia", "Hanna", "Linnéa", "Sofia", "Amanda", "Matilda", "Frida", "Johanna",
];

pub const MALE_YOUNG: &[&str] = &[
    "Noah", "William", "Hugo", "Liam", "Lucas", "Oliver", "Elias", "Alexander", "Adam", "Matteo",
    "Vincent", "Theo", "Leo", "Ludvig", "Nils", "Gustav", "Arvid", "Oscar", "Vilgot", "Malte",
    "Erik", "Johan", "Mikael", "Fredrik", "Daniel", "Andreas", "Marcus", "Jonas", "Martin", "Mattias",
];

pub const FAMILY: &[&str] = &[
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson",
    "Magnusson", "Olofsson", "Lindström", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg",
    "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg",
    "Sjöberg", "Wallin", "Ali", "Engström", "Mohamed", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk",
    "Bergman", "Gunnarsson", "Holm", "Wikström", "Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Nyström",
    "Holmberg", "Arvidsson", "Löfgren", "Söderberg", "Nyberg", "Blomqvist", "Claesson", "Nordström", "Mårtensson",
    "Lundström", "Ahmed", "Viklund", "Björklund", "Eliasson", "Pålsson", "Hassan", "Berggren", "Sandström",
    "Lund", "Nordin", "Ström", "Åberg", "Hermansson", "Ekström", "Holmgren", "Falk", "Dahlberg", "Hellström",
    "Hedlund", "Sundberg", "Sjögren", "Ek", "Blom", "Abrahamsson", "Martinsson", "Öberg", "Andreasson",
    "Strömberg", "Månsson", "Åkesson", "Hansen", "Norberg", "Lindholm", "Dahl", "Jonasson", "Kovačević",
    "Yilmaz", "Nguyen", "Haddad", "Virtanen", "Korhonen", "Novak", "Ibrahim", "Osman", "Khalil",
];

/// Lower-case ASCII for usernames: `Åke Öberg` -> `ake.oberg`.
pub fn ascii_fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' | 'á' | 'à' => Some('a'),
            'ö' | 'Ö' | 'ø' | 'ó' => Some('o'),
            'é' | 'è' | 'É' => Some('e'),
            'č' | 'ć' => Some('c'),
            'ü' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn folding_keeps_usernames_ascii() {
        assert_eq!(super::ascii_fold("Lars-Erik"), "larserik");
        assert_eq!(super::ascii_fold("Åkesson"), "akesson");
        assert_eq!(super::ascii_fold("Kovačević"), "kovacevic");
    }
}

//! How big a demo data set is. The organisation (one region, 49
//! municipalities, their units and staff) is the same shape at every scale;
//! the catalog, the patients and the devices grow.

use ramp_domain::FieldError;
use std::fmt;
use std::str::FromStr;

/// `small` for tests and a first look, `region` for a realistic region
/// (the seeds' Västra Götaland), `national` for benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    Small,
    Region,
    National,
}

impl Scale {
    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Small => "small",
            Scale::Region => "region",
            Scale::National => "national",
        }
    }

    pub(crate) fn params(self) -> Params {
        match self {
            Scale::Small => Params {
                unit_density: 0.0,
                hospitals: 3,
                portal_users: 300,
                hmc_users: 40,
                articles: 300,
                patients: 1_200,
                batch: 5_000,
            },
            Scale::Region => Params {
                unit_density: 1.0,
                hospitals: usize::MAX,
                portal_users: 8_000,
                hmc_users: 700,
                articles: 30_000,
                patients: 250_000,
                batch: 20_000,
            },
            Scale::National => Params {
                unit_density: 1.0,
                hospitals: usize::MAX,
                portal_users: 8_000,
                hmc_users: 700,
                articles: 500_000,
                patients: 3_070_000,
                batch: 20_000,
            },
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scale {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        match s {
            "small" => Ok(Scale::Small),
            "region" => Ok(Scale::Region),
            "national" => Ok(Scale::National),
            _ => Err(FieldError::new(
                "scale",
                "invalid_scale",
                format!("unknown scale '{s}' (expected one of: small, region, national)"),
            )),
        }
    }
}

/// The numbers behind a scale. Devices are not a parameter: they follow
/// from the patients (about 1.15 held each) plus 3 in 7 in the fleet
/// (stock, workshop, scrapped, lost), so that ~70 % are out with patients.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    /// 1.0 gives units in proportion to population; 0.0 the minimum per municipality.
    pub unit_density: f64,
    /// How many of the region's hospitals get wards.
    pub hospitals: usize,
    pub portal_users: usize,
    pub hmc_users: usize,
    pub articles: usize,
    pub patients: usize,
    /// Rows of the driving table per insert call (memory stays bounded).
    pub batch: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_scale_names_the_field_and_the_choices() {
        let e = "huge".parse::<Scale>().unwrap_err();
        assert_eq!(e.field, "scale");
        assert!(e.message.contains("small, region, national"));
        assert_eq!("region".parse::<Scale>().unwrap(), Scale::Region);
    }
}

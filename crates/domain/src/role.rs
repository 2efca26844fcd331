//! Who a user is in the supply chain. Roles decide what a user may do;
//! the organisation scope (principal, unit) decides where.

use crate::Term;
use serde::{Deserialize, Serialize};
use strum::{IntoStaticStr, VariantArray};

/// A user's role. A user may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, VariantArray, strum::Display)]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// Förskrivare: OT, PT, nurse.
    Prescriber,
    /// Beställare for a unit: basic equipment and buffer stock.
    UnitOrderer,
    /// Beställare of personal devices within health care.
    PersonalOrdererHealth,
    /// Beställare of personal devices within social services.
    PersonalOrdererSocial,
    /// HMC kundtjänst.
    CustomerService,
    /// HMC lager.
    Warehouse,
    /// HMC tekniker.
    Technician,
    /// HMC konsulent.
    Consultant,
    /// HMC ekonomi.
    Finance,
    /// System administrator.
    Admin,
    /// Logggranskare: reviews who read which patient's data (Patientdatalagen
    /// 4 kap. 3 §), hands out patients' log extracts and signs off emergency
    /// accesses. Not an HMC role: it gives no ground to read patient data.
    AuditReviewer,
}

impl Term for Role {
    const FIELD: &'static str = "role";
    const CODE: &'static str = "invalid_role";
}

impl Role {
    /// Roles of the assistive-device centre's own staff.
    pub fn is_hmc(self) -> bool {
        matches!(
            self,
            Role::CustomerService | Role::Warehouse | Role::Technician | Role::Consultant | Role::Finance | Role::Admin
        )
    }

    /// May review the audit log (who read which patient's data).
    pub fn reviews_audit_log(self) -> bool {
        self == Role::AuditReviewer
    }

    pub fn name_sv(self) -> &'static str {
        match self {
            Role::Prescriber => "Förskrivare",
            Role::UnitOrderer => "Beställare (enhet)",
            Role::PersonalOrdererHealth => "Beställare personliga hjälpmedel (hälso- och sjukvård)",
            Role::PersonalOrdererSocial => "Beställare personliga hjälpmedel (socialtjänst)",
            Role::CustomerService => "Kundtjänst",
            Role::Warehouse => "Lager",
            Role::Technician => "Tekniker",
            Role::Consultant => "Konsulent",
            Role::Finance => "Ekonomi",
            Role::Admin => "Administratör",
            Role::AuditReviewer => "Logggranskare",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Role::Prescriber => "Prescriber",
            Role::UnitOrderer => "Orderer (unit)",
            Role::PersonalOrdererHealth => "Orderer of personal devices (health care)",
            Role::PersonalOrdererSocial => "Orderer of personal devices (social services)",
            Role::CustomerService => "Customer service",
            Role::Warehouse => "Warehouse",
            Role::Technician => "Technician",
            Role::Consultant => "Consultant",
            Role::Finance => "Finance",
            Role::Admin => "Administrator",
            Role::AuditReviewer => "Audit reviewer",
        }
    }
}

//! Who a user is in the supply chain. Roles decide what a user may do;
//! the organisation scope (principal, unit) decides where.

use crate::article::str_enum;
use crate::FieldError;

str_enum!(
    /// A user's role. A user may have several.
    Role, "role", {
        /// Förskrivare: OT, PT, nurse.
        Prescriber = "prescriber",
        /// Beställare for a unit: basic equipment and buffer stock.
        UnitOrderer = "unit_orderer",
        /// Beställare of personal devices within health care.
        PersonalOrdererHealth = "personal_orderer_health",
        /// Beställare of personal devices within social services.
        PersonalOrdererSocial = "personal_orderer_social",
        /// HMC kundtjänst.
        CustomerService = "customer_service",
        /// HMC lager.
        Warehouse = "warehouse",
        /// HMC tekniker.
        Technician = "technician",
        /// HMC konsulent.
        Consultant = "consultant",
        /// HMC ekonomi.
        Finance = "finance",
        /// System administrator.
        Admin = "admin",
    }
);

impl Role {
    /// Roles of the assistive-device centre's own staff.
    pub fn is_hmc(self) -> bool {
        matches!(
            self,
            Role::CustomerService | Role::Warehouse | Role::Technician | Role::Consultant | Role::Finance | Role::Admin
        )
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
        }
    }
}

//! Share of digital orders (issue 22; seed 003: "När det gäller andelen
//! digitala beställningar via 1177 ses en ökning på totalen från 20 % till
//! 25 %"): orders placed per Stockholm month and channel, and the share the
//! patients placed themselves through 1177.
//!
//! Counted: every order placed in the month (by the Stockholm date of its
//! creation), cancelled ones included, since the figure is about how
//! orders arrive, not how they end. The storage counts orders per channel
//! and [`UtcSlot`]; this module folds the slots into months.

use super::{Month, MonthRange, ShareCell, UtcSlot};
use crate::order::OrderChannel;
use crate::Term;
use std::collections::BTreeMap;

/// Orders of one channel placed in one UTC slot, as the storage counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelGroup {
    pub slot: UtcSlot,
    pub channel: OrderChannel,
    /// The code of the ordering unit's principal.
    pub principal: String,
    pub orders: i64,
}

/// One month (or the whole range) of orders per channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelMonth {
    /// The month; for the range's total, its last month.
    pub month: Month,
    /// Orders per channel, in [`OrderChannel::ALL`] order.
    pub per_channel: Vec<(OrderChannel, i64)>,
    /// Orders placed through 1177 (`part`) of all orders placed (`whole`).
    pub digital: ShareCell,
}

impl ChannelMonth {
    fn of(month: Month, counts: &BTreeMap<OrderChannel, i64>) -> ChannelMonth {
        let per_channel: Vec<(OrderChannel, i64)> =
            OrderChannel::ALL.iter().map(|c| (*c, counts.get(c).copied().unwrap_or(0))).collect();
        let whole = per_channel.iter().map(|(_, n)| n).sum();
        let part = per_channel.iter().filter(|(c, _)| c.is_digital()).map(|(_, n)| n).sum();
        ChannelMonth { month, per_channel, digital: ShareCell::new(month, part, whole) }
    }

    /// Orders of `channel` (0 when none).
    pub fn count(&self, channel: OrderChannel) -> i64 {
        self.per_channel.iter().find(|(c, _)| *c == channel).map_or(0, |(_, n)| *n)
    }
}

/// The figure: one row per month of the range and the range in total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitalOrders {
    pub months: Vec<ChannelMonth>,
    pub total: ChannelMonth,
}

/// Orders per Stockholm month and channel, and the share placed through
/// 1177, for every month of `range` (months without orders show no share).
pub fn digital_orders(range: &MonthRange, groups: &[ChannelGroup]) -> DigitalOrders {
    let mut per_month: BTreeMap<Month, BTreeMap<OrderChannel, i64>> = BTreeMap::new();
    let mut total: BTreeMap<OrderChannel, i64> = BTreeMap::new();
    for g in groups {
        let month = g.slot.month();
        if range.contains(month) {
            *per_month.entry(month).or_default().entry(g.channel).or_default() += g.orders;
            *total.entry(g.channel).or_default() += g.orders;
        }
    }
    let empty = BTreeMap::new();
    DigitalOrders {
        months: range.months().into_iter().map(|m| ChannelMonth::of(m, per_month.get(&m).unwrap_or(&empty))).collect(),
        total: ChannelMonth::of(range.to, &total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn slot(y: i32, m: u32, d: u32, h: u32) -> UtcSlot {
        UtcSlot::new(NaiveDate::from_ymd_opt(y, m, d).unwrap(), h)
    }

    fn group(slot: UtcSlot, channel: OrderChannel, orders: i64) -> ChannelGroup {
        ChannelGroup { slot, channel, principal: "01".into(), orders }
    }

    #[test]
    fn figures_digital_share_is_1177_orders_of_all_orders_per_stockholm_month() {
        let range = MonthRange::new(Month::new(2024, 3).unwrap(), Month::new(2024, 4).unwrap()).unwrap();
        let groups = [
            group(slot(2024, 3, 5, 9), OrderChannel::Portal, 3),
            group(slot(2024, 3, 5, 9), OrderChannel::Patient1177, 1),
            // 23:30 UTC on 31 March is 01:30 on 1 April in Stockholm (summer time).
            group(slot(2024, 3, 31, 23), OrderChannel::Patient1177, 1),
            group(slot(2024, 4, 10, 9), OrderChannel::HmcStaff, 2),
            group(slot(2024, 4, 10, 9), OrderChannel::Api, 1),
            // Outside the range.
            group(slot(2024, 5, 2, 9), OrderChannel::Patient1177, 7),
        ];
        let f = digital_orders(&range, &groups);
        assert_eq!((f.months[0].digital.part, f.months[0].digital.whole), (1, 4));
        assert_eq!(f.months[0].digital.percent.unwrap().number_sv(), "25,00");
        assert_eq!((f.months[1].digital.part, f.months[1].digital.whole), (1, 4));
        assert_eq!(f.months[1].count(OrderChannel::HmcStaff), 2);
        assert_eq!((f.total.digital.part, f.total.digital.whole), (2, 8));
        assert_eq!(f.total.per_channel.iter().map(|(c, _)| *c).collect::<Vec<_>>(), OrderChannel::ALL);
    }

    #[test]
    fn figures_a_month_without_orders_has_no_digital_share() {
        let range = MonthRange::new(Month::new(2024, 3).unwrap(), Month::new(2024, 3).unwrap()).unwrap();
        let f = digital_orders(&range, &[]);
        assert_eq!(f.months[0].digital.percent, None);
        assert_eq!(f.months[0].digital.whole, 0);
    }

    #[test]
    fn figures_the_channel_names_are_stored_in_snake_case_and_1177_keeps_its_digits() {
        let names: Vec<&str> = OrderChannel::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, ["portal", "api", "patient_1177", "hmc_staff"]);
        assert_eq!(OrderChannel::parse("patient_1177"), Ok(OrderChannel::Patient1177));
        assert_eq!(OrderChannel::Patient1177.to_string(), "patient_1177");
    }

    #[test]
    fn figures_an_order_the_centre_places_in_the_portal_is_staff_registered() {
        assert_eq!(OrderChannel::Portal.recorded(true), OrderChannel::HmcStaff);
        assert_eq!(OrderChannel::Portal.recorded(false), OrderChannel::Portal);
        assert_eq!(OrderChannel::Api.recorded(true), OrderChannel::Api);
    }

    #[test]
    fn figures_the_api_may_claim_1177_only_for_a_patient_order_and_never_the_portal() {
        use crate::order::{api_channel, OrderTarget};
        assert_eq!(api_channel(None, OrderTarget::Unit), Ok(OrderChannel::Api));
        assert_eq!(api_channel(Some("patient_1177"), OrderTarget::Patient), Ok(OrderChannel::Patient1177));
        assert_eq!(api_channel(Some("patient_1177"), OrderTarget::Unit).unwrap_err().code, "channel_not_allowed");
        assert_eq!(api_channel(Some("portal"), OrderTarget::Patient).unwrap_err().field, "channel");
        assert_eq!(api_channel(Some("fax"), OrderTarget::Patient).unwrap_err().code, "invalid_channel");
    }
}

//! Texts of the order list (search, filters, sort, paging) and of the
//! menu's grouping and "Meny" button, Swedish first (looked up after the
//! main table; keys are unique across the tables).

pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    ("orders.title.mine", "Mina beställningar", "My orders"),
    ("orders.title.unit", "Enhetens beställningar", "My unit's orders"),
    ("orders.title.all", "Alla beställningar", "All orders"),
    ("orders.filters", "Sök och filtrera", "Search and filter"),
    ("orders.scope", "Visa", "Show"),
    ("orders.scope.mine", "Mina beställningar", "My orders"),
    ("orders.scope.unit", "Min enhets beställningar", "My unit's orders"),
    ("orders.scope.all", "Alla beställningar", "All orders"),
    ("orders.q", "Sök", "Search"),
    (
        "orders.q_hint",
        "Ordernummer, artikelnamn eller artikelnummer. Sök inte på patient här: öppna patienten i stället.",
        "Order number, article name or article number. Do not search for a patient here: open the patient instead.",
    ),
    ("orders.status", "Status", "Status"),
    ("orders.any_status", "Alla", "Any"),
    ("orders.from", "Skapad från och med", "Created from"),
    ("orders.to", "Skapad till och med", "Created until"),
    ("orders.per_page", "Per sida", "Per page"),
    ("orders.submit", "Visa beställningar", "Show orders"),
    ("orders.clear", "Rensa", "Clear"),
    ("orders.results", "Beställningar", "Orders"),
    ("orders.showing", "Visar", "Showing"),
    ("orders.of", "av", "of"),
    ("orders.none_match", "Inga beställningar matchar.", "No orders match."),
    ("orders.list_caption", "Beställningar", "Orders"),
    ("orders.pages", "Sidor", "Pages"),
    ("orders.previous", "Föregående", "Previous"),
    ("orders.next", "Nästa", "Next"),
    ("orders.page", "Sida", "Page"),
    ("nav.menu", "Meny", "Menu"),
    ("nav.group.ordering", "Beställa", "Ordering"),
    ("nav.group.centre", "Hjälpmedelscentralen", "The centre"),
    ("nav.group.reports", "Uppföljning", "Follow-up"),
];

pub(super) const ERRORS: &[(&str, &str, &str)] = &[
    ("invalid_scope", "Välj mina, enhetens eller alla beställningar.", "Choose my, my unit's or all orders."),
    ("no_unit", "Du tillhör ingen enhet.", "You belong to no unit."),
    ("invalid_status@status", "Välj en status i listan.", "Choose a status from the list."),
    ("invalid_sort", "Sortera efter datum, status eller ordernummer.", "Sort by date, status or order number."),
    ("invalid_dir", "Välj stigande eller fallande ordning.", "Choose ascending or descending order."),
    ("invalid_number@page", "Sidnumret ska vara ett heltal från 1.", "The page number is a whole number from 1."),
    ("invalid_number@per_page", "Välj 10, 25, 50 eller 100 per sida.", "Choose 10, 25, 50 or 100 per page."),
];

//! Integration tests of the cost-responsibility engine, in one binary:
//! conformance tables that quote the sentence each rule rests on, property
//! tests, the agreement files, check and diff.

#[macro_use]
#[path = "cost/support.rs"]
mod support;

#[path = "cost/agreement_files.rs"]
mod agreement_files;
#[path = "cost/check_and_diff.rs"]
mod check_and_diff;
#[path = "cost/conformance_sormland.rs"]
mod conformance_sormland;
#[path = "cost/conformance_stockholm.rs"]
mod conformance_stockholm;
#[path = "cost/costly_treatment.rs"]
mod costly_treatment;
#[path = "cost/input_errors.rs"]
mod input_errors;
#[path = "cost/properties.rs"]
mod properties;
#[path = "cost/versions.rs"]
mod versions;

//! The one end-to-end test binary: the real server on a real socket (port 0, a temporary data
//! directory with the demo data), real HTTP with ureq. One module per feature.

mod auth_matrix;
mod axe;
mod bad_inputs;
mod console;
mod console_accounts;
mod console_booking;
mod console_calls;
mod console_competence_errors;
mod console_confirm;
mod console_desk_nav;
mod console_forms;
mod console_forms_kept;
mod console_places;
mod console_screenshots;
mod console_tirocinio;
mod dates;
mod durability;
mod faults;
mod flows;
mod helpers;
mod office_scoping;
mod outreach_cli;
mod snapshots;
mod traceability;
mod vocabulary_cli;

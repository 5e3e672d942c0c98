//! The routes, one module per area. Handlers extract, authorize, call the engine on the pool
//! and map; nothing else.

use actix_web::web;

pub mod admin;
pub mod companies;
pub mod outreach;
pub mod people;
pub mod placements;
pub mod suggest;
pub mod system;
pub mod taxonomy;
pub mod training;
pub mod vacancies;

/// Registers every route.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .service(system::health)
        .service(system::metrics)
        .service(system::openapi)
        .service(system::docs)
        .service(taxonomy::search_skills)
        .service(taxonomy::skill_hierarchy)
        .service(taxonomy::skill)
        .service(taxonomy::search_occupations)
        .service(taxonomy::occupation)
        .service(companies::list)
        .service(companies::create)
        .service(companies::get)
        .service(companies::replace)
        .service(vacancies::list)
        .service(vacancies::create)
        .service(vacancies::requirements)
        .service(vacancies::set_requirements)
        .service(vacancies::validate)
        .service(suggest::suggest)
        .service(suggest::vacancy_feedback)
        .service(suggest::vacancy_feedback_list)
        .service(suggest::person_feedback)
        .service(suggest::person_feedback_list)
        .service(people::candidates_for_vacancy)
        .service(training::courses_for_gap)
        .service(training::course_doors)
        .service(training::demand)
        .service(outreach::campaigns)
        .service(outreach::funnel)
        .service(outreach::call_list)
        .service(outreach::record_attempt)
        .service(outreach::undo_refusal)
        .service(vacancies::get)
        .service(vacancies::replace)
        .service(people::lookup)
        .service(placements::list)
        .service(placements::record)
        .service(people::competences)
        .service(people::work_history)
        .service(people::personal_data)
        .service(people::explanation)
        .service(people::vacancies_for_person)
        .service(people::get)
        .service(admin::stats)
        .service(admin::audit)
        .service(admin::keys);
}

//! The OpenAPI document (generated from the handlers' annotations with utoipa) and a plain HTML
//! rendering of it for `/docs` (no scripts, no CDN).

use std::fmt::Write;
use std::sync::OnceLock;

use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    admin, companies, outreach, people, placements, suggest, system, taxonomy, training, vacancies,
};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI description of the service.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Incontro",
        description = "Skills-based job matching for public employment services. Every error body is {\"message\", \"code\"}; match on code.",
        license(name = "EUPL-1.2")
    ),
    paths(
        system::health,
        system::metrics,
        system::openapi,
        system::docs,
        taxonomy::search_skills,
        taxonomy::skill,
        taxonomy::skill_hierarchy,
        taxonomy::search_occupations,
        taxonomy::occupation,
        companies::list,
        companies::create,
        companies::get,
        companies::replace,
        vacancies::list,
        vacancies::create,
        vacancies::get,
        vacancies::replace,
        vacancies::requirements,
        vacancies::set_requirements,
        vacancies::validate,
        people::get,
        people::competences,
        people::work_history,
        people::personal_data,
        people::lookup,
        people::vacancies_for_person,
        people::explanation,
        people::candidates_for_vacancy,
        placements::list,
        placements::record,
        suggest::suggest,
        suggest::vacancy_feedback,
        suggest::vacancy_feedback_list,
        suggest::person_feedback,
        suggest::person_feedback_list,
        training::courses_for_gap,
        training::course_doors,
        training::demand,
        outreach::campaigns,
        outreach::funnel,
        outreach::call_list,
        outreach::record_attempt,
        admin::stats,
        admin::audit,
        admin::keys,
    ),
    components(schemas(
        crate::error::ErrorBody,
        crate::api::PageDoc,
        crate::api::PersonItemsDoc,
        crate::api::CompanyBody,
        crate::api::SiteBody,
        crate::api::VacancyBody,
        crate::api::PlacementBody,
        crate::api::SourceBody,
        crate::api::RequirementBody,
        crate::api::RequirementsBody,
        crate::api::RequirementView,
        crate::api::RequirementsView,
        crate::api::LookupBody,
        crate::api::LookupResult,
        crate::api::Health,
        crate::api::Stats,
        outreach::AttemptBody,
        placements::PlacementRecordBody,
        suggest::SuggestBody,
        suggest::DecisionBody,
        suggest::FeedbackBody,
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The document as JSON (built once).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        serde_json::to_value(ApiDoc::openapi())
            .unwrap_or_else(|_| Value::Object(Default::default()))
    })
}

/// The methods the documented route matching `path` answers to (upper case, sorted), if any
/// route of the document matches it: how the service tells 405 from 404.
pub fn methods_for(path: &str) -> Option<Vec<String>> {
    static ROUTES: OnceLock<Vec<(actix_web::dev::ResourceDef, Vec<String>)>> = OnceLock::new();
    let routes = ROUTES.get_or_init(|| {
        let Some(paths) = document().get("paths").and_then(Value::as_object) else {
            return Vec::new();
        };
        paths
            .iter()
            .map(|(pattern, item)| {
                let mut methods: Vec<String> = item
                    .as_object()
                    .map(|operations| {
                        operations
                            .keys()
                            .filter(|key| {
                                matches!(
                                    key.as_str(),
                                    "get"
                                        | "post"
                                        | "put"
                                        | "patch"
                                        | "delete"
                                        | "head"
                                        | "options"
                                )
                            })
                            .map(|key| key.to_ascii_uppercase())
                            .collect()
                    })
                    .unwrap_or_default();
                methods.sort();
                (actix_web::dev::ResourceDef::new(pattern.as_str()), methods)
            })
            .collect()
    });
    routes
        .iter()
        .find(|(resource, _)| resource.is_match(path))
        .map(|(_, methods)| methods.clone())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn text_of(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The document rendered as a self-contained HTML page.
pub fn html() -> String {
    let document = document();
    let mut page = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Incontro API</title>\
         <style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}\
         code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse}\
         td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\
         h3{margin-top:2em}</style></head><body>",
    );
    let info = &document["info"];
    let _ = write!(
        page,
        "<h1>{} {}</h1><p>{}</p><p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a>. \
         Authenticate with <code>Authorization: Bearer &lt;key&gt;</code> \
         (created with <code>incontro keys create --role R</code>).</p>",
        escape(&text_of(info, "title")),
        escape(&text_of(info, "version")),
        escape(&text_of(info, "description")),
    );
    let Some(paths) = document["paths"].as_object() else {
        page.push_str("</body></html>");
        return page;
    };
    for (path, item) in paths {
        let Some(operations) = item.as_object() else {
            continue;
        };
        for (method, operation) in operations {
            let _ = write!(
                page,
                "<h3><code>{} {}</code></h3><p>{}</p>",
                escape(&method.to_uppercase()),
                escape(path),
                escape(&text_of(operation, "description").replace('\n', " ")),
            );
            if let Some(parameters) = operation["parameters"].as_array() {
                page.push_str("<table><tr><th>parameter</th><th>in</th><th>required</th><th>description</th></tr>");
                for parameter in parameters {
                    let _ = write!(
                        page,
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        escape(&text_of(parameter, "name")),
                        escape(&text_of(parameter, "in")),
                        parameter["required"].as_bool().unwrap_or(false),
                        escape(&text_of(parameter, "description")),
                    );
                }
                page.push_str("</table>");
            }
            if let Some(body) =
                operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str()
            {
                let _ = write!(
                    page,
                    "<p>Body: <code>{}</code></p>",
                    escape(body.trim_start_matches("#/components/schemas/"))
                );
            }
            if let Some(responses) = operation["responses"].as_object() {
                page.push_str("<table><tr><th>status</th><th>meaning</th></tr>");
                for (status, response) in responses {
                    let _ = write!(
                        page,
                        "<tr><td>{}</td><td>{}</td></tr>",
                        escape(status),
                        escape(&text_of(response, "description")),
                    );
                }
                page.push_str("</table>");
            }
        }
    }
    if let Some(schemas) = document["components"]["schemas"].as_object() {
        page.push_str("<h2>Schemas</h2>");
        for (name, schema) in schemas {
            let _ = write!(page, "<h3 id=\"{0}\">{0}</h3>", escape(name));
            if let Some(properties) = schema["properties"].as_object() {
                page.push_str("<table><tr><th>field</th><th>description</th></tr>");
                for (field, property) in properties {
                    let _ = write!(
                        page,
                        "<tr><td><code>{}</code></td><td>{}</td></tr>",
                        escape(field),
                        escape(&text_of(property, "description")),
                    );
                }
                page.push_str("</table>");
            }
        }
    }
    page.push_str("</body></html>");
    page
}

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
        outreach::undo_refusal,
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
        outreach::UndoRefusalBody,
        placements::PlacementRecordBody,
        suggest::SuggestBody,
        suggest::DecisionBody,
        suggest::FeedbackBody,
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The document as JSON (built once), completed by `complete` (operation ids, error statuses).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut document = serde_json::to_value(ApiDoc::openapi())
            .unwrap_or_else(|_| Value::Object(Default::default()));
        complete(&mut document);
        constrain_bodies(&mut document);
        document
    })
}

/// The statuses every operation may answer besides its own, and why.
const COMMON_STATUSES: [(&str, &str); 4] = [
    (
        "400",
        "invalid_query (an unknown or malformed query parameter) or another invalid input",
    ),
    ("500", "internal (generic message; the cause is logged)"),
    (
        "503",
        "request_timeout (the engine call did not finish in time)",
    ),
    (
        "507",
        "storage_full (the disk of the store is full: nothing was written; audited reads write too)",
    ),
];

/// What the handlers' annotations leave implicit, made explicit so that the document is true for
/// client generators and checkers (issue 21):
/// - operation ids are unique: a handler name used in several modules (`get`, `list`,
///   `create`, `replace`) is prefixed with its tag;
/// - every operation lists the statuses the service's common checks can answer (400, 500 and
///   503 everywhere; 401 and 403 with a key; 404 with a path id; 408, 413 and 415 with a body),
///   each with the error body;
/// - path ids state their format, paging and `k` their ranges (the defaults of the
///   configuration).
fn complete(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in paths.values() {
        for operation in item.as_object().into_iter().flat_map(|item| item.values()) {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                *seen.entry(id.to_string()).or_default() += 1;
            }
        }
    }
    let error_body = serde_json::json!({
        "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
    });
    for (path, item) in paths.iter_mut() {
        let Some(operations) = item.as_object_mut() else {
            continue;
        };
        for operation in operations.values_mut() {
            let Some(operation) = operation.as_object_mut() else {
                continue;
            };
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                if seen.get(id).copied().unwrap_or(0) > 1 {
                    let tag = operation
                        .get("tags")
                        .and_then(|tags| tags.get(0))
                        .and_then(Value::as_str)
                        .unwrap_or("api")
                        .replace(' ', "_");
                    let unique = format!("{tag}_{id}");
                    operation.insert("operationId".into(), Value::String(unique));
                }
            }
            let secured = operation.contains_key("security");
            let has_body = operation.contains_key("requestBody");
            let has_path_id = path.contains('{');
            let mut statuses: Vec<(&str, &str)> = COMMON_STATUSES.to_vec();
            if secured {
                statuses.push(("401", "missing_api_key or invalid_api_key"));
                statuses.push(("403", "forbidden_role or other_office"));
            }
            if has_path_id {
                statuses.push(("404", "the object does not exist"));
            }
            if has_body {
                statuses.push(("408", "body_timeout (the body was not received in time)"));
                statuses.push(("413", "payload_too_large"));
                statuses.push(("415", "unsupported_media_type (send application/json)"));
            }
            let responses = operation
                .entry("responses")
                .or_insert_with(|| Value::Object(Default::default()));
            if let Some(responses) = responses.as_object_mut() {
                for (status, description) in statuses {
                    responses.entry(status).or_insert_with(
                        || serde_json::json!({"description": description, "content": error_body}),
                    );
                }
            }
            if let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            {
                for parameter in parameters {
                    constrain(path, parameter);
                }
            }
        }
    }
}

/// The format of an entity id (companies, vacancies, job seekers).
const ID_PATTERN: &str = "^[A-Za-z0-9_.-]{1,64}$";
/// The format of a comune (codice catastale).
const COMUNE_PATTERN: &str = "^[A-Z][0-9]{3}$";

/// The format of a codice fiscale as stored (upper case): 16 characters of a natural person
/// (digits or their omocodia letters where digits go) or 11 digits of a legal person. The last
/// character is a check character the pattern cannot state (`format: codice-fiscale`).
pub const CODICE_FISCALE_PATTERN: &str =
    "^([A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]|[0-9]{11})$";
/// Any character but a control character other than tab, line feed, form feed and return.
const NOT_CONTROL: &str = "[^\\u0000-\\u0008\\u000b\\u000e-\\u001f\\u007f-\\u009f]";
/// What the document says of the check characters (`format: codice-fiscale` / `partita-iva`).
const CHECK_CHARACTER: &str = " The last character is a check character computed from the \
    others (codice fiscale of a person: DM 23/12/1976; 11 digits: the Luhn-like check digit of \
    the partita IVA); a wrong one is 400 invalid_codice_fiscale / invalid_partita_iva.";

/// A text field the service trims and counts: 1 to `most` characters, not only spaces.
fn text(most: usize) -> Value {
    serde_json::json!({"minLength": 1, "maxLength": most, "pattern": NOT_BLANK})
}

/// At least one character that is not white space. The service trims Unicode white space,
/// which also counts NEL (U+0085), a character JSON Schema's `\s` (ECMAScript's) does not.
const NOT_BLANK: &str = "[^\\s\\u0085]";

/// States the checked formats and ranges of the request bodies' fields (component schemas),
/// and the field combinations the service requires as `oneOf` branches.
fn constrain_bodies(document: &mut Value) {
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let skill =
        serde_json::json!({"pattern": "^http://data\\.europa\\.eu/esco/skill/[0-9a-f-]{36}$"});
    let codice_fiscale =
        serde_json::json!({"pattern": CODICE_FISCALE_PATTERN, "format": "codice-fiscale"});
    let rules: Vec<(&str, &str, Value)> = vec![
        (
            "PlacementRecordBody",
            "kind",
            serde_json::json!({"enum": ["proposal", "placement"]}),
        ),
        (
            "PlacementRecordBody",
            "placement_type",
            serde_json::json!({"enum": ["contract", "tirocinio"]}),
        ),
        (
            "DecisionBody",
            "match_kind",
            serde_json::json!({"enum": ["exact", "inflection", "word_order", "typo", "partial", "description", null]}),
        ),
        (
            "DecisionBody",
            "score",
            serde_json::json!({"minimum": 0, "maximum": 1}),
        ),
        (
            "SuggestBody",
            "lang",
            serde_json::json!({"enum": ["it", "en", null]}),
        ),
        (
            "SuggestBody",
            "top",
            serde_json::json!({"minimum": 1, "maximum": 200}),
        ),
        // Text, not binary: no control characters but tab and line ends (the service tolerates
        // a few), a letter or digit somewhere; at most 64 KiB (16,384 characters of up to 4 bytes).
        (
            "SuggestBody",
            "text",
            serde_json::json!({
                "minLength": 1,
                "maxLength": 16_384,
                "pattern": format!("^{NOT_CONTROL}*[0-9A-Za-z]{NOT_CONTROL}*$"),
            }),
        ),
        // (0, 10] in the service; the document's lower bound keeps clear of what an f32
        // rounds to 0.
        (
            "RequirementBody",
            "weight",
            serde_json::json!({"minimum": 0.000001, "maximum": 10}),
        ),
        (
            "RequirementBody",
            "level",
            serde_json::json!({"minimum": 1, "maximum": 4}),
        ),
        ("RequirementBody", "skill", skill.clone()),
        (
            "RequirementsBody",
            "requirements",
            serde_json::json!({"maxItems": 200}),
        ),
        ("DecisionBody", "skill_uri", skill),
        (
            "DecisionBody",
            "level",
            serde_json::json!({"minimum": 1, "maximum": 4}),
        ),
        (
            "FeedbackBody",
            "decisions",
            serde_json::json!({"minItems": 1, "maxItems": 500}),
        ),
        (
            "UndoRefusalBody",
            "reason",
            serde_json::json!({"minLength": 1, "maxLength": 500, "pattern": NOT_BLANK}),
        ),
        (
            "SiteBody",
            "comune",
            serde_json::json!({"pattern": COMUNE_PATTERN}),
        ),
        (
            "CompanyBody",
            "id",
            serde_json::json!({"pattern": ID_PATTERN}),
        ),
        ("CompanyBody", "name", text(200)),
        ("CompanyBody", "codice_fiscale", codice_fiscale.clone()),
        (
            "CompanyBody",
            "partita_iva",
            serde_json::json!({"pattern": "^[0-9]{11}$", "format": "partita-iva"}),
        ),
        ("CompanyBody", "sites", serde_json::json!({"minItems": 1})),
        ("LookupBody", "codice_fiscale", codice_fiscale),
        (
            "VacancyBody",
            "comune",
            serde_json::json!({"pattern": COMUNE_PATTERN}),
        ),
        (
            "VacancyBody",
            "id",
            serde_json::json!({"pattern": ID_PATTERN}),
        ),
        (
            "VacancyBody",
            "company_id",
            serde_json::json!({"pattern": ID_PATTERN}),
        ),
        ("VacancyBody", "title", text(200)),
        (
            "VacancyBody",
            "description",
            serde_json::json!({"maxLength": 10_000}),
        ),
        (
            "VacancyBody",
            "occupation",
            serde_json::json!({"pattern": "^http://data\\.europa\\.eu/esco/occupation/[0-9a-f-]{36}$"}),
        ),
        (
            "VacancyBody",
            "positions",
            serde_json::json!({"minimum": 1, "maximum": 1000}),
        ),
        (
            "VacancyBody",
            "weekly_hours",
            serde_json::json!({"minimum": 1, "maximum": 60}),
        ),
        (
            "VacancyBody",
            "requirements",
            serde_json::json!({"maxItems": 200}),
        ),
        (
            "PlacementRecordBody",
            "vacancy_id",
            serde_json::json!({"pattern": ID_PATTERN}),
        ),
        (
            "AttemptBody",
            "operator",
            serde_json::json!({"minLength": 1}),
        ),
        (
            "AttemptBody",
            "result",
            serde_json::json!({"enum": ["answered", "no_answer", "busy", "wrong_number", "refused"]}),
        ),
    ];
    for (schema, property, constraints) in rules {
        let Some(target) = schemas
            .get_mut(schema)
            .and_then(|schema| schema.pointer_mut(&format!("/properties/{property}")))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if property == "weight" {
            target.remove("exclusiveMinimum");
        }
        if let Some(constraints) = constraints.as_object() {
            for (key, value) in constraints {
                target.insert(key.clone(), value.clone());
            }
        }
        if constraints.get("format").is_some() {
            let description = target
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let description = format!("{description}{CHECK_CHARACTER}");
            target.insert("description".into(), Value::String(description));
        }
    }
    // The tagged bodies' branches: each names its fields only, as the service reads them.
    for (schema, branch, property, constraints) in [
        (
            "PlacementBody",
            0,
            "contract_type",
            serde_json::json!({"pattern": "^[A-Z]\\.[0-9]{2}\\.[0-9]{2}$"}),
        ),
        (
            "PlacementBody",
            1,
            "months",
            serde_json::json!({"minimum": 1, "maximum": 24}),
        ),
        ("SourceBody", 1, "name", text(200)),
    ] {
        if let Some(target) = schemas
            .get_mut(schema)
            .and_then(|schema| {
                schema.pointer_mut(&format!("/oneOf/{branch}/properties/{property}"))
            })
            .and_then(Value::as_object_mut)
        {
            for (key, value) in constraints.as_object().into_iter().flatten() {
                target.insert(key.clone(), value.clone());
            }
        }
    }
    for schema in ["PlacementBody", "SourceBody"] {
        if let Some(branches) = schemas
            .get_mut(schema)
            .and_then(|schema| schema.get_mut("oneOf"))
            .and_then(Value::as_array_mut)
        {
            for branch in branches.iter_mut().filter_map(Value::as_object_mut) {
                branch.insert("additionalProperties".into(), Value::Bool(false));
            }
        }
    }
    // A next-call day only with a result that is retried; a level with an accepted decision.
    split(
        schemas,
        "AttemptBody",
        "result",
        [
            (
                "retried",
                serde_json::json!({"type": "string", "enum": ["no_answer", "busy"]}),
                None,
                &[][..],
            ),
            (
                "final",
                serde_json::json!({"type": "string", "enum": ["answered", "wrong_number", "refused"]}),
                Some((
                    "next_call",
                    serde_json::json!({"type": "null", "description": "Only with no_answer or busy."}),
                )),
                &[][..],
            ),
        ],
    );
    split(
        schemas,
        "DecisionBody",
        "accepted",
        [
            (
                "accepted",
                serde_json::json!({"type": "boolean", "enum": [true]}),
                Some((
                    "level",
                    serde_json::json!({"type": "integer", "minimum": 1, "maximum": 4,
                        "description": "The level chosen, 1-4."}),
                )),
                &["level"][..],
            ),
            (
                "rejected",
                serde_json::json!({"type": "boolean", "enum": [false]}),
                None,
                &[][..],
            ),
        ],
    );
    // A create names its id; a replace takes it from the path (absent or equal in the body).
    for (name, new_name) in [
        ("CompanyBody", "NewCompanyBody"),
        ("VacancyBody", "NewVacancyBody"),
    ] {
        let Some(mut create) = schemas.get(name).cloned() else {
            continue;
        };
        if let Some(id) = create.pointer_mut("/properties/id") {
            id["type"] = Value::from("string");
        }
        if let Some(required) = create.get_mut("required").and_then(Value::as_array_mut) {
            required.insert(0, Value::from("id"));
        }
        schemas.insert(new_name.to_string(), create);
    }
    for (path, new_name) in [
        ("/v1/companies", "NewCompanyBody"),
        ("/v1/vacancies", "NewVacancyBody"),
    ] {
        let pointer = format!(
            "/paths/{}/post/requestBody/content/application~1json/schema",
            path.replace('/', "~1")
        );
        if let Some(schema) = document.pointer_mut(&pointer) {
            *schema = serde_json::json!({"$ref": format!("#/components/schemas/{new_name}")});
        }
    }
}

/// One branch of [`split`]: its title, the schema of the deciding field, a field it replaces
/// (or forbids, with `{"type": "null"}`) and the fields it adds to `required`.
type Branch<'a> = (&'a str, Value, Option<(&'a str, Value)>, &'a [&'a str]);

/// Rewrites the object schema `name` as a `oneOf` of branches told apart by `field`.
fn split<const N: usize>(
    schemas: &mut serde_json::Map<String, Value>,
    name: &str,
    field: &str,
    branches: [Branch<'_>; N],
) {
    let Some(base) = schemas.get(name).cloned() else {
        return;
    };
    let description = base.get("description").cloned().unwrap_or(Value::Null);
    let mut one_of = Vec::new();
    for (title, decider, replaced, required) in branches {
        let mut branch = base.clone();
        if let Some(branch) = branch.as_object_mut() {
            branch.remove("description");
        }
        branch["title"] = Value::from(title);
        if let Some(property) = branch.pointer_mut(&format!("/properties/{field}")) {
            let field_description = property.get("description").cloned();
            *property = decider;
            if let Some(field_description) = field_description {
                property["description"] = field_description;
            }
        }
        if let Some((replaced, schema)) = replaced {
            branch["properties"][replaced] = schema;
        }
        if let Some(list) = branch.get_mut("required").and_then(Value::as_array_mut) {
            list.extend(required.iter().map(|field| Value::from(*field)));
        }
        one_of.push(branch);
    }
    schemas.insert(
        name.to_string(),
        serde_json::json!({"description": description, "oneOf": one_of}),
    );
}

/// States the format or range the service checks on a parameter of the route `path`.
fn constrain(path: &str, parameter: &mut Value) {
    let name = parameter
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let location = parameter
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some(schema) = parameter.get_mut("schema").and_then(Value::as_object_mut) else {
        return;
    };
    let is_string = schema.get("type") == Some(&Value::from("string"));
    let defaults = crate::config::ServerConfig::default();
    // Taxonomy and campaign ids are not entity ids (ESCO UUIDs, campaign names).
    let entity_path = path.starts_with("/v1/companies")
        || path.starts_with("/v1/vacancies")
        || path.starts_with("/v1/job-seekers");
    let mut set = |key: &str, value: Value| {
        schema.insert(key.to_string(), value);
    };
    match (location.as_str(), name.as_str()) {
        ("path", "id" | "vacancy_id") if is_string && entity_path => {
            set("pattern", Value::from(ID_PATTERN));
        }
        ("query", "k") => {
            let most = if path.ends_with("/course-doors") {
                50
            } else {
                defaults.max_k
            };
            set("minimum", Value::from(1));
            set("maximum", Value::from(most));
        }
        ("query", "limit") => {
            let most = if path == "/v1/skills" {
                50
            } else {
                defaults.max_page_size
            };
            set("minimum", Value::from(1));
            set("maximum", Value::from(most));
        }
        ("query", "offset") => {
            set("minimum", Value::from(0));
            set("maximum", Value::from(10_000));
        }
        ("query", "min_score") => {
            set("minimum", Value::from(0));
            set("maximum", Value::from(1));
        }
        ("query", "lang") => {
            set("enum", serde_json::json!(["it", "en"]));
        }
        ("query", "comune" | "near") => {
            set("pattern", Value::from(COMUNE_PATTERN));
        }
        ("query", "company_id") => {
            set("pattern", Value::from(ID_PATTERN));
        }
        ("query", "q") => {
            set("minLength", Value::from(1));
            set("maxLength", Value::from(100));
            set("pattern", Value::from("[A-Za-z0-9]"));
        }
        ("query", "status") => {
            set("enum", serde_json::json!(["draft", "validated", "closed"]));
        }
        ("query", "comuni") => {
            set("pattern", Value::from("^[A-Z][0-9]{3}(,[A-Z][0-9]{3})*$"));
        }
        ("query", "near_km" | "max_km" | "vacancy_max_km" | "course_max_km") => {
            set("exclusiveMinimum", Value::from(0));
            set("maximum", Value::from(1000));
        }
        _ => {}
    }
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

#[cfg(test)]
mod completion_tests {
    use super::*;

    #[test]
    fn operation_ids_are_unique_and_common_statuses_listed() {
        let paths = document()["paths"].as_object().expect("paths");
        let mut ids = std::collections::HashSet::new();
        for (path, item) in paths {
            for (method, operation) in item.as_object().expect("operations") {
                let id = operation["operationId"].as_str().expect("operationId");
                assert!(ids.insert(id.to_string()), "{id} repeats ({method} {path})");
                let responses = operation["responses"].as_object().expect("responses");
                for status in ["400", "500", "503"] {
                    assert!(responses.contains_key(status), "{method} {path} {status}");
                }
                if operation.get("security").is_some() {
                    assert!(responses.contains_key("401"), "{method} {path} 401");
                    assert!(responses.contains_key("403"), "{method} {path} 403");
                }
                if operation.get("requestBody").is_some() {
                    assert!(responses.contains_key("413"), "{method} {path} 413");
                    assert!(responses.contains_key("415"), "{method} {path} 415");
                }
            }
        }
        assert!(
            ids.contains("companies_get") && ids.contains("vacancies_get"),
            "{ids:?}"
        );
    }

    /// Field combinations are `oneOf` branches, creates name their id, codes state their form.
    #[test]
    fn bodies_state_their_combinations_and_formats() {
        let schemas = &document()["components"]["schemas"];
        let attempt = schemas["AttemptBody"]["oneOf"].as_array().expect("oneOf");
        assert_eq!(
            attempt[0]["properties"]["result"]["enum"],
            serde_json::json!(["no_answer", "busy"])
        );
        assert_eq!(attempt[1]["properties"]["next_call"]["type"], "null");
        let decision = schemas["DecisionBody"]["oneOf"].as_array().expect("oneOf");
        assert!(decision[0]["required"]
            .as_array()
            .expect("required")
            .contains(&"level".into()));
        assert_eq!(schemas["NewCompanyBody"]["required"][0], "id");
        assert_eq!(
            document()["paths"]["/v1/vacancies"]["post"]["requestBody"]["content"]
                ["application/json"]["schema"]["$ref"],
            "#/components/schemas/NewVacancyBody"
        );
        let codice_fiscale = &schemas["CompanyBody"]["properties"]["codice_fiscale"];
        assert_eq!(codice_fiscale["format"], "codice-fiscale");
        let pattern = codice_fiscale["pattern"].as_str().expect("pattern");
        assert_eq!(pattern, CODICE_FISCALE_PATTERN);
        assert!(schemas["PlacementBody"]["oneOf"][0]["additionalProperties"] == false);
        assert_eq!(
            schemas["VacancyBody"]["properties"]["positions"]["minimum"],
            1
        );
    }

    #[test]
    fn ids_and_ranges_are_stated() {
        let operation = &document()["paths"]["/v1/job-seekers/{id}/vacancies"]["get"];
        let parameters = operation["parameters"].as_array().expect("parameters");
        let find = |name: &str| {
            parameters
                .iter()
                .find(|parameter| parameter["name"] == name)
                .expect("parameter")
        };
        assert_eq!(find("id")["schema"]["pattern"], "^[A-Za-z0-9_.-]{1,64}$");
        assert_eq!(find("k")["schema"]["maximum"], 100);
        assert_eq!(find("k")["schema"]["minimum"], 1);
    }
}

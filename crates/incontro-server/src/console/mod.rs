//! The web console: server-rendered pages for desk staff, validators, outreach operators and
//! analysts, and the public booking page of the online desk.
//!
//! Pages are [maud] templates rendered on the server; the one script (`console.js`) adds the
//! skill type-ahead and is not needed for anything else. Handlers follow the API's shape: extract
//! the request, check the role of the console section, run the same [`incontro_core::Engine`]
//! calls as the `/v1` routes on the bounded pool (authorization and audit included), render.
//! Nothing is decided in a template.
//!
//! - [`session`]: server-side sessions (random id in an HttpOnly, SameSite=Strict cookie), CSRF
//!   tokens checked on every POST form;
//! - [`i18n`]: Italian by default, English with `?lang=en` (remembered in a cookie);
//! - [`layout`]: the page shell, navigation per role, the stylesheet and the script;
//! - [`signin`], [`desk`], [`validator`], [`appointments`]: the pages.
//!
//! Mount it with [`configure`] and register one [`ConsoleState`] for all workers.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use incontro_core::access::{Principal, Role};
use incontro_core::ErrorCode;
use maud::Markup;

use crate::error::{status_of_code, ApiError};
use crate::state::AppState;

pub mod admin;
pub mod appointments;
pub mod calls;
pub mod desk;
pub mod doors;
pub mod fairness;
pub mod i18n;
pub mod layout;
pub mod limit;
pub mod offices;
pub mod reports;
pub mod resume;
pub mod session;
pub mod signin;
pub mod training;
pub mod validator;
// Issue 15 (words, desk tasks, vacancies).
pub mod from_text;
pub mod person_edits;
pub mod vacancies;
pub mod words;

use i18n::Lang;
use session::{FORM_COOKIE, LANG_COOKIE, SESSION_COOKIE};

/// State shared by every worker: how long sessions live (the sessions themselves are in the
/// store) and the public pages' rate limit.
#[derive(Debug, Default)]
pub struct ConsoleState {
    /// Idle and maximum age of console sessions.
    pub session_policy: incontro_core::access::SessionPolicy,
    /// The per-address limit on the public booking pages.
    pub public_limit: limit::PublicLimit,
    /// The per-address-and-name limit on sign-in attempts.
    pub sign_in_limit: limit::SignInLimit,
}

/// The console sections and the roles that may open them (admins open all).
pub mod sections {
    use incontro_core::access::Role;

    /// Desk (sportello): people, matching, training.
    pub const DESK: &[Role] = &[Role::Admin, Role::Desk];
    /// Validators: companies, vacancies, competence breakdowns.
    pub const VALIDATOR: &[Role] = &[Role::Admin, Role::Validator];
    /// Online-desk appointments (staff side).
    pub const APPOINTMENTS: &[Role] = &[Role::Admin, Role::Desk];
    /// Outreach operators: their own call list.
    pub const OPERATOR: &[Role] = &[Role::Admin, Role::Operator];
    /// Managers and analysts: aggregate reports.
    pub const REPORTS: &[Role] = &[Role::Admin, Role::Analyst];
    /// Staff accounts, API keys, the audit log of a person.
    pub const ADMIN: &[Role] = &[Role::Admin];
}

/// Registers the console under `/console` and the public booking page under `/prenota` and
/// `/book`. Needs a [`ConsoleState`] and the [`AppState`] in the app data.
pub fn configure(config: &mut web::ServiceConfig) {
    let form_errors =
        web::FormConfig::default()
            .limit(64 * 1024)
            .error_handler(|error, _request| {
                if let actix_web::error::UrlencodedError::Payload(payload) = &error {
                    if crate::limits::is_body_timeout(payload) {
                        return Fail::new(
                            ErrorCode::BodyTimeout,
                            "the form was not received in time",
                        )
                        .into();
                    }
                }
                Fail::bad_request(format!(
                    "invalid form: {}",
                    error.to_string().to_lowercase()
                ))
                .into()
            });
    config.service(
        web::scope("/console")
            .wrap(actix_web::middleware::from_fn(resume::guard))
            .app_data(form_errors.clone())
            .route("", web::get().to(signin::home))
            .route("/", web::get().to(signin::home))
            .route("/assets/console.css", web::get().to(layout::stylesheet))
            .route("/assets/console.js", web::get().to(layout::script))
            .route("/sign-in", web::get().to(signin::form))
            .route("/sign-in", web::post().to(signin::submit))
            .route("/sign-out", web::post().to(signin::sign_out))
            .configure(desk::configure)
            .configure(calls::configure)
            .configure(training::configure)
            .configure(fairness::configure)
            .configure(reports::configure)
            .configure(validator::configure)
            .configure(appointments::configure_staff)
            .configure(admin::configure)
            .configure(offices::configure)
            // Issue 15 (words, desk tasks, vacancies).
            .configure(doors::configure)
            .configure(person_edits::configure)
            .configure(from_text::configure)
            .configure(vacancies::configure)
            .default_service(web::to(not_found)),
    );
    appointments::configure_public(config, form_errors);
}

async fn not_found(ctx: Ctx) -> HttpResponse {
    ctx.finish(Err(Fail::new(ErrorCode::NotFound, "no such page")))
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct User {
    /// Who, with role and office.
    pub principal: Principal,
    /// The CSRF token of the session.
    pub csrf: String,
    /// The session cookie's value (to end it on sign-out).
    session_token: String,
}

impl User {
    /// The role.
    pub fn role(&self) -> Role {
        self.principal.role
    }
}

/// Every console request: language, the signed-in user if any, and cookie bookkeeping.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The interface language.
    pub lang: Lang,
    /// The signed-in user.
    pub user: Option<User>,
    /// The request path (for the language switch).
    pub path: String,
    /// The request's query string (to come back after sign-in).
    pub query: String,
    /// The double-submit token of forms shown before sign-in.
    pub form_token: String,
    lang_from_query: bool,
    form_token_is_new: bool,
    secure: bool,
}

impl FromRequest for Ctx {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move { Ok(Ctx::load(&request).await) })
    }
}

impl Ctx {
    async fn load(request: &HttpRequest) -> Ctx {
        let cookies = request
            .headers()
            .get(header::COOKIE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_string();
        let query_lang = web::Query::<i18n::LangQuery>::from_query(request.query_string())
            .ok()
            .and_then(|query| query.lang.as_deref().and_then(Lang::parse));
        let cookie_lang = session::cookie_value(&cookies, LANG_COOKIE).and_then(Lang::parse);
        let lang = query_lang.or(cookie_lang).unwrap_or_default();
        let (form_token, form_token_is_new) = match session::cookie_value(&cookies, FORM_COOKIE) {
            Some(token) if token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) => {
                (token.to_string(), false)
            }
            _ => (session::random_token(), true),
        };
        let user = match (
            session::cookie_value(&cookies, SESSION_COOKIE),
            request.app_data::<web::Data<ConsoleState>>(),
            request.app_data::<web::Data<AppState>>(),
        ) {
            (Some(session_id), Some(console), Some(state)) => {
                load_user(session_id, console, state).await
            }
            _ => None,
        };
        Ctx {
            lang,
            user,
            path: request.path().to_string(),
            query: request.query_string().to_string(),
            form_token,
            lang_from_query: query_lang.is_some(),
            form_token_is_new,
            secure: request.connection_info().scheme() == "https",
        }
    }

    /// The message `key` in the interface language.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The signed-in user if their role may open a page of `section`; otherwise the sign-in
    /// redirect or the 403 page.
    pub fn require(&self, section: &[Role]) -> Result<&User, Fail> {
        let Some(user) = &self.user else {
            return Err(Fail::sign_in());
        };
        if section.contains(&user.role()) {
            Ok(user)
        } else {
            Err(Fail::new(
                ErrorCode::ForbiddenRole,
                "your role may not open this page",
            ))
        }
    }

    /// Checks the CSRF token of a signed-in user's POST form.
    pub fn check_csrf(&self, sent: &str) -> Result<&User, Fail> {
        let Some(user) = &self.user else {
            return Err(Fail::sign_in());
        };
        if session::same_secret(&user.csrf, sent) {
            Ok(user)
        } else {
            Err(Fail::csrf())
        }
    }

    /// Checks the double-submit token of a form shown before sign-in.
    pub fn check_form_token(&self, sent: &str) -> Result<(), Fail> {
        if !self.form_token_is_new && session::same_secret(&self.form_token, sent) {
            Ok(())
        } else {
            Err(Fail::csrf())
        }
    }

    /// A full page: the layout around `body`, with security headers and cookies.
    pub fn page(&self, status: StatusCode, title: &str, body: Markup) -> HttpResponse {
        let markup = layout::page(self, title, body);
        self.respond(status, markup.into_string())
    }

    /// Renders `result`, or the error page / redirect it failed with.
    pub fn finish(&self, result: Result<HttpResponse, Fail>) -> HttpResponse {
        match result {
            Ok(response) => response,
            Err(fail) => self.fail_page(fail),
        }
    }

    /// A 303 redirect after a POST.
    pub fn see_other(&self, location: &str) -> HttpResponse {
        let mut response = HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location.to_string()))
            .finish();
        self.add_cookies(&mut response);
        response
    }

    fn fail_page(&self, fail: Fail) -> HttpResponse {
        let Fail::Page { code, message } = &fail else {
            // Not signed in: to the sign-in page, which comes back here afterwards.
            let mut back = self.path.clone();
            if !self.query.is_empty() {
                back.push('?');
                back.push_str(&self.query);
            }
            if !resume::is_console_path(&back) {
                return self.see_other("/console/sign-in");
            }
            let next = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
            return self.see_other(&format!("/console/sign-in?{next}"));
        };
        let status = fail.status();
        if status.is_server_error() {
            tracing::error!(code = code.as_str(), cause = %message, "console page failed");
        }
        let title = match status {
            StatusCode::FORBIDDEN => self.t("error.forbidden"),
            StatusCode::NOT_FOUND => self.t("error.not_found"),
            StatusCode::CONFLICT => self.t("error.conflict"),
            status if status.is_server_error() => self.t("error.internal"),
            _ => self.t("error.invalid"),
        };
        let shown = if status.is_server_error() {
            self.t("error.internal_detail").to_string()
        } else {
            fail.message_in(self.lang)
        };
        let body = layout::error_body(self, title, &shown, code.as_str());
        self.page(status, title, body)
    }

    fn respond(&self, status: StatusCode, html: String) -> HttpResponse {
        let mut response = HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::REFERRER_POLICY, "same-origin"))
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ))
            .body(html);
        self.add_cookies(&mut response);
        response
    }

    fn add_cookies(&self, response: &mut HttpResponse) {
        let mut cookies = Vec::new();
        if self.lang_from_query {
            cookies.push(session::set_cookie(
                LANG_COOKIE,
                self.lang.code(),
                Some(365 * 24 * 3600),
                self.secure,
            ));
        }
        if self.form_token_is_new {
            cookies.push(session::set_cookie(
                FORM_COOKIE,
                &self.form_token,
                None,
                self.secure,
            ));
        }
        for cookie in cookies {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
    }

    fn set_cookie(&self, response: &mut HttpResponse, cookie: String) {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
}

async fn load_user(
    session_token: &str,
    console: &web::Data<ConsoleState>,
    state: &web::Data<AppState>,
) -> Option<User> {
    let token = session_token.to_string();
    let policy = console.session_policy;
    let session = state
        .call(move |engine| engine.console_session(&token, &policy))
        .await
        .ok()
        .flatten()?;
    Some(User {
        principal: session.principal,
        csrf: session.csrf,
        session_token: session_token.to_string(),
    })
}

/// Why a console request failed: rendered as an error page, or the sign-in redirect.
#[derive(Debug)]
pub enum Fail {
    /// Not signed in: redirect to the sign-in page.
    SignIn,
    /// An error page with a stable code; its status comes from the code's kind.
    Page {
        /// The stable code (see [`ErrorCode`]).
        code: ErrorCode,
        /// The (English) message; pages show a translation for the codes they know.
        message: String,
    },
}

impl Fail {
    /// A failure with a stable code.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Fail::Page {
            code,
            message: message.into(),
        }
    }

    /// 400 `invalid_form`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Fail::new(ErrorCode::InvalidForm, message)
    }

    /// Not signed in: redirect to the sign-in page.
    pub fn sign_in() -> Self {
        Fail::SignIn
    }

    /// 403 `invalid_csrf_token`.
    pub fn csrf() -> Self {
        Fail::new(
            ErrorCode::InvalidCsrfToken,
            "the form expired or did not come from this site; reload the page and try again",
        )
    }

    /// The status of the answer: 303 for the sign-in redirect, else the code's.
    pub fn status(&self) -> StatusCode {
        match self {
            Fail::SignIn => StatusCode::SEE_OTHER,
            Fail::Page { code, .. } => status_of_code(*code),
        }
    }

    /// The stable code (`None` for the sign-in redirect).
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Fail::SignIn => None,
            Fail::Page { code, .. } => Some(*code),
        }
    }

    /// The page's message in the user's language.
    pub fn message_in(&self, lang: Lang) -> String {
        match self {
            Fail::SignIn => "sign in first".to_string(),
            Fail::Page { code, message } => lang.error_message(*code, message),
        }
    }
}

impl From<ApiError> for Fail {
    fn from(error: ApiError) -> Self {
        Fail::new(error.code(), error.message().to_string())
    }
}

impl From<incontro_core::Error> for Fail {
    fn from(error: incontro_core::Error) -> Self {
        Fail::from(ApiError::from(error))
    }
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fail::SignIn => f.write_str("sign in first"),
            Fail::Page { code, message } => write!(f, "{code}: {message}"),
        }
    }
}

impl ResponseError for Fail {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        // Used only where no page context exists (form extraction errors): a bare page.
        let message = match self {
            Fail::SignIn => "sign in first",
            Fail::Page { message, .. } => message,
        };
        HttpResponse::build(self.status_code())
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .body(
                maud::html! {
                    (maud::DOCTYPE)
                    html lang="it" { head { meta charset="utf-8"; title { "Incontro" } }
                    body { main { h1 { "Errore / Error" } p { (message) } p { a href="/console" { "Incontro" } } } } }
                }
                .into_string(),
            )
    }
}

/// Today's date and the time now, local to the server, by the engine's clock.
pub fn now(engine: &incontro_core::Engine) -> chrono::NaiveDateTime {
    engine.now().with_timezone(&chrono::Local).naive_local()
}

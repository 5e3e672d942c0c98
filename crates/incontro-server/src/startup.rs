//! Building and running the service: open the engine (loading the demo data into an empty data
//! directory), warm the matching state, bind, and serve.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::{Server, Service, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::{web, App, HttpMessage, HttpResponse, HttpServer};
use futures_util::future::Either;
use incontro_core::{Engine, ErrorCode, NoProgress};

use crate::auth::KeyId;
use crate::config::ServerConfig;
use crate::error::ApiError;
use crate::limits::{self, ConnectionCounts, ConnectionTicket};
use crate::metrics::Metrics;
use crate::pool::CpuPool;
use crate::state::AppState;

/// A bound, not yet running service.
pub struct Application {
    port: u16,
    server: Server,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish()
    }
}

/// Opens the engine of `config` and prepares it: demo data into an empty data directory, the
/// matching state and the vacancy index brought up to date.
pub fn open_engine(config: &ServerConfig) -> incontro_core::Result<Engine> {
    let database = match &config.database {
        Some(url) => incontro_core::DatabaseUrl::parse(url)?,
        None => incontro_core::DatabaseUrl::in_dir(&config.data_dir),
    };
    let mut engine = Engine::open_with(&config.data_dir, &database)?;
    engine.set_revision_reuse(std::time::Duration::from_millis(config.revision_reuse_ms));
    if let Some(day) = config.today {
        engine = engine.with_clock(std::sync::Arc::new(
            incontro_core::clock::ShiftedClock::to_day(day),
        ));
    }
    if config.load_demo_if_empty && engine.is_empty()? {
        tracing::info!("empty data directory: loading the demo dataset");
        engine.import_demo(&NoProgress)?;
    }
    let started = Instant::now();
    let state = engine.match_state()?;
    let (vacancies, job_seekers) = state.counts();
    engine.search_vacancies(&incontro_core::index::VacancyQuery::default())?;
    tracing::info!(
        vacancies,
        job_seekers,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "matching state and vacancy index ready"
    );
    Ok(engine)
}

impl Application {
    /// Binds `config.bind` (port 0 picks a free port) over an opened engine.
    pub fn build(config: ServerConfig, engine: Arc<Engine>) -> std::io::Result<Self> {
        let listener = TcpListener::bind(&config.bind)?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(AppState {
            engine,
            pool: CpuPool::new(
                config.pool_size,
                Duration::from_millis(config.request_timeout_ms),
            ),
            metrics: Arc::new(Metrics::default()),
            config: config.clone(),
        });
        let body_limit = config.body_limit_bytes;
        let body_timeout = Duration::from_millis(config.body_timeout_ms);
        let public_cap = config.public_connections_per_address;
        let connections = Arc::new(ConnectionCounts::default());
        let console = web::Data::new(crate::console::ConsoleState::default());
        // Engine calls block: off the async runtime this may be called from (PostgreSQL's
        // client cannot block inside it).
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    state
                        .engine
                        .set_vacancy_sharing(&config.shared_vacancy_offices)?;
                    // Sessions are kept in the store across restarts; the expired ones go now.
                    state.engine.purge_console_sessions(&console.session_policy)
                })
                .join()
                .unwrap_or_else(|_| {
                    Err(incontro_core::Error::Internal(
                        "startup task panicked".into(),
                    ))
                })
        })
        .map_err(std::io::Error::other)?;
        let server = HttpServer::new(move || {
            let json = web::JsonConfig::default()
                .limit(body_limit)
                .error_handler(|error, _request| ApiError::from_json(&error).into());
            let query = web::QueryConfig::default().error_handler(|error, _request| {
                ApiError::invalid(ErrorCode::InvalidQuery, error.to_string().to_lowercase()).into()
            });
            let path = web::PathConfig::default().error_handler(|error, _request| {
                ApiError::invalid(ErrorCode::InvalidPath, error.to_string().to_lowercase()).into()
            });
            let metrics = Arc::clone(&state.metrics);
            App::new()
                .app_data(state.clone())
                .app_data(json)
                .app_data(query)
                .app_data(path)
                .wrap_fn(move |mut request, service| {
                    let started = Instant::now();
                    let method = limits::method_label(request.method());
                    let metrics = Arc::clone(&metrics);
                    let over_cap = limits::is_public_page(request.path())
                        && request
                            .conn_data::<ConnectionTicket>()
                            .is_some_and(|ticket| ticket.held() > public_cap);
                    let response = if over_cap {
                        let (http_request, _) = request.into_parts();
                        let refused = too_many_connections();
                        Either::Left(std::future::ready(Ok(ServiceResponse::new(
                            http_request,
                            refused,
                        ))))
                    } else {
                        if has_body(request.headers()) {
                            let payload = request.take_payload();
                            request.set_payload(limits::with_body_deadline(payload, body_timeout));
                        }
                        Either::Right(service.call(request))
                    };
                    async move {
                        let mut response = response.await?;
                        limits::add_security_headers(response.headers_mut());
                        let elapsed = started.elapsed();
                        let route = response
                            .request()
                            .match_pattern()
                            .unwrap_or_else(|| "(unmatched)".to_string());
                        let status = response.status().as_u16();
                        metrics.record(&route, method, status, elapsed);
                        let key_id = response
                            .request()
                            .extensions()
                            .get::<KeyId>()
                            .map(|key| key.0.clone());
                        tracing::info!(
                            method,
                            route,
                            status,
                            elapsed_us = elapsed.as_micros() as u64,
                            key_id,
                            "request"
                        );
                        Ok(response)
                    }
                })
                .app_data(console.clone())
                .configure(crate::console::configure)
                .configure(crate::routes::configure)
                .default_service(web::to(unmatched))
        })
        .workers(config.workers)
        .on_connect(move |connection, data| {
            if let Some(socket) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
                if let Ok(peer) = socket.peer_addr() {
                    data.insert(connections.open(peer.ip()));
                }
            }
        })
        .client_request_timeout(Duration::from_millis(config.client_timeout_ms))
        .client_disconnect_timeout(Duration::from_millis(1_000))
        .keep_alive(Duration::from_secs(5))
        .shutdown_timeout(5)
        .listen(listener)?
        .run();
        Ok(Application { port, server })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped (Ctrl-C / SIGTERM).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Whether a request announces a body (its payload then gets the read deadline).
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(actix_web::http::header::TRANSFER_ENCODING)
        || headers
            .get(actix_web::http::header::CONTENT_LENGTH)
            .is_some_and(|length| length != "0")
}

/// 429 for an address holding more than `public_connections_per_address` connections while it
/// asks for a public page.
fn too_many_connections() -> HttpResponse {
    HttpResponse::TooManyRequests()
        .content_type("text/html; charset=utf-8")
        .insert_header((actix_web::http::header::RETRY_AFTER, "10"))
        .insert_header((actix_web::http::header::CONNECTION, "close"))
        .body(
            "<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\">\
             <title>Troppe connessioni</title></head><body><h1>Troppe connessioni</h1>\
             <p>Troppe connessioni aperte da questo indirizzo: chiudine qualcuna e riprova tra \
             qualche secondo.</p><p lang=\"en\">Too many open connections from this address: \
             close some and try again in a few seconds.</p></body></html>",
        )
}

/// No route took the request: 405 `method_not_allowed` (with `Allow`) when a documented route
/// has this path under other methods, else 404 `route_not_found`.
async fn unmatched(request: actix_web::HttpRequest) -> HttpResponse {
    use actix_web::ResponseError;
    match crate::openapi::methods_for(request.path()) {
        Some(methods) if !methods.is_empty() => {
            let allow = methods.join(", ");
            let error = ApiError::new(
                ErrorCode::MethodNotAllowed,
                format!("{} is not allowed here; allowed: {allow}", request.method()),
            );
            let mut response = error.error_response();
            if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allow) {
                response
                    .headers_mut()
                    .insert(actix_web::http::header::ALLOW, value);
            }
            response
        }
        _ => ApiError::new(ErrorCode::RouteNotFound, "no such route").error_response(),
    }
}

/// Why the service could not start, or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The engine failed to open or prepare.
    #[error(transparent)]
    Engine(#[from] incontro_core::Error),
    /// Binding or serving failed.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Opens the engine, binds and serves until stopped (blocks the calling thread); `on_bound`
/// receives the port once it is bound.
pub fn serve(config: ServerConfig, on_bound: impl FnOnce(u16)) -> Result<(), ServeError> {
    let engine = Arc::new(open_engine(&config)?);
    actix_web::rt::System::new().block_on(async move {
        let application = Application::build(config, engine)?;
        on_bound(application.port());
        application.run_until_stopped().await?;
        Ok(())
    })
}

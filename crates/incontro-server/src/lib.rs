//! # Incontro server
//!
//! A thin actix-web service over [`incontro_core::Engine`]: every handler extracts its inputs,
//! authenticates the bearer key, names the action it performs (the engine's authorization
//! matrix decides), runs the engine call on a bounded pool off the actix workers, and maps the
//! result or error. No scoring, ranking or SQL lives here.
//!
//! - [`config`]: typed settings, defaults < TOML file < environment < flags;
//! - [`error`]: the one error body `{"message", "code"}` and THE kind → status table;
//! - [`api`]: wire types (write bodies refuse unknown fields);
//! - [`auth`], [`pool`], [`metrics`], [`routes`], [`openapi`];
//! - [`limits`]: bounds on what a client can make the service hold (body deadline, connections
//!   per address on the public pages, one metrics label for unknown methods, security headers);
//! - [`startup`]: [`Application`] (bind, run) and [`serve`];
//! - [`console`]: the web console (`/console`) and the public booking page (`/prenota`).
//!
//! ```no_run
//! use incontro_server::{serve, ServerConfig};
//!
//! let config = ServerConfig {
//!     bind: "127.0.0.1:0".into(),
//!     ..ServerConfig::default()
//! };
//! serve(config, |port| println!("listening on {port}")).expect("server");
//! ```

pub mod api;
pub mod auth;
pub mod config;
pub mod console;
pub mod error;
pub mod limits;
pub mod metrics;
pub mod openapi;
pub mod pool;
pub mod routes;
pub mod startup;
pub mod state;

pub use config::{ConfigError, ConfigLayer, ServerConfig};
pub use startup::{open_engine, serve, Application, ServeError};

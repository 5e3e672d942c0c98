//! Bounds on what a client can make the service hold: one metrics label for every unknown HTTP
//! method, a deadline on reading a request body, a cap on the connections one address holds
//! while it uses the public booking pages, and the security headers every response carries.
//!
//! What it does NOT do: rate-limit posts (see `console::limit`) or time engine calls (see
//! [`crate::pool`]).

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::Method;
use actix_web::web::Bytes;
use futures_core::Stream;

/// The metrics and log label of a method: the standard methods by name, anything else `other`
/// (a client sending random method names must not grow `/metrics`).
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "other",
    }
}

/// The Content-Security-Policy of responses that do not set their own (JSON, errors, the
/// metrics): nothing may load, nothing may frame them.
pub const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Adds `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, a Content-Security-Policy
/// and `Referrer-Policy` to a response that does not set them itself.
pub fn add_security_headers(headers: &mut HeaderMap) {
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CONTENT_SECURITY_POLICY, DEFAULT_CSP),
        (header::REFERRER_POLICY, "same-origin"),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

/// The error a body read past its deadline ends with (mapped to 408 `body_timeout`).
pub fn body_timed_out() -> PayloadError {
    PayloadError::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "request body not received in time",
    ))
}

/// Whether a payload error is the body deadline of [`with_body_deadline`].
pub fn is_body_timeout(error: &PayloadError) -> bool {
    matches!(error, PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut)
}

/// A request body that must arrive in full within a deadline: a client trickling it one byte
/// at a time cannot hold a connection and a handler for longer.
struct DeadlinePayload {
    inner: Payload,
    deadline: Pin<Box<tokio::time::Sleep>>,
    expired: bool,
}

impl Stream for DeadlinePayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired {
            return Poll::Ready(None);
        }
        if self.deadline.as_mut().poll(context).is_ready() {
            self.expired = true;
            return Poll::Ready(Some(Err(body_timed_out())));
        }
        Pin::new(&mut self.inner).poll_next(context)
    }
}

/// Wraps a request payload so that reading it fails after `limit`.
pub fn with_body_deadline(payload: Payload, limit: Duration) -> Payload {
    let stream = DeadlinePayload {
        inner: payload,
        deadline: Box::pin(tokio::time::sleep(limit)),
        expired: false,
    };
    Payload::Stream {
        payload: Box::pin(stream),
    }
}

/// Open connections per client address (every connection counts; the cap is enforced on the
/// public pages only, which need no key).
#[derive(Debug, Default)]
pub struct ConnectionCounts {
    open: Mutex<HashMap<IpAddr, usize>>,
}

impl ConnectionCounts {
    /// Counts a new connection from `address`; the ticket uncounts it when the connection ends
    /// (actix drops the connection's data with the connection).
    pub fn open(self: &Arc<Self>, address: IpAddr) -> ConnectionTicket {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        *open.entry(address).or_insert(0) += 1;
        ConnectionTicket {
            address,
            counts: Arc::clone(self),
        }
    }

    /// Connections `address` holds now.
    pub fn held_by(&self, address: IpAddr) -> usize {
        let open = self
            .open
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        open.get(&address).copied().unwrap_or(0)
    }
}

/// One counted connection (see [`ConnectionCounts::open`]).
#[derive(Debug)]
pub struct ConnectionTicket {
    address: IpAddr,
    counts: Arc<ConnectionCounts>,
}

impl ConnectionTicket {
    /// The client address.
    pub fn address(&self) -> IpAddr {
        self.address
    }

    /// Connections its address holds now, this one included.
    pub fn held(&self) -> usize {
        self.counts.held_by(self.address)
    }
}

impl Drop for ConnectionTicket {
    fn drop(&mut self) {
        let mut open = self
            .counts
            .open
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// Whether a path is one of the public pages (no key needed) that the connection cap guards.
pub fn is_public_page(path: &str) -> bool {
    path == "/prenota" || path.starts_with("/prenota/") || path == "/book"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        let random = Method::from_bytes(b"XQZWV").expect("method");
        assert_eq!(method_label(&random), "other");
        let other = Method::from_bytes(b"PROPFIND").expect("method");
        assert_eq!(method_label(&other), "other");
    }

    #[test]
    fn connection_tickets_count_and_uncount() {
        let counts = Arc::new(ConnectionCounts::default());
        let one: IpAddr = [192, 0, 2, 1].into();
        let first = counts.open(one);
        let second = counts.open(one);
        let elsewhere = counts.open([192, 0, 2, 2].into());
        assert_eq!(first.held(), 2);
        assert_eq!(elsewhere.held(), 1);
        drop(second);
        assert_eq!(first.held(), 1);
        drop(first);
        assert_eq!(counts.held_by(one), 0);
        assert!(counts.open.lock().expect("lock").get(&one).is_none());
    }

    #[test]
    fn security_headers_do_not_replace_a_page_own_policy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'"),
        );
        add_security_headers(&mut headers);
        assert_eq!(
            headers.get(header::CONTENT_SECURITY_POLICY).expect("csp"),
            "default-src 'self'"
        );
        assert_eq!(
            headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .expect("nosniff"),
            "nosniff"
        );
        assert_eq!(headers.get(header::X_FRAME_OPTIONS).expect("frame"), "DENY");
    }

    #[test]
    fn public_pages() {
        assert!(is_public_page("/prenota"));
        assert!(is_public_page("/prenota/annulla"));
        assert!(!is_public_page("/prenotazioni"));
        assert!(!is_public_page("/console"));
    }
}

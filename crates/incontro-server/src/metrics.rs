//! Prometheus metrics: request counts and a latency histogram per route pattern, method and
//! status, rendered in the text exposition format at `/metrics`.
//!
//! Routes are recorded by their pattern (`/v1/job-seekers/{id}`), never by the concrete path, so
//! no identifier reaches the metrics and the number of series stays bounded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum_seconds: f64,
    buckets: [u64; BUCKETS.len()],
}

/// The service's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    /// Records one request.
    pub fn record(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let mut series = self
            .series
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entry = series
            .entry((route.to_string(), method.to_string(), status))
            .or_default();
        entry.count += 1;
        entry.sum_seconds += seconds;
        for (bucket, bound) in entry.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let series = self
            .series
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        let mut out = String::new();
        out.push_str("# HELP incontro_http_requests_total HTTP requests served.\n");
        out.push_str("# TYPE incontro_http_requests_total counter\n");
        for ((route, method, status), values) in &series {
            let _ = writeln!(
                out,
                "incontro_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {}",
                values.count
            );
        }
        out.push_str("# HELP incontro_http_request_duration_seconds Time to serve a request.\n");
        out.push_str("# TYPE incontro_http_request_duration_seconds histogram\n");
        for ((route, method, status), values) in &series {
            let labels = format!("route=\"{route}\",method=\"{method}\",status=\"{status}\"");
            for (bound, count) in BUCKETS.iter().zip(values.buckets) {
                let _ = writeln!(
                    out,
                    "incontro_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "incontro_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                values.count
            );
            let _ = writeln!(
                out,
                "incontro_http_request_duration_seconds_sum{{{labels}}} {}",
                values.sum_seconds
            );
            let _ = writeln!(
                out,
                "incontro_http_request_duration_seconds_count{{{labels}}} {}",
                values.count
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let metrics = Metrics::default();
        metrics.record("/health", "GET", 200, Duration::from_micros(500));
        metrics.record("/health", "GET", 200, Duration::from_millis(30));
        let text = metrics.render();
        assert!(text.contains(
            "incontro_http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(text.contains("le=\"0.001\"} 1"), "{text}");
        assert!(text.contains("le=\"0.05\"} 2"), "{text}");
        assert!(text.contains("le=\"+Inf\"} 2"), "{text}");
    }
}

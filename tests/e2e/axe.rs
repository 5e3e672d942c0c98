//! The accessibility check of console pages: axe-core run inside the real browser at desktop
//! and phone width; any serious or critical violation fails the test.
//!
//! axe-core is not in Debian: `scripts/install-browser.sh` puts `axe.min.js` (4.14.1, from the
//! npm registry) in `${XDG_CACHE_HOME:-$HOME/.cache}/incontro/`, or `INCONTRO_AXE` names the
//! file. Without it the check prints `skipped: axe-core not found`, unless
//! `INCONTRO_REQUIRE_BROWSER=1` (CI), where it fails.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::console::Browser;

/// Desktop and phone window sizes the pages are checked at.
const WIDTHS: [(u32, u32, &str); 2] = [(1280, 900, "desktop"), (390, 844, "phone")];

fn axe_path() -> PathBuf {
    if let Some(path) = std::env::var_os("INCONTRO_AXE") {
        return PathBuf::from(path);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("incontro/axe.min.js")
}

/// The axe-core source, once per test binary; `None` (skip) when not installed.
fn axe_source() -> Option<&'static str> {
    static SOURCE: OnceLock<Option<String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let path = axe_path();
            match std::fs::read_to_string(&path) {
                Ok(source) => Some(source),
                Err(_) => {
                    if std::env::var("INCONTRO_REQUIRE_BROWSER").as_deref() == Ok("1") {
                        panic!(
                            "INCONTRO_REQUIRE_BROWSER=1 but {} is missing: run scripts/install-browser.sh",
                            path.display()
                        );
                    }
                    println!("skipped: axe-core not found ({})", path.display());
                    None
                }
            }
        })
        .as_deref()
}

impl Browser {
    /// Runs axe on the current page at desktop and phone width; panics listing every serious or
    /// critical violation. Leaves the window at desktop width.
    pub(crate) async fn assert_accessible(&self, page: &str) {
        let Some(source) = axe_source() else {
            return;
        };
        for (width, height, name) in WIDTHS {
            self.client
                .set_window_size(width, height)
                .await
                .expect("window size");
            let script = format!(
                "{source}\n;return axe.run(document, {{ resultTypes: ['violations'] }}).then(function (r) {{ \
                 return {{ checked: r.passes.length + r.violations.length, violations: r.violations \
                 .filter(function (v) {{ return v.impact === 'serious' || v.impact === 'critical'; }}) \
                 .map(function (v) {{ return v.id + ' (' + v.impact + '): ' + v.nodes.map(function (n) {{ return n.target.join(' '); }}).join(', '); }}) }}; }});"
            );
            let found = self.client.execute(&script, vec![]).await.expect("run axe");
            let checked = found["checked"]
                .as_u64()
                .unwrap_or_else(|| panic!("axe did not run: {found}"));
            assert!(checked > 10, "axe checked only {checked} rules on {page}");
            let violations: Vec<String> =
                serde_json::from_value(found["violations"].clone()).expect("axe violations");
            assert!(
                violations.is_empty(),
                "axe on {page} at {name} width: {violations:#?}"
            );
        }
        self.client
            .set_window_size(WIDTHS[0].0, WIDTHS[0].1)
            .await
            .expect("window size");
    }
}

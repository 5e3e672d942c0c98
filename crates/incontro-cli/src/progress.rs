//! An indicatif progress bar behind the core's `Progress` trait.

use incontro_core::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A terminal progress bar (hidden with `--quiet` or when stderr is not a terminal).
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar drawn on stderr, or hidden.
    pub fn new(quiet: bool) -> Self {
        let bar = ProgressBar::hidden();
        if !quiet {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        Bar { bar }
    }
}

impl Progress for Bar {
    fn start(&self, phase: &str, total: Option<u64>) {
        self.bar.reset();
        match total {
            Some(total) => {
                self.bar.set_length(total);
                self.bar.set_style(
                    ProgressStyle::with_template(
                        "{msg:>24} [{bar:40}] {percent:>3}% {elapsed_precise} eta {eta}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
            }
            None => {
                self.bar.unset_length();
                self.bar.set_style(
                    ProgressStyle::with_template("{msg:>24} {spinner} {pos} {elapsed_precise}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
            }
        }
        self.bar.set_message(phase.to_string());
    }

    fn advance(&self, delta: u64) {
        self.bar.inc(delta);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

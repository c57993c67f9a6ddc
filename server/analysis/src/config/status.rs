//! `[status]` of prp-lsp.toml as written, and the checks its values must pass.

use globset::Glob;
use serde::Deserialize;

use super::error::ConfigError;

/// `[status]` in prp-lsp.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawStatus {
    /// Glob of status files, workspace-relative (default `agent_contexts/status/*.json`).
    pub files: Option<String>,
    /// HTTP endpoint returning a JSON array of status objects.
    pub url: Option<String>,
    /// Seconds between polls of `url`.
    pub poll_interval: Option<u64>,
    /// Seconds a poll of `url` may take.
    pub timeout: Option<u64>,
    /// Error rate (fraction) from which an agent is flagged.
    pub error_rate_warning: Option<f64>,
    /// Error rate (fraction) from which the flag says to investigate.
    pub error_rate_error: Option<f64>,
    /// Seconds on one task after which a busy agent is stuck.
    pub stuck_after: Option<u64>,
    /// Seconds idle, with open tasks assigned, after which an agent is flagged.
    pub idle_after: Option<u64>,
    /// Average response time (ms) above which the hover marks an agent slow.
    pub response_time: Option<u64>,
    /// Seconds after which an agent's last report is stale.
    pub stale_after: Option<u64>,
}

impl RawStatus {
    /// Layers editor settings (`overlay`) over the file's values.
    pub fn merge(self, overlay: RawStatus) -> RawStatus {
        RawStatus {
            files: overlay.files.or(self.files),
            url: overlay.url.or(self.url),
            poll_interval: overlay.poll_interval.or(self.poll_interval),
            timeout: overlay.timeout.or(self.timeout),
            error_rate_warning: overlay.error_rate_warning.or(self.error_rate_warning),
            error_rate_error: overlay.error_rate_error.or(self.error_rate_error),
            stuck_after: overlay.stuck_after.or(self.stuck_after),
            idle_after: overlay.idle_after.or(self.idle_after),
            response_time: overlay.response_time.or(self.response_time),
            stale_after: overlay.stale_after.or(self.stale_after),
        }
    }

    /// The values the rest of the analysis may rely on: a workspace-relative glob, an HTTP
    /// URL, rates between 0 and 1, non-zero intervals.
    pub fn checked(self) -> Result<RawStatus, ConfigError> {
        let fail = |message: String| {
            Err(ConfigError {
                message,
                span: None,
            })
        };
        if let Some(files) = &self.files {
            if crate::config::leaves_workspace(files) {
                return fail(format!(
                    "[status] files `{files}` must be a glob inside the workspace (relative, no `..`)"
                ));
            }
            if let Err(e) = Glob::new(files) {
                return fail(format!("[status] files `{files}` is not a valid glob: {e}"));
            }
        }
        if let Some(url) = &self.url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return fail(format!(
                    "[status] url `{url}` must start with http:// or https://"
                ));
            }
        }
        for (key, value) in [
            ("poll-interval", self.poll_interval),
            ("timeout", self.timeout),
        ] {
            if value == Some(0) {
                return fail(format!("[status] {key} must be at least 1 second"));
            }
        }
        for (key, value) in [
            ("error-rate-warning", self.error_rate_warning),
            ("error-rate-error", self.error_rate_error),
        ] {
            if value.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
                return fail(format!(
                    "[status] {key} must be a fraction between 0 and 1 (0.05 for 5%)"
                ));
            }
        }
        if let (Some(w), Some(e)) = (self.error_rate_warning, self.error_rate_error) {
            if w > e {
                return fail(format!(
                    "[status] error-rate-warning ({w}) must not exceed error-rate-error ({e})"
                ));
            }
        }
        Ok(self)
    }
}

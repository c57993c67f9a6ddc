//! `prp-lsp metrics`: the orchestrator's health metrics for a window (default the last 30
//! days): per agent, tasks assigned, completed, failed, efficiency and utilization; for the
//! team, velocity, on-time delivery, rollback rate, bugs per deployment and coverage. A
//! figure that cannot be computed is "—" with the reason.

use std::path::Path;

use prp_analysis::delivery::metrics::{metrics, percent, Figure, Metrics};

use crate::project::{now_seconds, Project};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

const DAY: i64 = 86_400;

/// The start of the window: `YYYY-MM-DD`, or a number of days back (`30`, `30d`).
fn window_start(since: Option<&str>, now: i64) -> Result<i64, String> {
    let Some(since) = since.map(str::trim) else {
        return Ok(now - 30 * DAY);
    };
    if let Ok(days) = since.trim_end_matches('d').parse::<u32>() {
        return Ok(now - i64::from(days) * DAY);
    }
    let day = prp_analysis::document::scan::Date::parse(since)
        .filter(|_| since.len() == 10)
        .and_then(|d| d.day_number())
        .ok_or_else(|| {
            format!("--since `{since}`: expected a date (2026-11-01) or a number of days (30d)")
        })?;
    if day * DAY > now {
        return Err(format!("--since `{since}` is in the future"));
    }
    Ok(day * DAY)
}

fn date(seconds: i64) -> String {
    prp_analysis::document::scan::Date::from_day_number(seconds.div_euclid(DAY))
        .map_or_else(|| seconds.to_string(), |d| d.to_string())
}

fn shown(figure: &Figure, as_percent: bool, unit: &str) -> String {
    match figure.value {
        Some(v) if as_percent => percent(v),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}{unit}"),
        Some(v) => format!("{v:.1}{unit}"),
        None => "—".to_string(),
    }
}

fn human(m: &Metrics) -> String {
    let days = (m.until - m.since) / DAY;
    let mut out = format!(
        "Metrics, {} – {} ({days} days)\n\n",
        date(m.since),
        date(m.until)
    );
    let mut missing: Vec<String> = Vec::new();
    if m.agents.is_empty() {
        out.push_str("No agents and no assigned tasks in this workspace.\n");
    } else {
        out.push_str(&format!(
            "{:<20} {:>8} {:>9} {:>6} {:>10} {:>11}\n",
            "agent", "assigned", "completed", "failed", "efficiency", "utilization"
        ));
        for a in &m.agents {
            out.push_str(&format!(
                "{:<20} {:>8} {:>9} {:>6} {:>10} {:>11}\n",
                a.agent,
                a.assigned,
                a.completed,
                shown(&a.failed, false, ""),
                shown(&a.efficiency, true, ""),
                shown(&a.utilization, true, ""),
            ));
        }
        // Why the agents' figures are missing, once per reason.
        for a in &m.agents {
            for (what, f) in [
                ("failed", &a.failed),
                ("efficiency", &a.efficiency),
                ("utilization", &a.utilization),
            ] {
                if f.value.is_none() {
                    let line = format!("{what}: {}", f.note);
                    if !missing.contains(&line) {
                        missing.push(line);
                    }
                }
            }
        }
    }
    out.push('\n');
    let t = &m.team;
    for (what, figure, as_percent, unit) in [
        ("velocity", &t.velocity, false, " PRPs/week"),
        ("on-time delivery", &t.on_time_delivery, true, ""),
        ("rollback rate", &t.rollback_rate, true, ""),
        ("bugs per deployment", &t.bugs_per_deployment, false, ""),
        ("coverage now", &t.coverage_now, true, ""),
        ("coverage lowest", &t.coverage_lowest, true, ""),
        ("utilization", &t.utilization, true, ""),
    ] {
        out.push_str(&format!(
            "{what:<20} {:<16} {}\n",
            shown(figure, as_percent, unit),
            figure.note
        ));
    }
    if !missing.is_empty() {
        out.push_str("\n— per agent:\n");
        for line in missing {
            out.push_str(&format!("  {line}\n"));
        }
    }
    if !m.alerts.is_empty() {
        out.push_str("\nAlerts:\n");
        for line in &m.alerts {
            out.push_str(&format!("- {line}\n"));
        }
    }
    if !m.misses.is_empty() {
        out.push_str("\nSuccess targets missed:\n");
        for line in &m.misses {
            out.push_str(&format!("- {line}\n"));
        }
    }
    out
}

pub fn run(workspace: &Path, format: Format, since: Option<&str>) -> i32 {
    let now = now_seconds();
    let since = match window_start(since, now) {
        Ok(since) => since,
        Err(why) => {
            eprintln!("prp-lsp metrics: {why}");
            return 2;
        }
    };
    let project = match Project::load(workspace) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("prp-lsp metrics: cannot read {}: {e}", workspace.display());
            return 2;
        }
    };
    let m = metrics(&project.ws, &project.config, since, now);
    let text = match format {
        Format::Human => human(&m),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&m).unwrap_or_default()),
    };
    super::print_out(&text);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_is_a_date_or_a_number_of_days() {
        let now = 1_795_176_000; // 2026-11-20T12:00:00Z
        assert_eq!(window_start(None, now), Ok(now - 30 * DAY));
        assert_eq!(window_start(Some("7d"), now), Ok(now - 7 * DAY));
        assert_eq!(window_start(Some("14"), now), Ok(now - 14 * DAY));
        assert_eq!(
            date(window_start(Some("2026-11-01"), now).unwrap()),
            "2026-11-01"
        );
        assert!(window_start(Some("2026-12-01"), now)
            .unwrap_err()
            .contains("future"));
        assert!(window_start(Some("last week"), now)
            .unwrap_err()
            .contains("expected"));
    }
}

//! Numbers in messages: percentages and lengths of time, rounded for people, but never so far
//! that a shown comparison turns false ("coverage 90% < 90%" for 89.96%, "for 4 h (more than
//! 4 h)" for 4 h and one second). Where plain rounding would say so, more precision is shown.

use std::cmp::Ordering;

/// `0.05` → `5`, `0.125` → `12.5`: one decimal, none when it is zero.
pub fn percent(fraction: f64) -> String {
    fixed(fraction * 100.0, 1)
}

/// `value` to `decimals` places, trailing zeros (and a bare point) dropped.
fn fixed(value: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals as i32);
    let rounded = (value * scale).round() / scale;
    let text = format!("{rounded:.decimals$}");
    match text.split_once('.') {
        Some((whole, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                whole.to_string()
            } else {
                format!("{whole}.{frac}")
            }
        }
        None => text,
    }
}

/// `value` and `threshold` to `decimals` places, with more places for `value` where fewer
/// would show them in the wrong order (or equal when they are not).
fn compared(value: f64, threshold: f64, decimals: usize) -> (String, String) {
    let truth = value.partial_cmp(&threshold).unwrap_or(Ordering::Equal);
    let limit = fixed(threshold, decimals);
    let limit_value: f64 = limit.parse().unwrap_or(threshold);
    for places in decimals..decimals + 6 {
        let shown = fixed(value, places);
        if shown
            .parse::<f64>()
            .ok()
            .and_then(|v| v.partial_cmp(&limit_value))
            == Some(truth)
        {
            return (shown, limit);
        }
    }
    (value.to_string(), limit)
}

/// `value` and `threshold` (fractions) as percentages whose shown order is the true one.
pub fn percents_compared(value: f64, threshold: f64) -> (String, String) {
    compared(value * 100.0, threshold * 100.0, 1)
}

/// Milliseconds as seconds (`7.2`), in the true order against a threshold.
pub fn seconds_compared(ms: f64, threshold_ms: f64) -> (String, String) {
    compared(ms / 1000.0, threshold_ms / 1000.0, 1)
}

/// Sizes in bytes, in the unit of the limit (`10.2 MB` against `5 MB`), in the true order.
pub fn sizes_compared(bytes: usize, limit: usize) -> (String, String) {
    let (scale, unit) = match limit {
        l if l >= 1_000_000 => (1e6, "MB"),
        l if l >= 1_000 => (1e3, "KB"),
        _ => (1.0, "bytes"),
    };
    let (value, limit) = compared(bytes as f64 / scale, limit as f64 / scale, 1);
    (format!("{value} {unit}"), format!("{limit} {unit}"))
}

/// A length of time, to the precision a person needs: "40 s", "12 min", "3 h 12 min",
/// "1 day 3 h", "2 days".
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (days, hours, minutes) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (1, 0, _) => "1 day".into(),
        (1, h, _) => format!("1 day {h} h"),
        (d, _, _) => format!("{d} days"),
    }
}

/// Every unit down to seconds: "4 h 0 min 1 s".
fn exact_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (days, hours, minutes, secs) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(if days == 1 {
            "1 day".to_string()
        } else {
            format!("{days} days")
        });
    }
    if days > 0 || hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if days > 0 || hours > 0 || minutes > 0 {
        parts.push(format!("{minutes} min"));
    }
    parts.push(format!("{secs} s"));
    parts.join(" ")
}

/// `seconds` next to a `threshold` it exceeds (or falls short of): when the rounded forms
/// would read the same, the exact one.
pub fn durations_compared(seconds: i64, threshold: i64) -> (String, String) {
    let (shown, limit) = (duration(seconds), duration(threshold));
    if shown == limit && seconds != threshold {
        (exact_duration(seconds), limit)
    } else {
        (shown, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_show_in_the_limits_unit() {
        assert_eq!(
            sizes_compared(10_240_000, 5_000_000),
            ("10.2 MB".into(), "5 MB".into())
        );
        // 5,000,001 bytes is above 5 MB: shown as more than 5.
        let (size, limit) = sizes_compared(5_000_001, 5_000_000);
        assert_ne!(size, limit);
        assert_eq!(
            sizes_compared(700_000, 512_000),
            ("700 KB".into(), "512 KB".into())
        );
    }

    #[test]
    fn percents_keep_the_comparison_true() {
        assert_eq!(percent(0.842), "84.2");
        assert_eq!(percent(0.9), "90");
        assert_eq!(
            percents_compared(0.8996, 0.9),
            ("89.96".into(), "90".into())
        );
        assert_eq!(percents_compared(0.0999, 0.1), ("9.99".into(), "10".into()));
        assert_eq!(percents_compared(0.12, 0.1), ("12".into(), "10".into()));
        assert_eq!(
            percents_compared(0.10004, 0.1),
            ("10.004".into(), "10".into())
        );
        assert_eq!(percents_compared(0.1, 0.1), ("10".into(), "10".into()));
        assert_eq!(percents_compared(0.842, 0.9), ("84.2".into(), "90".into()));
        assert_eq!(
            seconds_compared(7_240.0, 5_000.0),
            ("7.2".into(), "5".into())
        );
        assert_eq!(
            seconds_compared(5_040.0, 5_000.0),
            ("5.04".into(), "5".into())
        );
    }

    #[test]
    fn durations_keep_the_comparison_true() {
        assert_eq!(duration(40), "40 s");
        assert_eq!(duration(5 * 3600 + 12 * 60), "5 h 12 min");
        assert_eq!(
            durations_compared(4 * 3600 + 1, 4 * 3600),
            ("4 h 0 min 1 s".into(), "4 h".into())
        );
        assert_eq!(
            durations_compared(5 * 3600, 4 * 3600),
            ("5 h".into(), "4 h".into())
        );
        assert_eq!(
            durations_compared(2 * 86_400 + 5, 2 * 86_400),
            ("2 days 0 h 0 min 5 s".into(), "2 days".into())
        );
    }
}

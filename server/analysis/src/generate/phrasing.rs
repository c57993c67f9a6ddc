//! Words for a new PRP from the requirement's own: a short imperative name that never stops
//! mid-phrase ("Add rate limiting on the public invoice API"), and acceptance criteria taken
//! from the requirement's clauses ("At most 100 requests per minute per key").

use super::kind::RequirementKind;

/// The longest name, in words.
const MAX_WORDS: usize = 8;

/// What people write before the actual request.
const LEAD_INS: [&str; 24] = [
    "we need to",
    "we need",
    "we want to",
    "we want",
    "we should",
    "we must",
    "i want to",
    "i want",
    "i'd like to",
    "i would like to",
    "i'd like",
    "it would be nice to",
    "it would be great to",
    "it would be good to",
    "please",
    "need to",
    "there should be",
    "the system should",
    "the app should",
    "can we",
    "could we",
    "could you",
    "let's",
    "todo:",
];

/// Words a name may start with as it is (imperative verbs requirements open with).
const VERBS: [&str; 109] = [
    "add",
    "allow",
    "archive",
    "automate",
    "backfill",
    "batch",
    "block",
    "build",
    "cache",
    "cap",
    "change",
    "check",
    "clean",
    "compress",
    "connect",
    "convert",
    "count",
    "create",
    "deduplicate",
    "delete",
    "deprecate",
    "detect",
    "disable",
    "display",
    "document",
    "download",
    "drop",
    "email",
    "enable",
    "encrypt",
    "enforce",
    "export",
    "expose",
    "extract",
    "fetch",
    "filter",
    "fix",
    "flag",
    "generate",
    "group",
    "handle",
    "harden",
    "hash",
    "hide",
    "implement",
    "import",
    "improve",
    "index",
    "integrate",
    "introduce",
    "invite",
    "let",
    "limit",
    "link",
    "list",
    "load",
    "lock",
    "log",
    "make",
    "mark",
    "merge",
    "migrate",
    "monitor",
    "move",
    "notify",
    "open",
    "optimize",
    "order",
    "paginate",
    "parse",
    "persist",
    "pin",
    "prevent",
    "protect",
    "publish",
    "rank",
    "rate-limit",
    "record",
    "redesign",
    "redirect",
    "refactor",
    "reject",
    "remove",
    "rename",
    "render",
    "replace",
    "report",
    "require",
    "reset",
    "resize",
    "restore",
    "retry",
    "rewrite",
    "rotate",
    "save",
    "scan",
    "schedule",
    "search",
    "secure",
    "send",
    "set",
    "ship",
    "show",
    "speed",
    "split",
    "store",
    "support",
    "sync",
    "update",
];

/// Words a phrase does not end on; a cut before them ends a phrase.
const FUNCTION_WORDS: [&str; 43] = [
    "a", "an", "the", "of", "to", "on", "at", "for", "with", "and", "or", "in", "by", "from",
    "per", "into", "onto", "via", "as", "that", "which", "is", "are", "be", "so", "when", "while",
    "where", "if", "but", "their", "its", "after", "before", "during", "until", "without",
    "within", "over", "under", "about", "between", "than",
];

/// Where a clause ends inside a sentence (the rest details the request).
const CLAUSE_BREAKS: [&str; 11] = [
    ":",
    " - ",
    " — ",
    " – ",
    " (",
    ", so ",
    " so that ",
    " because ",
    ", which ",
    ", with ",
    ", and ",
];

fn strip_lead_in(text: &str) -> &str {
    let mut t = text.trim();
    loop {
        let lower = t.to_lowercase();
        let Some(lead) = LEAD_INS.iter().find(|l| {
            lower.starts_with(*l)
                && lower[l.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || c == ',')
        }) else {
            return t;
        };
        t = t[lead.len()..].trim_start_matches([',', ' ']);
    }
}

/// The first sentence of the first non-empty line, without Markdown markers.
fn first_sentence(text: &str) -> String {
    let first = text
        .lines()
        .map(|l| {
            l.trim_start_matches(['#', '>', ' ', '-', '*', '+'])
                .trim_start_matches("[ ]")
                .trim_start_matches("[x]")
                .trim()
        })
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let first = first.replace("**", "").replace('`', "");
    let end = first
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '.' | '?' | '!' | ';')
                && first[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map_or(first.len(), |(i, _)| i);
    first[..end].trim().to_string()
}

/// The request part of a sentence and the detail after it (`None` when there is none).
fn split_clause(sentence: &str) -> (&str, Option<&str>) {
    let lower = sentence.to_lowercase();
    let cut = CLAUSE_BREAKS
        .iter()
        .filter_map(|b| lower.find(b).map(|i| (i, b.len())))
        .filter(|(i, _)| sentence[..*i].split_whitespace().count() >= 2)
        .min();
    match cut {
        Some((i, len)) => {
            let rest = sentence[i + len..].trim().trim_end_matches(')');
            (sentence[..i].trim(), Some(rest).filter(|r| !r.is_empty()))
        }
        None => (sentence.trim(), None),
    }
}

/// Where a failure verb follows the subject (`crashes`, `fails`…) and its -ing form.
fn failure_name(lower: &[String]) -> Option<(usize, &'static str)> {
    const FAILURES: [(&str, &str); 7] = [
        ("crashes", "crashing"),
        ("fails", "failing"),
        ("hangs", "hanging"),
        ("freezes", "freezing"),
        ("breaks", "breaking"),
        ("errors", "erroring"),
        ("leaks", "leaking"),
    ];
    lower.iter().enumerate().skip(1).find_map(|(i, w)| {
        FAILURES
            .iter()
            .find(|(verb, _)| w == verb)
            .map(|(_, noun)| (i, *noun))
    })
}

fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word.to_lowercase().as_str())
}

/// At most [`MAX_WORDS`] words, cut where a phrase ends: before a preposition or
/// conjunction when there is one, and never after a function word.
fn shorten(words: &[&str]) -> Vec<String> {
    shorten_to(words, MAX_WORDS)
}

fn shorten_to(words: &[&str], max: usize) -> Vec<String> {
    let mut end = words.len();
    if end > max {
        end = (3..=max)
            .rev()
            .find(|&k| is_function_word(words[k]))
            .unwrap_or(max);
    }
    while end > 1 && is_function_word(words[end - 1]) {
        end -= 1;
    }
    words[..end].iter().map(|w| w.to_string()).collect()
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A short imperative name for the request: "Add rate limiting on the public invoice API",
/// "Let members export their history as CSV", "Fix the crash when saving an empty form".
pub fn descriptive_name(text: &str, kind: RequirementKind) -> String {
    let sentence = first_sentence(text);
    let request = strip_lead_in(&sentence);
    let (request, _) = split_clause(request);
    let request = request.trim_end_matches(['.', ':', '!', '?', ',']);
    let mut words: Vec<&str> = request.split_whitespace().collect();
    if words.is_empty() {
        return "New requirement".to_string();
    }
    // "Users should be able to export …" → "Let users export …".
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let able = lower
        .windows(4)
        .position(|w| w[1] == "should" && w[2] == "be" && w[3] == "able")
        .filter(|&i| lower.get(i + 4).is_some_and(|w| w == "to"));
    let mut lead: Vec<String> = Vec::new();
    let mut lead_lowered: Option<String> = None;
    if let Some(i) = able {
        lead.push("Let".into());
        lead.extend(words[..=i].iter().map(|w| w.to_lowercase()));
        words = words[i + 5..].to_vec();
    } else if let Some(fix) = failure_name(&lower)
        .filter(|_| kind == RequirementKind::BugFix && !VERBS.contains(&lower[0].as_str()))
    {
        // "The PDF export crashes when …" → "Fix the PDF export crashing".
        let (at, gerund) = fix;
        lead.push("Fix".to_string());
        let mut phrase: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        phrase[at] = gerund.to_string();
        if phrase[0].chars().skip(1).all(|c| !c.is_uppercase()) {
            phrase[0] = phrase[0].to_lowercase();
        }
        let names: Vec<&str> = phrase.iter().map(String::as_str).collect();
        let kept = shorten_to(&names, MAX_WORDS - 1);
        lead.extend(kept);
        return capitalize(&lead.join(" "));
    } else if !VERBS.contains(&lower[0].as_str()) {
        // "Dark mode" → "Add dark mode"; "Google Calendar sync" keeps its name's capitals.
        let sentence_case = words[0].chars().skip(1).all(|c| !c.is_uppercase())
            && words
                .get(1)
                .is_none_or(|w| !w.starts_with(char::is_uppercase));
        if sentence_case {
            lead_lowered = Some(words[0].to_lowercase());
        }
        lead.push(
            match kind {
                RequirementKind::BugFix => "Fix",
                RequirementKind::Performance => "Speed up",
                RequirementKind::Security => "Secure",
                RequirementKind::Refactor => "Refactor",
                RequirementKind::Documentation => "Document",
                RequirementKind::Feature => "Add",
            }
            .to_string(),
        );
    }
    let lead_words = lead
        .iter()
        .map(|l| l.split_whitespace().count())
        .sum::<usize>();
    let mut budget: Vec<&str> = words.to_vec();
    if let Some(first) = &lead_lowered {
        budget[0] = first;
    }
    let mut kept = shorten(&budget[..budget.len().min(MAX_WORDS + 4)]);
    while lead_words + kept.len() > MAX_WORDS && kept.len() > 1 {
        let slice: Vec<&str> = kept.iter().map(String::as_str).collect();
        let shorter = shorten(&slice[..slice.len() - 1]);
        if shorter.len() >= kept.len() {
            break;
        }
        kept = shorter;
    }
    let mut all: Vec<String> = lead;
    all.extend(kept);
    capitalize(&all.join(" "))
}

/// Requirement words that make a sentence a criterion rather than context or a remark.
const CRITERION_CUES: [&str; 23] = [
    "must",
    "should",
    "need",
    "needs",
    "has to",
    "have to",
    "can",
    "cannot",
    "can't",
    "will",
    "may",
    "won't",
    "within",
    "at most",
    "at least",
    "no more than",
    "only",
    "never",
    "always",
    "every",
    "each",
    "return",
    "show",
];

/// A request as an outcome to check: a defect as its absence ("The export crashes when …"
/// → "The export no longer crashes when …"), anything else as written.
fn as_outcome(request: &str) -> String {
    let request = request.trim().trim_end_matches(['.', '!']);
    let words: Vec<&str> = request.split_whitespace().collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if let Some((at, _)) = failure_name(&lower) {
        let mut out: Vec<&str> = words[..at].to_vec();
        out.push("no longer");
        out.extend(&words[at..]);
        return capitalize(&out.join(" "));
    }
    capitalize(request)
}

fn has_cue(sentence: &str) -> bool {
    let lower = format!(" {} ", sentence.to_lowercase());
    CRITERION_CUES
        .iter()
        .any(|c| lower.contains(&format!(" {c} ")) || lower.contains(&format!(" {c}s ")))
}

/// The parts of a detail clause: `at most 100 requests per minute per key, with a clear
/// 429 response and a Retry-After header` → three.
fn clauses(detail: &str) -> Vec<String> {
    detail
        .split([',', ';'])
        .flat_map(|part| part.split(" and "))
        .map(|p| {
            let p = p.trim().trim_end_matches('.');
            let p = p
                .strip_prefix("with ")
                .or_else(|| p.strip_prefix("and "))
                .or_else(|| p.strip_prefix("plus "))
                .unwrap_or(p);
            p.trim().to_string()
        })
        .filter(|p| p.split_whitespace().count() >= 2)
        .map(|p| capitalize(&p))
        .collect()
}

/// Acceptance criteria in the requirement's own words: the details of its first sentence
/// and every later sentence that states something that must hold.
pub fn criteria_from_text(description: &str) -> Vec<String> {
    let text: String = description
        .lines()
        .filter(|l| !l.trim_start().starts_with(['-', '*', '#', '>']))
        .collect::<Vec<_>>()
        .join(" ");
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let next = text[i + c.len_utf8()..].chars().next();
        if matches!(c, '.' | '?' | '!') && next.is_none_or(char::is_whitespace) {
            sentences.push(text[start..i].trim().to_string());
            start = i + c.len_utf8();
        }
    }
    sentences.push(text[start..].trim().to_string());
    sentences.retain(|s| !s.is_empty());
    let mut out = Vec::new();
    if let Some(first) = sentences.first() {
        let (request, detail) = split_clause(strip_lead_in(first));
        match detail {
            Some(detail) => out.extend(clauses(detail)),
            // A request without details is itself the first thing to check.
            None if sentences.len() > 1 && request.split_whitespace().count() >= 4 => {
                out.push(as_outcome(request))
            }
            None => {}
        }
    }
    for s in sentences.iter().skip(1) {
        if !(has_cue(s) && s.split_whitespace().count() >= 3) {
            continue;
        }
        // "Users can enroll with a QR code and recovery codes are shown once": two
        // criteria when both halves state something that must hold.
        let halves: Vec<&str> = s.split(" and ").collect();
        let each_a_criterion = halves.len() > 1
            && halves
                .iter()
                .all(|h| has_cue(h) && h.split_whitespace().count() >= 3);
        if each_a_criterion {
            out.extend(
                halves
                    .iter()
                    .map(|h| capitalize(h.trim().trim_end_matches(['.', '!']))),
            );
        } else {
            out.push(capitalize(s.trim_end_matches(['.', '!'])));
        }
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> String {
        descriptive_name(text, RequirementKind::Feature)
    }

    #[test]
    fn names_are_short_imperative_and_whole() {
        assert_eq!(
            name("We need rate limiting on the public invoice API: at most 100 requests per minute per key, with a clear 429 response and a Retry-After header."),
            "Add rate limiting on the public invoice API"
        );
        assert_eq!(
            name("Users should be able to export invoices as PDF. Urgent for the audit."),
            "Let users export invoices as PDF"
        );
        assert_eq!(
            name("Show Google Calendar events on the dashboard page and store them in a new table"),
            "Show Google Calendar events on the dashboard page"
        );
        assert_eq!(name("Dark mode"), "Add dark mode");
        assert_eq!(
            descriptive_name(
                "The crash when saving an empty form",
                RequirementKind::BugFix
            ),
            "Fix the crash when saving an empty form"
        );
        assert_eq!(
            descriptive_name(
                "Login fails with a 500 after password reset",
                RequirementKind::BugFix
            ),
            "Fix login failing with a 500"
        );
        assert_eq!(
            descriptive_name(
                "The invoice PDF export crashes when a line item has no price",
                RequirementKind::BugFix
            ),
            "Fix the invoice PDF export crashing"
        );
        assert_eq!(name("  "), "New requirement");
        for text in [
            "Please add a way for band leaders to send rehearsal reminders to every member of the band by email and SMS",
            "Sync the rehearsal schedule with the shared Google calendar of the whole school every night",
        ] {
            let n = name(text);
            let words: Vec<&str> = n.split_whitespace().collect();
            assert!(words.len() <= MAX_WORDS, "{n}");
            assert!(!is_function_word(words.last().unwrap()), "{n}");
        }
    }

    #[test]
    fn criteria_come_from_the_requirements_clauses() {
        assert_eq!(
            criteria_from_text("We need rate limiting on the public invoice API: at most 100 requests per minute per key, with a clear 429 response and a Retry-After header."),
            [
                "At most 100 requests per minute per key",
                "A clear 429 response",
                "A Retry-After header"
            ]
        );
        // The request itself is the first thing to check when it has no details; a remark
        // ("Urgent for the audit") is no criterion.
        assert_eq!(
            criteria_from_text(
                "Export invoices as PDF. The PDF must carry the logo. Urgent for the audit."
            ),
            ["Export invoices as PDF", "The PDF must carry the logo"]
        );
        assert_eq!(
            criteria_from_text("The PDF export crashes when a price is empty. It must finish."),
            [
                "The PDF export no longer crashes when a price is empty",
                "It must finish"
            ]
        );
        assert!(criteria_from_text("Dark mode").is_empty());
    }
}

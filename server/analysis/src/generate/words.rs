//! Keyword matching for requirement analysis: whole words or phrases, case-insensitive,
//! a plural `s`/`es` allowed, and a trailing `*` for a stem (`migrat*`).

use std::collections::BTreeMap;

/// A text as lowercase words (letters and digits; everything else separates), indexed by
/// word: analysis asks about a hundred keywords of one text, and a scan of every word for
/// each made generation quadratic in practice.
pub(super) struct Words {
    words: Vec<String>,
    /// Where each distinct word occurs, sorted by word (a stem is a range of keys).
    at: BTreeMap<String, Vec<usize>>,
}

impl Words {
    pub fn of(text: &str) -> Words {
        let words = split(text);
        let mut at: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, w) in words.iter().enumerate() {
            at.entry(w.clone()).or_default().push(i);
        }
        Words { words, at }
    }

    /// Whether the text mentions a keyword or phrase.
    pub fn mentions(&self, keyword: &str) -> bool {
        let stem = keyword.trim().ends_with('*');
        let wanted = split(keyword);
        let Some(last) = wanted.len().checked_sub(1) else {
            return false;
        };
        let matches = |i: usize, word: &str| {
            let k = wanted[i].as_str();
            if i == last && stem {
                word.starts_with(k)
            } else {
                word.strip_prefix(k)
                    .is_some_and(|rest| rest.is_empty() || rest == "s" || rest == "es")
            }
        };
        if last == 0 && stem {
            // The first word at or after the stem starts with it if any does.
            return self
                .at
                .range(wanted[0].clone()..)
                .next()
                .is_some_and(|(w, _)| w.starts_with(wanted[0].as_str()));
        }
        // Phrases start where their first word (or its plural) does.
        let first = &wanted[0];
        [first.clone(), format!("{first}s"), format!("{first}es")]
            .iter()
            .filter_map(|w| self.at.get(w))
            .flatten()
            .any(|&start| {
                self.words
                    .get(start..start + wanted.len())
                    .is_some_and(|window| {
                        window.iter().enumerate().all(|(i, word)| matches(i, word))
                    })
            })
    }

    pub fn mentions_any(&self, keywords: &[&str]) -> bool {
        keywords.iter().any(|k| self.mentions(k))
    }
}

fn split(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_plurals_and_stems() {
        let w = Words::of("Add Google Calendar sync; migrate the DB tables (CI/CD too)");
        assert!(w.mentions("google calendar"));
        assert!(w.mentions("table"));
        assert!(w.mentions("migrat*"));
        assert!(w.mentions("ci/cd"));
        assert!(!w.mentions("tab"));
        assert!(!w.mentions("calendar google"));
        assert!(!w.mentions(""));
    }

    /// The index answers as a scan of every word did.
    #[test]
    fn indexed_lookup_agrees_with_a_scan() {
        fn scan(text: &str, keyword: &str) -> bool {
            let words = split(text);
            let stem = keyword.trim().ends_with('*');
            let wanted = split(keyword);
            let Some(last) = wanted.len().checked_sub(1) else {
                return false;
            };
            words.windows(wanted.len()).any(|window| {
                window.iter().zip(&wanted).enumerate().all(|(i, (w, k))| {
                    if i == last && stem {
                        w.starts_with(k.as_str())
                    } else {
                        w == k
                            || w.strip_prefix(k.as_str())
                                .is_some_and(|p| p == "s" || p == "es")
                    }
                })
            })
        }
        let texts = [
            "Sign in with Google; signs, sign-ups and SIGNUPS",
            "the back ends of back end services: APIs, apis, apies",
            "migrations migrate MIGRAT mig",
            "ci ci/cd cis cies c i",
            "",
            "front end front endes frontend",
        ];
        let mut keywords: Vec<&str> = super::super::analysis::DEFAULT_MODULES
            .iter()
            .flat_map(|(_, kws)| kws.iter().copied())
            .collect();
        keywords.extend([
            "sign in",
            "sign*",
            "back end*",
            "ci/cd",
            "c i",
            "api",
            "*",
            "front end",
        ]);
        for text in texts {
            let words = Words::of(text);
            for k in &keywords {
                assert_eq!(words.mentions(k), scan(text, k), "{k:?} in {text:?}");
            }
        }
    }
}

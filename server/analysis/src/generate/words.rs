//! Keyword matching for requirement analysis: whole words or phrases, case-insensitive,
//! a plural `s`/`es` allowed, and a trailing `*` for a stem (`migrat*`).

/// A text as lowercase words (letters and digits; everything else separates).
pub(super) struct Words(Vec<String>);

impl Words {
    pub fn of(text: &str) -> Words {
        Words(split(text))
    }

    /// Whether the text mentions a keyword or phrase.
    pub fn mentions(&self, keyword: &str) -> bool {
        let stem = keyword.trim().ends_with('*');
        let wanted = split(keyword);
        let Some(last) = wanted.len().checked_sub(1) else {
            return false;
        };
        self.0.windows(wanted.len()).any(|window| {
            window
                .iter()
                .zip(&wanted)
                .enumerate()
                .all(|(i, (word, k))| {
                    if i == last && stem {
                        word.starts_with(k.as_str())
                    } else {
                        word == k
                            || word
                                .strip_prefix(k.as_str())
                                .is_some_and(|plural| plural == "s" || plural == "es")
                    }
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
}

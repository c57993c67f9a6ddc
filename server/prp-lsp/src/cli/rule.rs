//! `prp-lsp rule <code>`: a rule's documentation, as on its page under docs/rules/.

use prp_analysis::Rule;

use super::print_out;

/// Prints the page of `code`, or with `all` the table of every rule; exit 2 for a code that
/// is no rule (with the codes that come closest).
pub fn run(code: Option<&str>, all: bool) -> i32 {
    if all {
        print_out(&table());
        return 0;
    }
    let Some(code) = code else {
        eprintln!(
            "prp-lsp rule: name a rule (`prp-lsp rule missing-section`) or list them with `--all`"
        );
        return 2;
    };
    match Rule::from_code(code) {
        Some(rule) => {
            print_out(&rule.page());
            0
        }
        None => {
            let codes = Rule::ALL.iter().map(|r| r.code());
            let mut near: Vec<&str> = codes
                .clone()
                .filter(|c| c.contains(code) || code.contains(c))
                .collect();
            if near.is_empty() {
                near = codes.filter(|c| shares_a_word(c, code)).collect();
            }
            let hint = if near.is_empty() {
                "`prp-lsp rule --all` lists them".to_string()
            } else {
                format!("did you mean {}?", near.join(", "))
            };
            eprintln!("prp-lsp rule: `{code}` is not a rule code; {hint}");
            2
        }
    }
}

fn shares_a_word(a: &str, b: &str) -> bool {
    a.split('-')
        .any(|w| w.len() > 3 && b.split('-').any(|v| v == w))
}

/// Every rule: code, default severity and summary, one per line.
fn table() -> String {
    let width = Rule::ALL.iter().map(|r| r.code().len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in Rule::ALL {
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            rule.code(),
            rule.default_severity().label(),
            rule.summary()
        ));
    }
    out
}

//! Every rule prp-lsp reports, in one place: its code, default severity, one-line summary
//! and documentation (the doc comment on each entry, in ruff's shape: what it finds, why it
//! matters, an example, how to fix it, what configures it). `docs/rules/<code>.md`, the
//! README's rule table and `prp-lsp rule <code>` are generated from here.

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

macro_rules! rules {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $severity:ident, $summary:literal;)*) => {
        /// A rule with a stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code),* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity),* }
            }

            /// One line on what the rule finds (Markdown).
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary),* }
            }

            /// The rule's documentation as written on its entry (Markdown, each line with
            /// the one space a doc comment puts after `///`).
            fn doc_lines(self) -> &'static [&'static str] {
                match self { $(Rule::$variant => &[$($doc),*]),* }
            }

            pub fn from_code(code: &str) -> Option<Rule> {
                match code { $($code => Some(Rule::$variant),)* _ => None }
            }
        }
    };
}

impl Rule {
    /// The rule's documentation (Markdown): what it finds, why it matters, an example, how
    /// to fix it, what configures it.
    pub fn documentation(self) -> String {
        let mut out = String::new();
        for line in self.doc_lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The rule's page: `docs/rules/<code>.md` and what `prp-lsp rule <code>` prints.
    pub fn page(self) -> String {
        let severity = self.default_severity().label();
        format!(
            "# `{code}`\n\n{summary}.\n\nDefault severity: **{severity}**. Change it, or turn the rule \
             off, under `[rules]` in prp-lsp.toml (`{code} = \"error\"`, `\"off\"`…); in a Markdown \
             document, silence one finding with `<!-- prp-lsp: disable-next-line {code} -->`.\n\n{doc}",
            code = self.code(),
            summary = capitalized(self.summary()),
            doc = self.documentation(),
        )
    }
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

rules! {
    /// ## What it finds
    /// A PRP lacks a section its profile requires: the profile its front matter names
    /// (`profile: feature-plan`), else the one a `[[profile-rules]]` glob gives, else the one it
    /// matches best. Sections count under any synonym at heading levels 2 to 4; header keys
    /// (`**Priority**: High`, a front matter `title:`) and, for Goal, a Summary or Description
    /// section count too.
    /// Only PRPs that follow their profile are checked: it is named or assigned by a glob, all
    /// but one of its sections are present (a quarter for the long orchestrator profile), or the
    /// document is the template cut short. A team's own family, with sections missing in the
    /// middle, is not reported; `#` lines in code fences are never headings.
    ///
    /// ## Why it matters
    /// An agent handed a PRP without Success Criteria or a Validation Loop cannot tell when it is
    /// done or how to prove it. The message names the profile and why it was chosen, so a wrong
    /// profile is easy to spot.
    ///
    /// ## Example
    /// ```markdown
    /// # Password reset
    /// ### Goal
    /// Users reset a forgotten password by email.
    /// ### Why
    /// Support handles ten reset requests a day.
    /// ### What
    /// A reset link, valid for one hour.
    /// #### Success Criteria
    /// - [ ] The link expires after one hour
    /// ```
    /// (base profile: `All Needed Context`, `Implementation Blueprint or Tasks` and
    /// `Validation Loop` are missing)
    ///
    /// ## How to fix
    /// Add the section under one of the names the message lists, or, for another family, name the
    /// profile with `profile:` in the front matter or a `[[profile-rules]]` glob. The quick fix
    /// **Add section `<name>`** inserts the heading where the profile orders it, with a TODO
    /// line; it is one of the safe fixes `source.fixAll.prp-lsp` applies.
    ///
    /// ## Options
    /// `[profiles.<name>]` `required` / `optional` (`"A | B"` accepts either); `[synonyms]`;
    /// `[[profile-rules]]` (`glob`, `profile`); `[documents] prp` and `exclude`, which decide
    /// what is a PRP.
    MissingSection = "missing-section", Warning, "a section the document's profile requires is absent (the message names the profile and the accepted names)";
    /// ## What it finds
    /// A section the PRP's profile requires is present but says nothing: under its heading there
    /// are only blank lines, HTML comments and subheadings without text. Also a PRP with nothing
    /// after its front matter or pseudo-header; that file gets this one finding and no other
    /// section findings.
    /// Text in a subsection, a list, a table or a code block is content, and so is a value in the
    /// heading (`## Priority: HIGH`). Sections the profile does not require are not checked, and
    /// only PRPs are.
    ///
    /// ## Why it matters
    /// An empty heading looks like a decision was written down when it was not: the agent reads
    /// `## Why` and finds nothing to weigh its choices against. An empty file in `PRPs/active/`
    /// is planned work that does not exist.
    ///
    /// ## Example
    /// ```markdown
    /// ### Goal
    /// Add CSV export to the reports page.
    ///
    /// ### Why
    /// <!-- fill in later -->
    ///
    /// ### What
    /// ```
    ///
    /// ## How to fix
    /// Write the section, or delete the heading if the PRP does not need it (`missing-section`
    /// may then ask for it). Delete an empty PRP whose work was dropped. There is no quick fix
    /// besides disabling the rule for the line.
    ///
    /// ## Options
    /// `[profiles.<name>] required` decides which sections must have content; `[synonyms]` and
    /// `[[profile-rules]]` as for `missing-section`.
    EmptySection = "empty-section", Warning, "a required section with no content; an empty PRP file";
    /// ## What it finds
    /// Text left in a PRP from its template: a bracketed instruction
    /// (`[What needs to be built - be specific]`, `[Business value and user impact]`), anything
    /// in brackets with `path/to`, `[FEATURE_NAME]`, a date format such as `[YYYY-MM-DD]`, a list
    /// of choices (`[critical | high | medium | low]`), or a `{{name}}` variable. Brackets are
    /// read in prose and in untagged, `yaml` and `text` fences; `{{ }}` only outside fences and
    /// the header.
    /// Not reported: links and reference definitions (`[text](url)`, `[text][ref]`), task markers
    /// (`[x]`, `[wip]`), short labels (`[WIP]`, `[P1]`, `[optional]`), YAML lists (`[a, b]`),
    /// inline code, code fences (`python`, `bash`…), quoted `markdown` fences, and templates
    /// under `PRPs/templates/`, which are not PRPs.
    ///
    /// ## Why it matters
    /// An agent told to build "[What needs to be built]" invents the answer. A placeholder also
    /// marks a PRP that was copied or generated and never finished.
    ///
    /// ## Example
    /// ````markdown
    /// ### Goal
    /// [What needs to be built - be specific about the end state]
    ///
    /// ### All Needed Context
    /// ```yaml
    /// - file: [path/to/file]
    ///   why: [Describe the pattern to follow]
    /// ```
    /// ````
    ///
    /// ## How to fix
    /// Replace the placeholder with the real content, or delete the line. `prp-lsp new` and the
    /// Generate PRP action list, with their lines, the placeholders they could not fill. There is
    /// no quick fix besides disabling the rule for the line.
    ///
    /// ## Options
    /// None beyond its severity.
    TemplatePlaceholder = "template-placeholder", Warning, "a template placeholder left in (`[What needs to be built …]`, `[path/to/file]`, `{{name}}`)";
    /// ## What it finds
    /// A finished PRP whose Success Criteria or Final Validation Checklist still has unticked
    /// items. Finished means the PRP is in a finished folder (`archive/`, `archived/`,
    /// `completed/`, `complete/`, `done/`, `finished/`, `implemented/`), or in a folder that does
    /// not say (such as `PRPs/` itself) with a Status that does (Complete, Done, Shipped,
    /// Merged…).
    /// The sections count under any of their names (Acceptance Criteria, Definition of Done,
    /// Final Checklist…), nested items included. Struck-through items (`~~SSO support~~`) were
    /// dropped, not forgotten; open items in other sections (Tasks), in example sections and in
    /// fences are ignored; a PRP in `active/` is not checked, whatever its Status says.
    ///
    /// ## Why it matters
    /// Most finished PRPs in the wild carry open criteria, so nobody can tell what was verified.
    /// An agent that reads an archived PRP as a pattern learns that unmet criteria are
    /// acceptable.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- PRPs/archive/07_export.md -->
    /// # CSV export
    /// **Status**: Complete
    ///
    /// ### Success Criteria
    /// - [x] The export downloads a CSV file
    /// - [ ] Large reports stream instead of timing out
    /// ```
    ///
    /// ## How to fix
    /// Tick the items that are done, strike out the ones that were dropped, or move the PRP back
    /// to `active/` if work remains. Quick fixes: **Tick the N open items**, and **Move the PRP
    /// back to active/**, which renames the file and updates every reference to it.
    ///
    /// ## Options
    /// `[synonyms]` adds names for the "Success Criteria" and "Final Validation Checklist"
    /// sections.
    OpenCriteriaInFinished = "open-criteria-in-finished", Warning, "a finished PRP with unchecked Success Criteria / Final Validation items";
    /// ## What it finds
    /// A PRP's Status (front matter `status:`, a `**Status**:` bold key or a plain `Status:` line
    /// near the top, or a `## Status` heading) contradicts its folder or its checkboxes. Three
    /// cases: the PRP is in a finished folder (`archive/`, `completed/`, `done/`…) but the Status
    /// says planned or in progress (Draft, Ready, In Progress…); it is in a planning folder
    /// (`planning/`, `backlog/`, `drafts/`…) but the Status says finished; or the Status says
    /// finished while none of the document's checklist items is ticked.
    /// A Complete PRP with some boxes ticked is not a contradiction. Status lines further down
    /// (under a task) and inside fences are not the PRP's Status.
    ///
    /// ## Why it matters
    /// The lifecycle decides what other rules and actions do: finished PRPs are not assigned,
    /// their `CREATE` targets must exist and their criteria must be ticked. A Status that
    /// disagrees with the folder is either lost work or a stale label, and an agent that picks
    /// work by Status picks wrong.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- PRPs/archive/04_search.md -->
    /// # Search
    /// **Status**: In Progress
    /// ```
    ///
    /// ## How to fix
    /// Correct the Status, or move the file. The quick fixes offer each choice: **Set Status to
    /// Complete** or **Move the PRP to active/** (or `planning/`, as the Status says) for a
    /// finished folder; **Set Status to Planning** or **Move the PRP to archive/** for a planning
    /// folder; **Set Status to In Progress** when nothing is ticked outside a finished folder. A
    /// move updates every reference to the PRP.
    ///
    /// ## Options
    /// None beyond its severity.
    StatusMismatch = "status-mismatch", Warning, "the `Status:` line contradicts the folder (`archive/` but \"In Progress\") or the checkboxes (\"Complete\", nothing ticked)";
    /// ## What it finds
    /// A path in a PRP, TASK.md or agent file that names nothing in the workspace: a `- file:` or
    /// `- docfile:` context entry, a relative Markdown link or image, a `MODIFY`/`UPDATE` target,
    /// a `PRPs/….md` path in text, or the `CREATE` target of a finished PRP. A path resolves from
    /// the document's folder, then from the workspace root, then as the tail of any path in the
    /// workspace (`src/app.py` written inside a sub-project).
    /// Not reported: URLs, anchors and `mailto:` links, text that is not a path (globs,
    /// `path/to/…`, `…`, spaces), `CREATE` targets of unfinished PRPs, lines of code fences
    /// (`UPDATE users SET …` in `sql`), and a board's example sections. A machine-specific path
    /// is `absolute-path`, a moved PRP `stale-prp-path`, and a missing PRP named on a board
    /// `unknown-prp` instead.
    ///
    /// ## Why it matters
    /// About a third of the context paths in real PRPs point nowhere; the agent then reads
    /// nothing, or guesses a file. A `MODIFY` target that does not exist means the plan was
    /// written against other code.
    ///
    /// ## Example
    /// ````markdown
    /// ### All Needed Context
    /// ```yaml
    /// - file: src/billing/invoice.py
    /// - docfile: docs/stripe-webhooks.md
    /// ```
    /// ````
    /// (neither file exists in the workspace)
    ///
    /// ## How to fix
    /// Correct the path (relative to the document or to the workspace root), create the file, or
    /// remove the reference. There is no quick fix besides disabling the rule for the line;
    /// completion after `PRPs/` offers existing PRP paths.
    ///
    /// ## Options
    /// None beyond its severity.
    UnresolvedReference = "unresolved-reference", Warning, "a `- file:` / `- docfile:` / relative link / `MODIFY`/`UPDATE` target that does not exist (`CREATE` targets only once the PRP is finished)";
    /// ## What it finds
    /// A path that exists only on one person's machine. In references (context entries, links,
    /// `MODIFY`/`CREATE` targets): anything starting with `/Users/`, `/home/`, `/root/`, `~/` or
    /// a drive letter (`C:\`, `C:/`). Anywhere else in a PRP, TASK.md or agent file, code fences
    /// included: a home-folder path such as `/Users/alice/…`, `/home/bob/…` or
    /// `C:\Users\carol\…`.
    /// Not reported: placeholder user names (`/home/user/`, `/Users/<you>/`, `/home/username/`),
    /// a bare `/Users/` with no name, the path part of a URL, and root-relative paths such as
    /// `/docs/api.md`, which resolve from the workspace root.
    ///
    /// ## Why it matters
    /// A validation command that `cd`s into someone's home folder fails for every other
    /// developer, in CI and in every agent's sandbox. Such paths also leak user names.
    ///
    /// ## Example
    /// ````markdown
    /// ### All Needed Context
    /// ```yaml
    /// - docfile: /Users/alice/projects/acme/docs/api.md
    /// ```
    ///
    /// ### Validation Loop
    /// ```bash
    /// cd /home/bob/acme && pytest
    /// ```
    /// ````
    ///
    /// ## How to fix
    /// Write the path relative to the workspace root. When the end of the path exists in the
    /// workspace, the message suggests it (`docs/api.md`). There is no quick fix besides
    /// disabling the rule for the line.
    ///
    /// ## Options
    /// None beyond its severity.
    AbsolutePath = "absolute-path", Warning, "a path from one machine (`/Users/…`, `/home/…`, `/root/…`, `C:\\…`)";
    /// ## What it finds
    /// A path to a Markdown file that does not exist where it points, while a PRP of the same
    /// file name exists elsewhere in the workspace: usually a PRP moved from `active/` to
    /// `archive/`. Checked in PRPs, TASK.md and agent files: links, context entries, `Source:`
    /// notes, `PRPs/….md` paths in text, and PRP paths inside code fences
    /// (`cat PRPs/active/05_x.md`).
    /// The message names where the PRP is now. A path that resolves is fine; a missing file that
    /// no PRP is named after is `unresolved-reference` (or `unknown-prp` on a board).
    ///
    /// ## Why it matters
    /// Agents follow these paths to read earlier work; a stale one sends them nowhere, or to a
    /// file of the same name in the wrong place. TASK.md `Source:` notes go stale this way after
    /// every archive.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- TASK.md; the PRP now lives in PRPs/archive/ -->
    /// - [x] Profile page (completed 2026-11-10)
    ///   - Source: PRPs/active/05_profile_page.md
    /// ```
    ///
    /// ## How to fix
    /// Point the path at the PRP's current place. The quick fix **Replace with `<path>`** writes
    /// it in the style of the original (relative, or from the root); when one PRP has that name
    /// it is preferred and one of the safe fixes `source.fixAll.prp-lsp` applies. Moving PRPs
    /// with the **Move to archive** action updates their references in the first place.
    ///
    /// ## Options
    /// `[documents] prp` and `exclude` decide which files are PRPs.
    StalePrpPath = "stale-prp-path", Warning, "a path to a PRP that has moved; the message names where it is now";
    /// ## What it finds
    /// Two or more PRPs of one `PRPs` folder share a number, taken from the file name (`03_x.md`,
    /// `PRP_03_x.md`, `PRP-003-x.md`, `003--x.md`) or, when it has none, from a front matter
    /// `id:`. Each of them is reported, naming the others. `active/`, `planning/` and `archive/`
    /// are one series.
    /// Kept apart: another `PRPs` folder (`.claude/PRPs/`), folders of superseded copies (`old/`,
    /// `orig/`, `legacy/`…), phases (`phase4.5-prp2-x.md`) and letter series (`P0-016-x.md`).
    /// Date prefixes (`2025-01-12-x.md`) and slugs such as `2fa_setup.md` are not numbers;
    /// templates and completion reports are not PRPs.
    ///
    /// ## Why it matters
    /// The number is how people, TASK.md (`PRP-12`) and agents refer to a PRP; two files with one
    /// number make every such reference ambiguous.
    ///
    /// ## Example
    /// ```markdown
    /// <!-- PRPs/active/03_sync.md -->
    /// # Calendar sync
    ///
    /// <!-- PRPs/planning/03_export.md -->
    /// # CSV export
    /// ```
    ///
    /// ## How to fix
    /// Renumber one of them. The quick fix **Renumber to NNN** renames the file to the number
    /// after the highest of its series (same style and width), updates the number in its title
    /// and `id:`, and rewrites every reference to it in the workspace; it needs a client that can
    /// rename files.
    ///
    /// ## Options
    /// `[documents] prp` and `exclude` decide which files are PRPs.
    DuplicatePrpNumber = "duplicate-prp-number", Error, "two PRPs share a number (reported on both)";
    /// ## What it finds
    /// A fenced code block (three or more backticks or tildes) that no closing line ends: a
    /// closing line must use the same character, at least as many times. The block then runs to
    /// the end of the document; the message counts the lines it swallows. Checked in PRPs,
    /// TASK.md and agent files of any size.
    /// Fine: a longer outer fence around a nested one, fences in list items and quotes, and a
    /// fence closed on the last line without a final newline.
    ///
    /// ## Why it matters
    /// Everything after the opening line, headings included, becomes code: sections vanish from
    /// the outline, other rules report them missing, and an agent reads the rest of the plan as
    /// one code sample.
    ///
    /// ## Example
    /// ````markdown
    /// ### Validation Loop
    /// ```bash
    /// ruff check .
    ///
    /// ### Rollback Plan
    /// Revert the merge commit.
    /// ````
    ///
    /// ## How to fix
    /// Close the block where the code ends, with a line of the same fence (the message shows it).
    /// There is no quick fix besides disabling the rule.
    ///
    /// ## Options
    /// None beyond its severity.
    UnclosedFence = "unclosed-fence", Error, "a code fence that never closes and swallows the rest of the document";
    /// ## What it finds
    /// A TASK.md section marked done that still has open items under it. Done means a ✅ (or ✔, ☑)
    /// in the heading, a heading that starts with Completed, Complete, Done, Finished or
    /// Just/Recently Completed (`Completed (2026-01-12)`, `Completed Tasks`), or one that ends so
    /// (`Payments (Completed)`, `Docs [DONE]`, `Docs - complete`). One finding per section, on
    /// its heading, with the open items as related information; an item belongs to the innermost
    /// done section around it.
    /// Not reported: headings that also say In Progress, WIP, Pending, Partial, Blocked…,
    /// headings such as `Done Criteria`, struck-through items, and example sections (Task Format,
    /// Legend, Template…).
    ///
    /// ## Why it matters
    /// A ✅ phase with open items tells people and agents that the work is finished when it is
    /// not, and the open items drop out of every progress report.
    ///
    /// ## Example
    /// ```markdown
    /// #### ✅ Phase 2: Dashboard
    /// - [x] Grid view
    /// - [ ] Empty states
    /// ```
    ///
    /// ## How to fix
    /// Tick the items that are done, move the others to an open section, or remove the done mark.
    /// The **Mark done** action on an item ticks it and writes `(completed YYYY-MM-DD)` in the
    /// board's style.
    ///
    /// ## Options
    /// `[documents] task-board` decides which files are task boards.
    TaskPhaseOpen = "task-phase-open", Warning, "a TASK.md section marked done (✅, \"Completed\") with open items";
    /// ## What it finds
    /// A progress count written by hand on a TASK.md board that disagrees with the checkboxes it
    /// counts. A count is `3/5`, `3 / 5` or `3 of 5` followed by a task word (`3/5 tasks`,
    /// `2 of 3 done`), after a progress word (`Progress: 3/5`), or in parentheses in a heading
    /// (`### Phase 2 (3/5)`). It speaks of its own section, of the section its line names
    /// (`- **Phase 2:** 10% (1/10 tasks)`), or of the whole board (`Overall`, `Total`), and it is
    /// right if it matches all items or the top-level items only.
    /// Not counts: `120/120 tests passing`, `Confidence 8/10`, dates (`1/2/2025`), a count on a
    /// checklist item's own line, and lines in fences or example sections.
    ///
    /// ## Why it matters
    /// People and agents read the summary line, not fifty checkboxes; a stale count reports
    /// progress that did not happen, or hides progress that did.
    ///
    /// ## Example
    /// ```markdown
    /// ### Phase 1
    /// Progress: 3/5 tasks complete
    /// - [x] Schema
    /// - [x] Migrations
    /// - [ ] Seed data
    /// - [ ] Admin screens
    /// - [ ] Audit log
    /// ```
    ///
    /// ## How to fix
    /// Update the count to what the message says the section has. There is no quick fix besides
    /// disabling the rule for the line.
    ///
    /// ## Options
    /// `[documents] task-board` decides which files are task boards.
    TaskCountMismatch = "task-count-mismatch", Warning, "a hand-written progress count (`Progress: 3/5`) that disagrees with the boxes";
    /// ## What it finds
    /// Dated entries out of order within one part of a TASK.md board: the completion dates
    /// (`completed`, `done`, `finished`, `closed`) of a section's top-level items, and the dates
    /// of sibling headings (`### 2026-11-05: Sprint 1`). A sequence is judged only with at least
    /// three dates and steps in both directions; its majority direction (oldest or newest first)
    /// is the order, and each entry against it is reported.
    /// `added` and `Started` dates are not completion dates and are not judged; nor are two-entry
    /// sections, or items in example sections.
    ///
    /// ## Why it matters
    /// A board is read as a log; an entry out of place hides when work really finished and
    /// confuses "what was done last week" for people and agents alike.
    ///
    /// ## Example
    /// ```markdown
    /// ### Completed
    /// - [x] Login form (completed 2026-11-02)
    /// - [x] Password reset (completed 2026-11-10)
    /// - [x] Session timeout (completed 2026-11-05)
    /// - [x] Audit log (completed 2026-11-12)
    /// ```
    ///
    /// ## How to fix
    /// Move the entry to its place in the sequence, or correct its date. There is no quick fix
    /// besides disabling the rule for the line.
    ///
    /// ## Options
    /// `[documents] task-board` decides which files are task boards.
    TaskDateOrder = "task-date-order", Warning, "dated entries out of order within a section";
    /// ## What it finds
    /// The same task open in one section of a TASK.md board and done (ticked or struck through)
    /// in another. Tasks match by an id (`**#12**`) or by their text without dates, `(added …)`,
    /// `- Started …`, `@agent` and formatting; texts shorter than eight characters are not
    /// compared.
    /// The finding is on the open copy, with the done one as related information. Two copies in
    /// one section, and example sections, are not reported.
    ///
    /// ## Why it matters
    /// The board says both "to do" and "done"; an agent that picks open work redoes work that is
    /// finished.
    ///
    /// ## Example
    /// ```markdown
    /// ### Backlog
    /// - [ ] Add rate limiting to login (added 2026-11-03)
    ///
    /// ### Completed
    /// - [x] Add rate limiting to login (completed 2026-11-12)
    /// ```
    ///
    /// ## How to fix
    /// Remove the stale open copy, or tick it if the task really is done. The **Mark done**
    /// action on the item ticks it and dates it.
    ///
    /// ## Options
    /// `[documents] task-board` decides which files are task boards.
    TaskStateConflict = "task-state-conflict", Warning, "the same task open in one section and done in another";
    /// ## What it finds
    /// A TASK.md heading that repeats an earlier heading at the same level under the same parent.
    /// Headings are compared without emoji, bold and case, with their numbers and dates. The
    /// repeat is reported, with the first as related information.
    /// `### Just Completed (2026-01-12)` twice is a finding; `Phase 1` and `Phase 2`, two
    /// different dates, or `### Notes` under two different parents are not.
    ///
    /// ## Why it matters
    /// Items split between two sections of one name are counted, archived and reported in pieces;
    /// it usually means a person or an agent appended a new section instead of adding to the old
    /// one.
    ///
    /// ## Example
    /// ```markdown
    /// ### Completed
    /// #### Just Completed (2026-01-12)
    /// - [x] Login form
    /// #### Just Completed (2026-01-12)
    /// - [x] Password reset
    /// ```
    ///
    /// ## How to fix
    /// Merge the repeated section into the first one. There is no quick fix besides disabling the
    /// rule for the line.
    ///
    /// ## Options
    /// `[documents] task-board` decides which files are task boards.
    TaskDuplicateSection = "task-duplicate-section", Warning, "the same TASK.md heading repeated under one parent (`### Just Completed (date)` twice)";
    /// ## What it finds
    /// A TASK.md board that names a PRP that does not exist: a `PRPs/….md` path (in text, a link
    /// or a `Source:` note) that resolves nowhere and matches no PRP's file name, or, on a
    /// checklist item, a number written `PRP-12`, `PRP 12`, `PRP #12` or `PRP12` that no PRP in
    /// the workspace carries.
    /// Numbers are checked only when the workspace has numbered PRPs, and not on open items that
    /// plan the PRP (`- [ ] Write PRP-15`, also create, draft, generate). Example sections and
    /// paths inside code fences are ignored; a PRP that moved is `stale-prp-path` instead.
    ///
    /// ## Why it matters
    /// The board is where agents find the spec behind a task; a dead pointer leaves them without
    /// it, or with a guess.
    ///
    /// ## Example
    /// ```markdown
    /// ### Upcoming
    /// - [ ] Invoices, spec in PRPs/active/09_billing.md (added 2026-11-15)
    /// - [ ] Follow-up of PRP-12
    /// ```
    ///
    /// ## How to fix
    /// Correct the path or the number, or write the PRP: the **Generate PRP** action on the item
    /// creates one with the next free number.
    ///
    /// ## Options
    /// `[documents] prp` and `exclude` decide which files are PRPs.
    UnknownPrp = "unknown-prp", Warning, "a TASK.md item naming a PRP (by path or `PRP-12`) that does not exist";
    /// ## What it finds
    /// A task assigned to an agent that nothing defines. Assignments are `**Assigned to**: x` or
    /// `Assigned to: x` lines under a task, and `@x` on a TASK.md item; agents come from the
    /// context files in the agent folders and from the orchestrator configuration's agent list,
    /// and match by id, `x_agent` or display name, in any case.
    /// Checked only in workspaces that define at least one agent. Not reported: `TBD`,
    /// `unassigned`, `none`, `n/a`, `todo`, `anyone`, `nobody`, `-`, `?`, and example sections.
    ///
    /// ## Why it matters
    /// Routing, workload counts and agent alerts all key on the agent's id; a misspelt or retired
    /// agent (`ml_agent` for `mlops`) leaves the task with nobody, silently.
    ///
    /// ## Example
    /// ```markdown
    /// #### Task 2: Model serving
    /// **Assigned to**: ml_agent
    /// ```
    ///
    /// ## How to fix
    /// Assign the task to a defined agent (the message lists them, and completion offers their
    /// ids after `@` and `Assigned to:`), or add a context file for the new agent. The **Reassign
    /// to …** actions on the task change only the name.
    ///
    /// ## Options
    /// `[agents] directories` and `[documents] agents` decide where context files are;
    /// `orchestrator-config` imports the orchestrator's agent list.
    UnknownAgent = "unknown-agent", Warning, "a task assigned to an agent that no context file or configuration defines";
    /// ## What it finds
    /// Open, unassigned work that no agent can take: a PRP task (`### Task N:` heading, `Task N:`
    /// line in a fence) or a TASK.md item that no routing rule, module, keyword or scope points
    /// to an agent when there is no default or generalist agent, or whose every matching agent is
    /// stuck, offline, failed, above the error-rate error threshold, or at its `max_concurrent`.
    /// The message names the agents passed over and why.
    /// Checked only in workspaces that define agents, and never while a default agent or a
    /// generalist (`generalist`, `general`, `planning`, `planner`, `orchestrator`) can take work.
    /// Finished PRPs, assigned, ticked and struck-through tasks, sub-items of board items and
    /// example sections are skipped.
    ///
    /// ## Why it matters
    /// In an orchestrated team, work that routes to nobody waits forever: no agent claims it and
    /// nobody is told.
    ///
    /// ## Example
    /// ```markdown
    /// ### Active
    /// - [ ] Pick a name for the product (added 2026-01-02)
    /// ```
    /// (the workspace defines only `backend` and `frontend` agents, and no default agent)
    ///
    /// ## How to fix
    /// Assign the task by hand, add a routing rule, keyword or module that points to an agent, or
    /// set a default agent. When the matching agents are only unavailable, wait for one or assign
    /// it to another; the **Assign to …** actions appear as soon as routing finds someone.
    ///
    /// ## Options
    /// `[routing] default-agent`, `[routing] rules`, `[routing.keywords]` and
    /// `[routing.modules]`; the orchestrator's `task_routing.rules`, `task_routing.default_agent`
    /// and its agents' `enabled` and `max_concurrent`; the `[status]` thresholds that decide
    /// which agents are stuck or failing.
    TaskUnroutable = "task-unroutable", Warning, "an open, unassigned task no agent can take: nothing routes it and there is no default or generalist agent, or every agent routing points to is stuck, offline, failing or at `max_concurrent` (the message names them)";
    /// ## What it finds
    /// A folder listed in an agent context file's scope that does not exist. Scope entries are
    /// backticked paths with a `/` on the bullets of `## Your Scope` (and its subsections) or of
    /// a section about directories or folders (`## Key Directories`).
    /// A path is looked up from the workspace root, also without its first folder
    /// (`/band-platform/frontend/` written from the repository's parent folder), and as the tail
    /// of any folder in the workspace. Commands and words in backticks (`alembic upgrade head`)
    /// are not paths; files under Key Files are references, checked by `unresolved-reference`.
    ///
    /// ## Why it matters
    /// Routing sends a task to the agent whose scope holds the files it touches; a scope folder
    /// that does not exist routes nothing to that agent, and tells it to own code that is not
    /// there.
    ///
    /// ## Example
    /// ```markdown
    /// # Agent: Database
    /// ### Your Scope
    /// - `database/migrations/` and `database/seeds/`
    /// ```
    /// (there is no `database/seeds/` folder)
    ///
    /// ## How to fix
    /// Create the folder, or correct the path. There is no quick fix besides disabling the rule
    /// for the line.
    ///
    /// ## Options
    /// `[agents] directories` and `[documents] agents` decide which files are agent context
    /// files.
    AgentScopeMissing = "agent-scope-missing", Warning, "an agent's scope folder does not exist";
    /// ## What it finds
    /// An agent context file without one or more of the four sections that define an agent:
    /// Identity (`## Your Identity`, `Role`), Scope (`## Your Scope`, `Responsibilities`),
    /// Capabilities, and Restrictions (`Limitations`, `Constraints`). One finding on the first
    /// line lists what is missing.
    /// A file in the agent folders is an agent file when it names itself one (`qa_agent.md`,
    /// `# Agent: QA`) or has one of these sections; `README.md`, the `status/` folder and notes
    /// files that are neither are not checked.
    ///
    /// ## Why it matters
    /// An agent without stated Scope or Restrictions works outside its lane; routing and the
    /// orchestrator read these sections to decide who does what.
    ///
    /// ## Example
    /// ```markdown
    /// # Agent: Integration
    /// ### Your Identity
    /// Connects third-party services.
    /// ### Your Scope
    /// - `integrations/`
    /// ### Your Capabilities
    /// - ✅ OAuth flows
    /// ```
    ///
    /// ## How to fix
    /// Add the missing headings (the message lists them as `## Your …`) and write what they say.
    /// There is no quick fix besides disabling the rule for the file.
    ///
    /// ## Options
    /// `[agents] directories` sets the agent folders; a `[documents] agents` glob makes every
    /// matching file an agent file, whatever its content.
    AgentMissingSection = "agent-missing-section", Warning, "an agent context file lacks Identity / Scope / Capabilities / Restrictions";
    /// ## What it finds
    /// A document read from disk that is not valid UTF-8: a file saved as Latin-1 or UTF-16 by an
    /// old editor, or a stray byte. The finding points at the first bad byte; the file is still
    /// checked, with each bad byte read as U+FFFD.
    /// Text an editor sends over the protocol is already Unicode, so only files read from disk
    /// (the workspace index, `prp-lsp check`) are judged.
    ///
    /// ## Why it matters
    /// Replacement characters in paths, agent names and headings make references and sections
    /// fail to match for no visible reason, and agents that read the file get mangled text.
    ///
    /// ## Example
    /// ```markdown
    /// # Café menu sync
    /// ```
    /// (saved as Latin-1: the `é` is the single byte 0xE9)
    ///
    /// ## How to fix
    /// Save the file as UTF-8 (`iconv -f latin1 -t utf-8`, or the editor's "save with encoding").
    /// There is no quick fix, and suppression comments do not reach it: the finding is made
    /// before the document's own checks.
    ///
    /// ## Options
    /// None beyond its severity.
    InvalidEncoding = "invalid-encoding", Error, "a file that is not UTF-8 (it is still checked, decoded lossily)";
    /// ## What it finds
    /// A PRP, TASK.md or agent file larger than `[limits] document-size` (5 MB by default). Its
    /// structure is still checked (sections, placeholders, lifecycle, board rules, fences); its
    /// references, agent status and assignment are not, nor a PRP's quality gates. This one info
    /// finding, on the first line, gives the size, the limit and what was skipped.
    ///
    /// ## Why it matters
    /// A 40 MB generated board or a log pasted into a PRP would otherwise stall the editor on
    /// every keystroke. Saying what was skipped keeps a clean result from being read as a full
    /// check.
    ///
    /// ## Example
    /// ```toml
    /// # prp-lsp.toml; a TASK.md of 1.4 MB now gets `large-document`
    /// [limits]
    /// document-size = "1 MB"
    /// ```
    ///
    /// ## How to fix
    /// Split the document: move old board sections to an archive file, take pasted logs out of
    /// PRPs. Or raise `[limits] document-size` if the full check is fast enough on your machines.
    ///
    /// ## Options
    /// `[limits] document-size`: bytes (`5000000`) or a size with a unit (`"5 MB"`, `"512KB"`,
    /// `"1.5MiB"`; KB, MB and GB are decimal, KiB, MiB and GiB binary).
    LargeDocument = "large-document", Info, "a document above `[limits] document-size` (5 MB): its structure is still checked, its references, quality gates, agent status and assignment are not; the finding says so, so a huge file never stalls the editor";
    /// ## What it finds
    /// A path that should hold a document but cannot be read: a Markdown file in a PRP,
    /// task-board or agent location that the process may not open (permissions, a file removed
    /// while it was read), a file name that is not valid UTF-8, or a folder where documents would
    /// be that cannot be listed. Reported on that path and counted in the summary of
    /// `prp-lsp check`; the other files are checked as usual.
    /// Paths that could not be documents, going by their place and name, are not reported.
    ///
    /// ## Why it matters
    /// A check that skips a PRP it cannot read passes while that PRP is broken. As an error, this
    /// fails the CI run instead.
    ///
    /// ## Example
    /// ```sh
    /// $ chmod 000 PRPs/active/07_payments.md
    /// $ prp-lsp check        # error[unreadable-file] on PRPs/active/07_payments.md
    /// ```
    ///
    /// ## How to fix
    /// Fix the permissions, rename the file to a UTF-8 name, or, if it is not a document, exclude
    /// it with `[documents] exclude`.
    ///
    /// ## Options
    /// `[documents]` `prp`, `task-board`, `agents` and `exclude` decide which paths are
    /// documents.
    UnreadableFile = "unreadable-file", Error, "a document that cannot be read (permissions, a file name that is not UTF-8, a folder that cannot be listed): reported and counted, never silently skipped";
    /// ## What it finds
    /// A `prp-lsp.toml` (or `.prp-lsp.toml`) that cannot be used, reported on the file: TOML that
    /// does not parse, an unknown key or a value of the wrong type (at its position), an unknown
    /// rule in `[rules]`, a `[[profile-rules]]` entry naming an unknown profile, an invalid glob
    /// or routing pattern, a `[status]` or `[gates]` value out of range, or a `[status] files`
    /// glob that leaves the workspace. The last good configuration then stays in effect.
    /// An `orchestrator-config` that cannot be read or leaves the workspace (reported on
    /// prp-lsp.toml), or whose JSON is not valid (reported on that file), only drops the import;
    /// a `[generate] folder` outside the workspace only stops generation.
    ///
    /// ## Why it matters
    /// A broken configuration silently changes which rules run and which files count as PRPs.
    /// Reporting it on the file while keeping the old configuration means one typo never floods
    /// the workspace with findings.
    ///
    /// ## Example
    /// ```toml
    /// [rules]
    /// missing-sections = "error"   # no such rule: missing-section
    ///
    /// [status]
    /// error-rate-warning = 5       # a fraction: 0.05
    /// ```
    ///
    /// ## How to fix
    /// Correct the key or value the message names. `schemas/prp-lsp.schema.json` gives completion
    /// and checking in editors that read JSON Schemas for TOML. There is no quick fix.
    ///
    /// ## Options
    /// None beyond its severity.
    InvalidConfig = "invalid-config", Error, "`prp-lsp.toml` (or the orchestrator JSON it imports) cannot be used; the last good configuration stays in effect";
    /// ## What it finds
    /// prp-lsp itself failed (a panic) while parsing or checking one document. The failure is
    /// contained: this finding, on the document's first line, carries the error, and every other
    /// file is still checked. It says nothing about the document's quality.
    ///
    /// ## Why it matters
    /// A crash that took the whole check down would hide every other finding, and a silent skip
    /// would pass a document nobody checked.
    ///
    /// ## Example
    /// ```sh
    /// $ prp-lsp check
    /// PRPs/active/12_sync.md:1:1: error[internal-error]: prp-lsp could not analyse this file (…)
    /// ```
    ///
    /// ## How to fix
    /// Report it with the file attached. Until it is fixed, exclude the file with
    /// `[documents] exclude` if it blocks CI; suppression comments do not reach this finding.
    ///
    /// ## Options
    /// None beyond its severity.
    InternalError = "internal-error", Error, "prp-lsp failed on this file (a bug in prp-lsp; the rest of the workspace is still checked)";
    /// ## What it finds
    /// A fenced `requirement` block (YAML or JSON, the source the Generate PRP action and
    /// `prp-lsp new` read) that does not parse. The message names the field at fault: the syntax,
    /// an unknown field (the fields are `type`, `title`, `description`, `priority`,
    /// `modules_affected`, `acceptance_criteria`, `user_story`), a field given twice, a missing
    /// or empty `description`, a list where text is expected, or a `type` or `priority` outside
    /// its values.
    /// Checked in every document, whatever its size, and in other Markdown files open in the
    /// editor. Blocks with another info string are not requirements.
    ///
    /// ## Why it matters
    /// Generation builds the PRP from this block: a broken one generates nothing, or a PRP from a
    /// guess.
    ///
    /// ## Example
    /// ````markdown
    /// ```requirement
    /// type: improvement
    /// description: Faster search on the reports page
    /// priorty: high
    /// ```
    /// ````
    ///
    /// ## How to fix
    /// Correct the field the message names. `type` is one of feature, bug_fix, performance,
    /// security, refactor, documentation; `priority` one of critical, high, medium, low (or P0 to
    /// P3); `kind`, `name`, `modules`, `criteria` and `story` are accepted for `type`, `title`,
    /// `modules_affected`, `acceptance_criteria` and `user_story`.
    ///
    /// ## Options
    /// None beyond its severity.
    InvalidRequirement = "invalid-requirement", Error, "a ```` ```requirement ```` block that does not parse; the message names the field";
    /// ## What it finds
    /// A ticked item of a PRP's pre-deployment checklist whose quality gate fails on the
    /// workspace's evidence. The checklist is a section named Pre-Deployment (Checklist),
    /// Deployment Checklist or Quality Gates, or the Final Validation Checklist; the item's words
    /// pick its gates ("Unit tests passing with coverage ≥ 90%" is unit tests and coverage; also
    /// code review, integration, E2E, performance, security, documentation, DEV_LOG and "all
    /// tasks completed").
    /// Failing means JUnit failures or errors, coverage below the threshold, a missed benchmark
    /// target, error-level SARIF results, a review that requests changes or is still pending, or
    /// open tasks. Items that name no gate ("No linting errors"), struck-through items and
    /// example sections are ignored; PRPs above `[limits] document-size` are not evaluated.
    ///
    /// ## Why it matters
    /// A ticked gate tells reviewers and the deploy step that the work is proven; behind it,
    /// broken code ships. This is an error, so `prp-lsp check` fails.
    ///
    /// ## Example
    /// ```markdown
    /// ### Pre-Deployment Checklist
    /// - [x] Unit tests passing with coverage ≥ 90%
    /// ```
    /// (`reports/junit.xml` records 2 failures)
    ///
    /// ## How to fix
    /// Fix what fails and re-run the tool that writes the evidence, or untick the item until it
    /// passes. Hover on the item shows the evidence, its counts and age; the code lens and **Show
    /// Gate Report** show every gate.
    ///
    /// ## Options
    /// `[gates] gates` (which gates apply); the evidence globs `unit-tests`, `integration-tests`,
    /// `e2e-tests`, `coverage`, `performance`, `security`, `review`, `documentation`, `dev-log`;
    /// `[gates] coverage-threshold` (else the orchestrator's
    /// `quality_gates.code_coverage_threshold`, else 0.90).
    GateFailing = "gate-failing", Error, "a pre-deployment checklist item is ticked but its quality gate fails";
    /// ## What it finds
    /// An open item of a PRP's pre-deployment checklist whose gates all pass on current evidence
    /// (none of it older than the PRP's last change), while the PRP's tasks gate passes or is
    /// turned off: its tasks and Success Criteria are done. Items whose only gate is
    /// documentation are not reported, since documentation passes on file times that a fresh
    /// checkout resets.
    ///
    /// ## Why it matters
    /// A checklist that lags behind the evidence makes a ready PRP look blocked to reviewers and
    /// to the agent that finishes it.
    ///
    /// ## Example
    /// ```markdown
    /// ### Pre-Deployment Checklist
    /// - [ ] Security scan clean
    /// ```
    /// (a current `.sarif` file with no error-level results, and every task of the PRP ticked)
    ///
    /// ## How to fix
    /// Tick the item: the quick fix **Tick this item** does it and is preferred.
    ///
    /// ## Options
    /// The `[gates]` keys of `gate-failing`: `gates`, the evidence globs and
    /// `coverage-threshold`.
    GateUnticked = "gate-unticked", Hint, "a pre-deployment checklist item is open but its gate passes (quick fix: tick it)";
    /// ## What it finds
    /// On the coverage item of an active PRP's pre-deployment checklist (ticked or not): a
    /// coverage report of the workspace below the orchestrator's coverage-drop threshold (85%
    /// unless configured). It is the orchestrator's `test_coverage_drop` alert, distinct from
    /// the coverage gate (90%): the gate says this PRP may not ship yet, the alert says the
    /// project's tests have lost ground.
    ///
    /// ## Why it matters
    /// A drop below the alert threshold means tests were deleted or large untested code
    /// landed; the orchestrator stops and asks for attention rather than waiting for the gate.
    ///
    /// ## Example
    /// ```markdown
    /// ### Pre-Deployment Checklist
    /// - [ ] Code coverage ≥ 90%
    /// ```
    /// with `coverage/lcov.info` at 78% line coverage.
    ///
    /// ## How to fix
    /// Find what lowered the coverage (the report named in the message) and add the missing
    /// tests, or restore the ones removed.
    ///
    /// ## Options
    /// `[status] coverage-drop` (a fraction; else the orchestrator's
    /// `monitoring.alert_thresholds.test_coverage_drop`, else 0.85); the `[gates] coverage`
    /// globs say which files are coverage reports.
    CoverageDrop = "coverage-drop", Error, "a coverage report is below the coverage-drop alert threshold (85%), on each active PRP's coverage item";
    /// ## What it finds
    /// A PRP that failed or was rolled back at least as many times as the orchestrator's
    /// `deployment_failure` threshold (2 unless configured), as the workspace's deployment
    /// record says (JSON Lines the pipeline appends to; see docs/deployments.md). Counted:
    /// the failures of the last 30 days, and those since the PRP's last successful
    /// deployment however old (two rollbacks with nothing deployed since still mean it keeps
    /// failing). A warning, an error at twice the threshold. On the PRP's title.
    ///
    /// ## Why it matters
    /// Repeated failed deployments mean the change does not survive production as written;
    /// deploying it again without finding the cause repeats the outage.
    ///
    /// ## Example
    /// `deployments.jsonl`:
    /// ```json
    /// {"prp": "PRP-007", "at": "2026-11-20T14:05:00Z", "result": "failed", "environment": "production"}
    /// {"prp": "PRP-007", "at": "2026-11-21T09:30:00Z", "result": "rolled_back", "environment": "production"}
    /// ```
    ///
    /// ## How to fix
    /// Find why the deployments failed (the message names the last one), fix it in the PRP's
    /// tasks, and deploy again. A success settles the failures before it once they are older
    /// than 30 days; those of the last 30 days count until they age out.
    ///
    /// ## Options
    /// `[status] deployment-failures` (else the orchestrator's
    /// `monitoring.alert_thresholds.deployment_failure`, else 2); `[gates] deployments` (the
    /// records, default `**/deployments.jsonl`).
    DeploymentFailures = "deployment-failures", Warning, "a PRP failed or was rolled back at least twice (the threshold) in 30 days or since its last successful deployment, per the deployment record";
    /// ## What it finds
    /// A ticked item of a PRP's pre-deployment checklist whose gate has no current evidence: no
    /// file matches the gate's globs, the files cannot be read (each is also `invalid-artifact`),
    /// or the passing result is older than the PRP's last change. Only run results go stale
    /// (tests, coverage, benchmarks, security scans); a review record, documentation and the dev
    /// log do not.
    /// Reported only when none of the item's gates fails (that is `gate-failing`). Open items
    /// claim nothing and are not reported.
    ///
    /// ## Why it matters
    /// A tick without evidence is a claim nobody can check, and a test run older than the last
    /// change to the PRP does not prove the current state.
    ///
    /// ## Example
    /// ```markdown
    /// ### Pre-Deployment Checklist
    /// - [x] E2E tests passing
    /// - [x] Performance benchmarks met
    /// ```
    /// (no `e2e*.xml` and no benchmark results in the workspace)
    ///
    /// ## How to fix
    /// Run the tool that writes the evidence, or point the `[gates]` globs at where it writes;
    /// otherwise untick the item. Hover on the item shows where prp-lsp looked.
    ///
    /// ## Options
    /// `[gates] gates` and the evidence globs (`unit-tests`, `e2e-tests`, `performance`, …).
    GateNoEvidence = "gate-no-evidence", Info, "a ticked checklist item whose gate has no current evidence (missing, unreadable or stale)";
    /// ## What it finds
    /// A file that an enabled quality gate reads but cannot parse (JUnit XML, LCOV, Cobertura
    /// XML, a coverage.py or istanbul JSON summary, benchmark JSON, SARIF), or an agent status
    /// file that is not valid JSON or has a field of the wrong shape. Reported on the file
    /// itself, naming the problem: truncated XML, an LCOV record without `end_of_record`, an
    /// unsupported SARIF version, a time without an offset.
    /// The gate then has no evidence from that file, and the agent's status is unknown until it
    /// is fixed. Review records, documentation and DEV_LOG.md are not parsed and never reported.
    ///
    /// ## Why it matters
    /// A truncated test report is not "no failures". The finding explains why a gate shows no
    /// evidence or an agent shows no state.
    ///
    /// ## Example
    /// ```json
    /// {"id": "backend", "state": "sleeping", "last_activity": "2026-11-20T11:58:00"}
    /// ```
    /// (a status file: `state` must be idle, busy, stuck, offline or failed, and times need an
    /// offset)
    ///
    /// ## How to fix
    /// Fix or regenerate the file. If it is not evidence at all, narrow the gate's globs so they
    /// no longer match it.
    ///
    /// ## Options
    /// `[gates] gates` and the evidence globs (`unit-tests`, `coverage`, `performance`,
    /// `security`, …); `[status] files` (default `agent_contexts/status/*.json`).
    InvalidArtifact = "invalid-artifact", Error, "a JUnit, coverage, benchmark, SARIF or agent status file cannot be read; the message names the problem";
    /// ## What it finds
    /// prp-lsp.toml and the imported orchestrator configuration both set a threshold, to
    /// different values: `[status] error-rate-warning`, `error-rate-error`, `stuck-after`,
    /// `idle-after`, `stale-after` or `response-time` against the orchestrator's monitoring
    /// thresholds, or `[gates] coverage-threshold` against
    /// `quality_gates.code_coverage_threshold`. Values are compared after conversion (5 and 0.05
    /// are both 5%).
    /// Reported on prp-lsp.toml; its value is the one used. A threshold set in only one of the
    /// two is not a conflict.
    ///
    /// ## Why it matters
    /// The editor and the orchestrator then judge agents and gates by different numbers: a
    /// coverage gate of 80 in one place and 90 in the other is a real, common defect.
    ///
    /// ## Example
    /// ```toml
    /// # prp-lsp.toml; orchestrator.json sets quality_gates.code_coverage_threshold = 80
    /// orchestrator-config = "orchestrator.json"
    ///
    /// [gates]
    /// coverage-threshold = 0.90
    /// ```
    ///
    /// ## How to fix
    /// Make both say the same, or remove the key from prp-lsp.toml so that the orchestrator's
    /// value applies.
    ///
    /// ## Options
    /// None beyond its severity.
    ConfigConflict = "config-conflict", Warning, "prp-lsp.toml and the orchestrator configuration set a threshold to different values";
    /// ## What it finds
    /// An agent whose last status report says `stuck`, or says `busy` on a task started more than
    /// the stuck threshold ago (4 h, or the agent's own `timeout` in the orchestrator
    /// configuration when prp-lsp.toml sets no `stuck-after`). Reported on each assignment
    /// (`**Assigned to**: frontend`, `Assigned to:`) and `@frontend` mention in a PRP or TASK.md.
    /// Not in finished PRPs, on ticked items, in code fences or example sections, or above the
    /// size limit; with no status source (status files, or an allowed `[status] url`) there are
    /// no agent alerts at all.
    ///
    /// ## Why it matters
    /// Work assigned to a stuck agent does not progress, and routing already passes the agent
    /// over; the finding shows where that work sits.
    ///
    /// ## Example
    /// ```json
    /// {"id": "frontend", "state": "busy", "current_task": "PRP-03 task 2",
    ///  "task_started_at": "2026-11-20T06:48:00Z", "reported_at": "2026-11-20T11:59:30Z"}
    /// ```
    /// (`agent_contexts/status/frontend.json`, read at 12:00: busy for 5 h 12 min; the board has
    /// `- [ ] Dark theme @frontend`)
    ///
    /// ## How to fix
    /// Check on the agent, or move the work. On an assignment, the quick fix **Reassign to …**
    /// (preferred) picks the best agent that can take the task and changes only the name.
    ///
    /// ## Options
    /// `[status] stuck-after` (seconds, default 14400); `[status] files` and `url`; the
    /// orchestrator's `stuck_after` (or `stuck_threshold`, `stuck_timeout`, `stuck_seconds`) and
    /// each agent's `timeout`.
    AgentStuck = "agent-stuck", Warning, "an assigned agent is stuck, or busy on one task longer than the stuck threshold (4 h)";
    /// ## What it finds
    /// An assigned or mentioned agent whose error rate is at or above the warning threshold (5%):
    /// the report's `error_rate`, else `tasks_failed / (tasks_completed + tasks_failed)`. Above
    /// the error threshold (10%) the finding is an error that asks to investigate, and routing
    /// passes the agent over; a level set for the rule in `[rules]` replaces both.
    /// Shown where the agent is assigned or mentioned, with the exclusions of `agent-stuck`.
    ///
    /// ## Why it matters
    /// An agent that fails one task in ten produces rework faster than features; orchestrators
    /// alert at 5% and investigate at 10%.
    ///
    /// ## Example
    /// ```json
    /// {"id": "backend", "state": "idle", "tasks_completed": 40, "tasks_failed": 5,
    ///  "reported_at": "2026-11-20T11:59:30Z"}
    /// ```
    /// (11.1%, above the 10% error threshold)
    ///
    /// ## How to fix
    /// Find out why the agent fails (its logs, the failed tasks) before giving it more work. On
    /// an assignment, the quick fix **Reassign to …** (preferred) moves the task.
    ///
    /// ## Options
    /// `[status] error-rate-warning` (default 0.05) and `error-rate-error` (default 0.10); the
    /// orchestrator's `error_rate_warning` (or `error_rate_alert`, `error_rate_threshold`,
    /// `error_rate`) and `error_rate_error` (or `error_rate_critical`, `error_rate_investigate`,
    /// `agent_error_rate`), as fractions or percentages.
    AgentErrorRate = "agent-error-rate", Warning, "an assigned agent's error rate is at or above 5%; an error above 10% (a level set in `[rules]` replaces both)";
    /// ## What it finds
    /// An agent whose report says `idle` with a last activity more than the idle threshold ago (4
    /// h), while open tasks are assigned to it: unticked tasks and board items in documents that
    /// are not finished, anywhere in the workspace. An idle agent with no open work is fine.
    /// Shown where the agent is assigned or mentioned, with the exclusions of `agent-stuck`.
    ///
    /// ## Why it matters
    /// Assigned work next to an idle agent means the orchestrator lost track of it: the task
    /// waits for someone who is not working on it.
    ///
    /// ## Example
    /// ```json
    /// {"id": "database", "state": "idle", "last_activity": "2026-11-20T05:00:00Z",
    ///  "reported_at": "2026-11-20T11:59:00Z"}
    /// ```
    /// (read at 12:00: idle for 7 h, with `**Assigned to**: database` on an open task)
    ///
    /// ## How to fix
    /// Get the agent to pick the task up, or assign the task to another agent. There is no quick
    /// fix besides disabling the rule for the line.
    ///
    /// ## Options
    /// `[status] idle-after` (seconds, default 14400); the orchestrator's `idle_after` (or
    /// `idle_threshold`, `idle_timeout`, `idle_seconds`, `agent_idle_time`).
    AgentIdle = "agent-idle", Warning, "an agent idle for more than 4 h while open tasks are assigned to it";
    /// ## What it finds
    /// An agent whose last status report says `offline` or `failed`, shown wherever it is
    /// assigned or mentioned, with the exclusions of `agent-stuck`, even when it has no open
    /// work. Routing passes the agent over.
    ///
    /// ## Why it matters
    /// Work assigned to an offline agent will not progress until the agent is back or the work
    /// moves; without the finding it only looks slow.
    ///
    /// ## Example
    /// ```json
    /// {"id": "integration", "state": "failed", "reported_at": "2026-11-20T09:12:00Z"}
    /// ```
    ///
    /// ## How to fix
    /// Bring the agent back, or move its work. On an assignment, the quick fix **Reassign to …**
    /// (preferred) picks the best agent that can take the task.
    ///
    /// ## Options
    /// `[status] files` and `[status] url`, the sources of the reports; there is no threshold.
    AgentOffline = "agent-offline", Warning, "an assigned agent is offline or failed";
    /// ## What it finds
    /// An agent with more open tasks across the workspace than its `max_concurrent` in the
    /// orchestrator configuration. Open tasks are unticked tasks and board items assigned to it
    /// in documents that are not finished.
    /// Shown where the agent is assigned or mentioned, with the exclusions of `agent-stuck`. It
    /// needs no report from the agent itself, but like every agent alert it appears only once a
    /// status source has been read.
    ///
    /// ## Why it matters
    /// Tasks beyond `max_concurrent` wait in the orchestrator's queue while the board suggests
    /// they are under way.
    ///
    /// ## Example
    /// ```json
    /// {"agents": {"backend": {"enabled": true, "max_concurrent": 2}}}
    /// ```
    /// (the orchestrator configuration, with three open `@backend` items on TASK.md)
    ///
    /// ## How to fix
    /// Move some of the agent's open tasks to others (the Assign actions skip agents at
    /// capacity), or raise `max_concurrent` in the orchestrator configuration.
    ///
    /// ## Options
    /// `orchestrator-config`, the file whose agents' `max_concurrent` applies.
    AgentOverloaded = "agent-overloaded", Warning, "an agent has more open tasks than its `max_concurrent`";
    /// ## What it finds
    /// An agent whose last status report is older than the stale threshold (1 h); the report's
    /// time is its `reported_at`, else its `last_activity`. Not for offline or failed agents,
    /// which stop reporting anyway, nor for reports without either time.
    /// Shown, as info, where the agent is assigned or mentioned, with the exclusions of
    /// `agent-stuck`.
    ///
    /// ## Why it matters
    /// The other alerts, the hover and routing trust the last report; an old one may show a stuck
    /// agent as busy, or a dead one as idle.
    ///
    /// ## Example
    /// ```json
    /// {"id": "qa", "state": "busy", "reported_at": "2026-11-20T07:30:00Z"}
    /// ```
    /// (read at 11:00 the same day: 3 h 30 min old)
    ///
    /// ## How to fix
    /// Check that the orchestrator still writes the status file or serves the endpoint, and that
    /// each report carries `reported_at`.
    ///
    /// ## Options
    /// `[status] stale-after` (seconds, default 3600); the orchestrator's `stale_after` or
    /// `heartbeat_timeout`.
    AgentStatusStale = "agent-status-stale", Info, "an agent's last status report is older than the stale threshold (1 h)";
    /// ## What it finds
    /// An agent whose average response time (`avg_response_ms` in its status report) is above the
    /// response-time threshold (5 s). Shown where the agent is assigned or mentioned, with the
    /// exclusions of `agent-stuck`.
    ///
    /// ## Why it matters
    /// Its tasks will take longer than planned; for time-boxed work it may be the wrong agent.
    ///
    /// ## Example
    /// ```json
    /// {"id": "docs", "state": "busy", "avg_response_ms": 8200,
    ///  "reported_at": "2026-11-20T11:59:30Z"}
    /// ```
    ///
    /// ## How to fix
    /// Look at the agent's load or model, or give time-critical tasks to another agent. There is
    /// no quick fix besides disabling the rule for the line.
    ///
    /// ## Options
    /// `[status] response-time` (milliseconds, default 5000); the orchestrator's
    /// `response_time_ms` (or `response_time`, `response_time_threshold`,
    /// `max_response_time_ms`).
    AgentSlow = "agent-slow", Warning, "an assigned agent's average response time is above the response-time threshold (5 s)";
    /// ## What it finds
    /// A key in a threshold object of the orchestrator configuration (`monitoring.thresholds`,
    /// `monitoring.alert_thresholds` or a top-level `thresholds`) that prp-lsp does not read,
    /// such as `cpu_usage`. One finding per key, on the orchestrator file.
    /// Keys directly under `monitoring` (intervals and other settings) are not checked, and every
    /// spelling of a threshold prp-lsp reads is known.
    ///
    /// ## Why it matters
    /// A threshold the team set in the orchestrator looks enforced in the editor and in CI when
    /// it is not.
    ///
    /// ## Example
    /// ```json
    /// {"monitoring": {"alert_thresholds": {"agent_error_rate": 0.1, "cpu_usage": 0.9}}}
    /// ```
    ///
    /// ## How to fix
    /// Nothing is wrong with the orchestrator; know that prp-lsp ignores the key. Remove it if
    /// nothing reads it, or turn the rule off in `[rules]` for keys kept on purpose.
    ///
    /// ## Options
    /// `orchestrator-config`, the file that is read.
    UnknownConfigKey = "unknown-config-key", Info, "a threshold key in the orchestrator configuration (`alert_thresholds`, `thresholds`) that prp-lsp does not read";
}

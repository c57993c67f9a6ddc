; extends
;
; prp-lsp highlights for the Markdown *block* grammar (tree-sitter-md `LANGUAGE`).
; Meant to be added after the editor's own markdown highlights (later patterns win in
; Neovim and Helix). Regexes use only what Vim's regex (Neovim `#match?`) and Rust's regex
; (Helix, the `tree-sitter` crate) read alike: no groups, alternation, `+`, `?` or `{n}`.
; Capture names are standard ones with a `.prp.*` suffix, so they fall back to the standard
; colour (`@constant.prp.priority` -> `@constant`) and themes can target them.

; ---- Task markers in list items: `- [ ]` / `- [x]` ---------------------------------------
(task_list_marker_unchecked) @markup.list.unchecked

(task_list_marker_checked) @markup.list.checked

; ---- Headings that carry a value: `## Priority: CRITICAL`, `## Status: Complete` -----------
(atx_heading
  heading_content: (inline) @constant.prp.priority
  (#match? @constant.prp.priority "^[Pp]riority: *[A-Za-z]"))

(atx_heading
  heading_content: (inline) @constant.prp.status
  (#match? @constant.prp.status "^[Ss]tatus: *[A-Za-z]"))

; ---- Dated headings of TASK.md: `### 2026-11-19: title`, `### Just Completed (2026-11-20)` --
; The whole heading is captured (the date has no node of its own); the sub-capture keeps the
; heading colour unless a theme colours `@markup.heading.prp.date`.
(atx_heading
  heading_content: (inline) @markup.heading.prp.date
  (#match? @markup.heading.prp.date "^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"))

(atx_heading
  heading_content: (inline) @markup.heading.prp.date
  (#match? @markup.heading.prp.date "[(][0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][)] *$"))

; ---- One-line fields: a paragraph (often a TASK.md sub-item) that is exactly one field ----
; `Assigned to: integration`, `**Assigned to**: backend_agent`
((paragraph
  (inline) @label.prp.assignee)
  (#match? @label.prp.assignee "^[*]*Assigned [Tt]o[*]*:[*]* *[*`]*[@]*[A-Za-z_][A-Za-z0-9_.-]*[*`]*$"))

; `Status: Complete`, `**Status**: In Progress`
((paragraph
  (inline) @constant.prp.status)
  (#match? @constant.prp.status "^[*]*Status[*]*:[*]* *[*]*[A-Za-z][A-Za-z ]*[*]*$"))

; `Priority: High`, `**Priority**: CRITICAL`
((paragraph
  (inline) @constant.prp.priority)
  (#match? @constant.prp.priority "^[*]*Priority[*]*:[*]* *[*]*[A-Za-z0-9][A-Za-z0-9 ]*[*]*$"))

; `Source: PRPs/active/01_user_auth.md`
((paragraph
  (inline) @string.special.path.prp)
  (#match? @string.special.path.prp "^Source: *[^ ]*PRPs/[^ ]*[.]md$"))

; ---- Task blueprints in fences: `CREATE path:`, `MODIFY path:`, `UPDATE path:` ------------
; A fence's content is one node, so the whole content of an untyped (or `text`) fence that
; holds such a verb is captured; fences in a real language (```bash) are left alone. An
; untyped fence is one whose content follows the opening delimiter's line directly (anchors):
; negated fields (`!info_string`) are not portable, Neovim's parser has no such field.
; One pattern per verb: alternation is outside the regex subset both editors read alike.
((fenced_code_block
  (fenced_code_block_delimiter)
  .
  (block_continuation)
  .
  (code_fence_content) @markup.raw.block.prp.tasks)
  (#match? @markup.raw.block.prp.tasks "CREATE [^ ]"))

((fenced_code_block
  (fenced_code_block_delimiter)
  .
  (block_continuation)
  .
  (code_fence_content) @markup.raw.block.prp.tasks)
  (#match? @markup.raw.block.prp.tasks "MODIFY [^ ]"))

((fenced_code_block
  (fenced_code_block_delimiter)
  .
  (block_continuation)
  .
  (code_fence_content) @markup.raw.block.prp.tasks)
  (#match? @markup.raw.block.prp.tasks "UPDATE [^ ]"))

((fenced_code_block
  (info_string
    (language) @_lang)
  (code_fence_content) @markup.raw.block.prp.tasks)
  (#any-of? @_lang "text" "txt" "plaintext")
  (#match? @markup.raw.block.prp.tasks "CREATE [^ ]"))

((fenced_code_block
  (info_string
    (language) @_lang)
  (code_fence_content) @markup.raw.block.prp.tasks)
  (#any-of? @_lang "text" "txt" "plaintext")
  (#match? @markup.raw.block.prp.tasks "MODIFY [^ ]"))

((fenced_code_block
  (info_string
    (language) @_lang)
  (code_fence_content) @markup.raw.block.prp.tasks)
  (#any-of? @_lang "text" "txt" "plaintext")
  (#match? @markup.raw.block.prp.tasks "UPDATE [^ ]"))

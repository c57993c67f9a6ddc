; extends
;
; prp-lsp highlights for the Markdown *inline* grammar (tree-sitter-md `INLINE_LANGUAGE`),
; which editors run on each `inline` node of the block tree (a heading's text, a paragraph,
; a list item's text). Same conventions as ../markdown/highlights.scm.

; ---- Feature-plan task markers at the start of a heading or item ------------------------
; `### [x] Task 1: …`, `### [ ] …`, `### [wip] …`, `### [f] …` (failed). The marker must open
; the text: `[x]` later in a sentence is left alone.
((inline
  .
  (shortcut_link) @markup.list.checked) @_text
  (#any-of? @markup.list.checked "[x]" "[X]")
  (#match? @_text "^\\[[xX]\\]"))

((inline
  .
  (shortcut_link) @markup.list.unchecked) @_text
  (#eq? @markup.list.unchecked "[ ]")
  (#match? @_text "^\\[ \\]"))

((inline
  .
  (shortcut_link) @markup.list.unchecked.prp.wip) @_text
  (#any-of? @markup.list.unchecked.prp.wip "[wip]" "[WIP]")
  (#match? @_text "^\\[[wW][iI][pP]\\]"))

((inline
  .
  (shortcut_link) @markup.list.unchecked.prp.failed) @_text
  (#any-of? @markup.list.unchecked.prp.failed "[f]" "[F]")
  (#match? @_text "^\\[[fF]\\]"))

; ---- Field keys of the header block: `**Status**: …`, `**Priority**: …`, `**Assigned to**: …`
((strong_emphasis) @label.prp.key
  (#any-of? @label.prp.key
    "**Status**" "**Status:**" "**Priority**" "**Priority:**" "**Created**" "**Created:**"
    "**Assigned to**" "**Assigned to:**" "**Assigned To**" "**Assigned To:**"
    "**Complexity**" "**Complexity:**"))

; ---- PRP references: links and code spans naming a PRP file ------------------------------
; `[the auth PRP](PRPs/archive/01_user_auth.md)`, `[x](../PRPs/active/03_x.md#tasks)`
((link_destination) @string.special.path.prp
  (#match? @string.special.path.prp "PRPs/[^ ]*[.]md"))

; `` `PRPs/active/03_sync_calendar.md` ``
((code_span) @string.special.path.prp
  (#match? @string.special.path.prp "^`[^` ]*PRPs/[^` ]*[.]md`$"))

; ---- Agents and dates written as code spans: `` `@backend` ``, `` `2026-11-02` `` -------------
((code_span) @label.prp.agent
  (#match? @label.prp.agent "^`[@][A-Za-z_][A-Za-z0-9_.-]*`$"))

((code_span) @constant.numeric.prp.date
  (#match? @constant.numeric.prp.date "^`[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]`$"))

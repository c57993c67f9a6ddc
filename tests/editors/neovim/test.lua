-- The checks; loaded by init.lua. Every wait is bounded (vim.wait with a timeout).
local T = { passed = 0, failed = 0 }

local WAIT = 8000 -- ms for any one thing the server does (it answers in well under a second)

local function out(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

--- Runs one check: `fn` raises (error/assert) on failure.
local function check(name, fn)
  local t0 = vim.uv.hrtime()
  local ok, err = xpcall(fn, debug.traceback)
  local ms = math.floor((vim.uv.hrtime() - t0) / 1e6)
  if ok then
    T.passed = T.passed + 1
    out(string.format("ok   %s (%d ms)", name, ms))
  else
    T.failed = T.failed + 1
    out(string.format("FAIL %s (%d ms)\n     %s", name, ms, tostring(err):gsub("\n", "\n     ")))
  end
  return ok
end

--- Waits until `cond()` returns a truthy value; returns it, or raises naming `what`.
local function wait_for(what, cond, timeout)
  local value
  local ok = vim.wait(timeout or WAIT, function()
    local good, v = pcall(cond)
    value = good and v or nil
    return value ~= nil and value ~= false
  end, 20)
  if not ok then
    error("timed out after " .. (timeout or WAIT) .. " ms waiting for " .. what, 2)
  end
  return value
end

local function path(rel)
  return T.WS .. "/" .. rel
end

local function buf_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

local function open(rel)
  vim.cmd.edit(vim.fn.fnameescape(path(rel)))
  return vim.api.nvim_get_current_buf()
end

local function prp_client(bufnr)
  return vim.lsp.get_clients({ name = "prp_lsp", bufnr = bufnr })[1]
end

local function attached(bufnr)
  return wait_for("prp_lsp to attach to " .. vim.api.nvim_buf_get_name(bufnr), function()
    local c = prp_client(bufnr)
    return c and c.initialized and c
  end)
end

local function diagnostics(bufnr, code)
  return vim.tbl_filter(function(d)
    return d.code == code
  end, vim.diagnostic.get(bufnr))
end

--- A synchronous request to the prp_lsp client of a buffer; returns the result.
local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, WAIT)
  assert(responses, method .. ": no response (" .. tostring(err) .. ")")
  local c = prp_client(bufnr)
  local r = responses[c.id]
  assert(r, method .. ": no response from prp_lsp")
  assert(not r.err, method .. ": " .. vim.inspect(r.err))
  return r.result
end

local function hover_text(result)
  local contents = result and result.contents
  if type(contents) == "string" then
    return contents
  end
  if type(contents) == "table" and contents.value then
    return contents.value
  end
  local parts = {}
  for _, c in ipairs(contents or {}) do
    parts[#parts + 1] = type(c) == "string" and c or c.value
  end
  return table.concat(parts, "\n")
end

--- Collects vim.notify messages while `fn` runs (and `settle` ms after).
local function capture_notify(fn)
  local seen = {}
  local original = vim.notify
  vim.notify = function(msg, level, opts)
    seen[#seen + 1] = { msg = msg, level = level }
  end
  local ok, err = pcall(fn, seen)
  vim.notify = original
  if not ok then
    error(err, 0)
  end
  return seen
end

local PRP07 = "PRPs/active/PRP_07_password_reset.md"
local PRP002 = "PRPs/active/PRP-002-dashboard-widgets.md"
local PRP006 = "PRPs/archive/PRP-006-health-check.md"

function T.run()
  local prp = require("prp_lsp")
  local nv = vim.version()
  out(string.format("Neovim %d.%d.%d, server %s, workspace %s", nv.major, nv.minor, nv.patch, T.BIN, T.WS))

  check("missing server: setup() warns once with install instructions, no error, no client", function()
    local seen = capture_notify(function(seen)
      local okay = prp.setup({ cmd = { T.WS .. "/no-such-dir/prp-lsp" } })
      assert(okay == false, "setup() should report the missing binary")
      wait_for("the warning", function()
        return #seen > 0
      end, 2000)
      vim.wait(100) -- any second message would arrive now
    end)
    assert(#seen == 1, "expected exactly one message, got " .. vim.inspect(seen))
    assert(seen[1].level == vim.log.levels.WARN, "level " .. tostring(seen[1].level))
    assert(seen[1].msg:find("was not found", 1, true), seen[1].msg)
    assert(seen[1].msg:find("cargo build --release -p prp-lsp", 1, true), seen[1].msg)
    -- Markdown still opens without errors and no client starts.
    open("TASK.md")
    vim.wait(300)
    assert(#vim.lsp.get_clients({ name = "prp_lsp" }) == 0, "a client started without a binary")
  end)

  check("setup() with the server: user commands, grammars on the runtimepath", function()
    assert(
      prp.setup({
        cmd = { T.BIN },
        settings = { rules = { ["missing-section"] = "error" } },
        highlight = true,
        use_lsp_start = os.getenv("PRP_NVIM_USE_START") == "1",
      }),
      "setup() returned false"
    )
    local cmds = vim.api.nvim_get_commands({})
    for _, name in ipairs({ "PrpGenerate", "PrpAssignAll", "PrpGateReport" }) do
      assert(cmds[name], ":" .. name .. " is not defined")
    end
    -- grammars/ goes on the runtimepath only when its queries compile with this Neovim's
    -- Markdown parsers (the PRP highlights check below says which case this is).
    local want = vim.fs.normalize(T.REPO .. "/grammars")
    local rtp = vim.tbl_map(vim.fs.normalize, vim.api.nvim_list_runtime_paths())
    local valid, err = prp.check_queries(want)
    assert(vim.tbl_contains(rtp, want) == valid, "grammars/ on the runtimepath: " .. tostring(not valid) .. ", queries valid: " .. tostring(valid))
    assert(valid or prp.status.grammars_error == err, "status.grammars_error not set")
  end)

  check("a Markdown buffer open before setup() gets the client (lazy loading on ft)", function()
    local b = vim.fn.bufnr(path("TASK.md"))
    assert(b > 0 and vim.bo[b].filetype == "markdown", "TASK.md is not open as markdown")
    attached(b)
    wait_for("a diagnostic on TASK.md", function()
      return #vim.diagnostic.get(b) > 0
    end)
  end)

  local b07
  check("client attaches to " .. PRP07 .. " with the workspace as root (" .. (prp.status.mode or "?") .. ")", function()
    b07 = open(PRP07)
    local c = attached(b07)
    local root = vim.uv.fs_realpath(c.root_dir or c.config.root_dir)
    assert(root == T.WS, "root " .. tostring(root) .. ", expected " .. T.WS)
    assert(prp.find_root(path("PRPs/archive/PRP-006-health-check.md")) == T.WS, "find_root from archive/")
  end)

  check("missing-section diagnostic at line 1, severity from the editor settings (error)", function()
    local d = wait_for("a missing-section diagnostic", function()
      return diagnostics(b07, "missing-section")[1]
    end)
    assert(d.lnum == 0, "line " .. d.lnum)
    assert(d.message:find("Why", 1, true), d.message)
    assert(d.severity == vim.diagnostic.severity.ERROR, "severity " .. tostring(d.severity) .. " (settings not applied?)")
  end)

  check("code action \"Add section `Why`\" applied through vim.lsp.buf.code_action", function()
    assert(not buf_text(b07):find("\n## Why", 1, true), "the buffer already has a Why heading")
    vim.api.nvim_set_current_buf(b07)
    vim.api.nvim_win_set_cursor(0, { 1, 0 })
    local titles = {}
    vim.lsp.buf.code_action({
      apply = true,
      filter = function(action)
        titles[#titles + 1] = action.title
        return action.title == "Add section `Why`"
      end,
    })
    wait_for("a `## Why` heading in the buffer (actions offered: " .. vim.inspect(titles) .. ")", function()
      return buf_text(b07):find("\n## Why\n", 1, true)
    end)
    assert(vim.bo[b07].modified, "the edit should leave the buffer modified, unsaved")
  end)

  check("the missing-section diagnostic goes away after the edit", function()
    wait_for("the missing-section diagnostic to clear", function()
      return #diagnostics(b07, "missing-section") == 0
    end)
    -- the other finding of this file stays
    assert(#diagnostics(b07, "unresolved-reference") == 1, vim.inspect(vim.diagnostic.get(b07)))
  end)

  check("hover on `**Assigned to**: frontend` (" .. PRP002 .. ":51) describes the agent", function()
    local b = open(PRP002)
    local c = attached(b)
    local line = vim.api.nvim_buf_get_lines(b, 50, 51, false)[1]
    assert(line == "**Assigned to**: frontend", "line 51 is " .. vim.inspect(line))
    local col = line:find("frontend", 1, true) + 1
    local result = request(b, "textDocument/hover", {
      textDocument = { uri = vim.uri_from_bufnr(b) },
      position = { line = 50, character = col },
    })
    local text = hover_text(result)
    assert(text:find("frontend", 1, true), "hover does not name the agent: " .. text)
    assert(text:lower():find("agent", 1, true), "hover does not describe an agent: " .. text)
    assert(text:find("stuck", 1, true), "hover does not give the agent's state (stuck): " .. text)
    assert(c.offset_encoding, "no offset encoding")
  end)

  check("tree-sitter highlighting of Markdown works; PRP queries capture the assignment when they compile", function()
    local b = vim.fn.bufnr(path(PRP002))
    assert(b > 0, "PRP-002 is not loaded")
    assert(vim.treesitter.highlighter.active[b], "highlight = true did not start tree-sitter highlighting")
    local block = vim.treesitter.query.get("markdown", "highlights")
    local inline = vim.treesitter.query.get("markdown_inline", "highlights")
    assert(block and inline, "Neovim's Markdown highlight queries do not load")
    local markdown_query = block
    if not prp.status.grammars then
      -- Known: grammars/queries use `!info_string` (a field in tree-sitter-md 0.5.4, not in
      -- the markdown parser Neovim bundles) and `@` in #match? regexes, an operator in the
      -- very magic regexes Neovim compiles them as. The plugin keeps them off the runtimepath
      -- so Markdown highlighting still works, and :checkhealth warns.
      out("     NOTE: grammars/ queries rejected for this Neovim, PRP highlights off: "
        .. tostring(prp.status.grammars_error):gsub("\n", " "))
      assert(not vim.tbl_contains(block.captures, "label.prp.assignee"), "PRP captures loaded anyway")
      -- The rest of the queries work here: a copy without those two constructs passes the
      -- plugin's guard and captures the assignment line.
      local copy = T.WS .. "/.patched-grammars"
      for _, lang in ipairs({ "markdown", "markdown_inline" }) do
        local lines = vim.fn.readfile(T.REPO .. "/grammars/queries/" .. lang .. "/highlights.scm")
        lines = vim.tbl_filter(function(l)
          return not l:find("!info_string", 1, true)
        end, lines)
        lines = vim.tbl_map(function(l)
          return (l:gsub("@%*%[", "[@]*["):gsub("`@%[", "`[@]["))
        end, lines)
        vim.fn.mkdir(copy .. "/queries/" .. lang, "p")
        vim.fn.writefile(lines, copy .. "/queries/" .. lang .. "/highlights.scm")
      end
      local valid, err = prp.check_queries(copy)
      assert(valid, "the patched copy is still rejected: " .. tostring(err))
      local text = table.concat(vim.fn.readfile(copy .. "/queries/markdown/highlights.scm"), "\n")
      markdown_query = vim.treesitter.query.parse("markdown", text)
    else
      assert(vim.tbl_contains(block.captures, "label.prp.assignee"), "markdown query without PRP captures")
      assert(vim.tbl_contains(inline.captures, "label.prp.key"), "markdown_inline query without PRP captures")
    end
    -- PRP-002's own header block, and a one-line assignment (the README: a field alone in
    -- its paragraph is coloured as a whole line).
    local function captures(source, lang, query)
      local parser = type(source) == "string" and vim.treesitter.get_string_parser(source, lang)
        or vim.treesitter.get_parser(source, lang)
      local found = {}
      for id, node in query:iter_captures(parser:parse()[1]:root(), source, 0, -1) do
        found[#found + 1] = query.captures[id] .. "@" .. (node:range() + 1)
      end
      return found
    end
    local found = captures(b, "markdown", markdown_query)
    assert(vim.tbl_contains(found, "markup.list.unchecked@24"), "PRP-002 captures: " .. table.concat(found, " "))
    found = captures("### Task 3: Widget grid\n\n**Assigned to**: frontend\n", "markdown", markdown_query)
    assert(vim.tbl_contains(found, "label.prp.assignee@3"), "captures: " .. table.concat(found, " "))
  end)

  local b06
  check("find references (vim.lsp.buf.references) of `@backend` lists the board and the PRPs", function()
    local b = open("TASK.md")
    attached(b)
    local lines = vim.api.nvim_buf_get_lines(b, 0, -1, false)
    local row, col
    for i, l in ipairs(lines) do
      local at = l:find("@backend", 1, true)
      if at then
        row, col = i, at
        break
      end
    end
    assert(row, "no @backend on the board")
    vim.api.nvim_win_set_cursor(0, { row, col + 2 })
    local items
    vim.lsp.buf.references({ includeDeclaration = false }, {
      on_list = function(list)
        items = list.items
      end,
    })
    wait_for("the references", function()
      return items ~= nil
    end)
    local files = {}
    for _, item in ipairs(items) do
      local rel = item.filename:sub(#T.WS + 2)
      files[rel] = (files[rel] or 0) + 1
      assert(item.text:find("backend", 1, true), "a reference without the agent: " .. vim.inspect(item))
    end
    assert((files["TASK.md"] or 0) >= 3, "board mentions: " .. vim.inspect(files))
    assert(files["PRPs/active/PRP-002-dashboard-widgets.md"], "PRP-002 assigns backend: " .. vim.inspect(files))
  end)

  check("code lens of " .. PRP006 .. " says \"Deploy: ready\" (request and plugin-refreshed lens)", function()
    b06 = open(PRP006)
    attached(b06)
    local lenses = request(b06, "textDocument/codeLens", { textDocument = { uri = vim.uri_from_bufnr(b06) } })
    local titles = vim.tbl_map(function(l)
      return l.command and l.command.title
    end, lenses or {})
    assert(vim.tbl_contains(titles, "Deploy: ready"), "lenses: " .. vim.inspect(titles))
    -- the plugin refreshes lenses on attach: Neovim shows them
    wait_for("Neovim to hold the Deploy lens", function()
      for _, l in ipairs(vim.lsp.codelens.get(b06)) do
        if l.command and l.command.title == "Deploy: ready" then
          return true
        end
      end
    end)
  end)

  check("running the Deploy lens (vim.lsp.codelens.run) opens the gate report", function()
    vim.api.nvim_set_current_buf(b06)
    vim.api.nvim_win_set_cursor(0, { 1, 0 })
    vim.lsp.codelens.run()
    local rb = wait_for("a gate report buffer", function()
      for _, b in ipairs(vim.api.nvim_list_bufs()) do
        if vim.api.nvim_buf_get_name(b):find("prp-lsp://gate-report/", 1, true) then
          return b
        end
      end
    end)
    assert(buf_text(rb):find("Deploy: ready", 1, true), buf_text(rb))
    vim.api.nvim_buf_delete(rb, { force = true })
  end)

  check(":PrpGateReport shows the Markdown gate report in a scratch buffer", function()
    vim.api.nvim_set_current_buf(b06)
    vim.cmd("PrpGateReport")
    local rb = wait_for("a gate report buffer", function()
      for _, b in ipairs(vim.api.nvim_list_bufs()) do
        if vim.api.nvim_buf_get_name(b):find("prp-lsp://gate-report/", 1, true) then
          return b
        end
      end
    end)
    local text = buf_text(rb)
    assert(text:find("# Deployment gates", 1, true), text)
    assert(text:find("Deploy: ready", 1, true), text)
    assert(vim.bo[rb].buftype == "nofile" and vim.bo[rb].filetype == "markdown", "not a markdown scratch buffer")
    vim.cmd("close")
  end)

  check(":PrpAssignAll assigns the tasks of " .. PRP07, function()
    vim.api.nvim_set_current_buf(b07)
    vim.cmd("PrpAssignAll")
    wait_for("`Assigned to:` lines in the buffer", function()
      return select(2, buf_text(b07):gsub("Assigned to: ", "")) == 4
    end)
    assert(buf_text(b07):find("Task 1:\n  Assigned to: database\n", 1, true), buf_text(b07))
  end)

  check(":PrpGenerate <description> creates a PRP and opens it", function()
    local before = vim.api.nvim_get_current_buf()
    vim.cmd("PrpGenerate Add CSV export to the reports page")
    local b = wait_for("the generated PRP to open", function()
      local cur = vim.api.nvim_get_current_buf()
      return cur ~= before and vim.api.nvim_buf_get_name(cur):find("/PRPs/", 1, true) and cur
    end)
    local name = vim.api.nvim_buf_get_name(b)
    assert(vim.startswith(name, T.WS .. "/PRPs/active/"), name)
    local text = buf_text(b)
    assert(text:find("CSV export", 1, true), "generated text: " .. text:sub(1, 400))
    assert(text:find("\n## Why", 1, true) or text:find("\n## Goal", 1, true), text:sub(1, 400))
  end)

  check(":checkhealth prp_lsp reports the binary and version, Neovim and the root", function()
    vim.api.nvim_set_current_buf(b07)
    vim.cmd("checkhealth prp_lsp")
    local text = wait_for("the health report", function()
      local t = buf_text(0)
      return t:find("prp-lsp server", 1, true) and t
    end, 5000)
    local bin = vim.uv.fs_realpath(T.BIN)
    assert(text:find("prp-lsp 0.", 1, true), "no server version: " .. text)
    assert(text:find(bin, 1, true) or text:find(T.BIN, 1, true), "no binary path: " .. text)
    assert(text:find("root detected: " .. T.WS, 1, true), "no root: " .. text)
    assert(text:find("Neovim " .. nv.major .. "." .. nv.minor, 1, true), "no Neovim version: " .. text)
    assert(not text:find("ERROR", 1, true), "health errors: " .. text)
    vim.cmd("tabclose")
  end)
end

return T

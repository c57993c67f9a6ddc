--- prp-lsp for Neovim's built-in LSP client (Neovim 0.10 and later).
---
---   require("prp_lsp").setup({
---     cmd = { "prp-lsp" },                                -- default: `prp-lsp` on PATH
---     settings = { rules = { ["missing-section"] = "error" } }, -- same shape as prp-lsp.toml
---   })
---
--- On Neovim 0.11+ the server is registered with `vim.lsp.config` / `vim.lsp.enable`; on 0.10
--- a FileType autocommand calls `vim.lsp.start`. The client is named `prp_lsp`.

local M = {}

M.name = "prp_lsp"

--- Files and folders that mark a PRP workspace's root, nearest first; `.git` only when none of
--- them is found.
M.root_markers = { "prp-lsp.toml", ".prp-lsp.toml", "PRPs", "TASK.md" }
M.fallback_markers = { ".git" }

M.install_help = table.concat({
  "prp-lsp: the language server `%s` was not found.",
  "Install it from the prp-lsp repository:",
  "  cargo build --release -p prp-lsp",
  "then put target/release/prp-lsp on your PATH, or pass its path:",
  '  require("prp_lsp").setup({ cmd = { "/path/to/prp-lsp" } })',
}, "\n")

local defaults = {
  cmd = nil, -- string or list; nil: `prp-lsp` on PATH
  filetypes = { "markdown" },
  settings = {}, -- the `prp-lsp` section: same keys as prp-lsp.toml
  codelens = true, -- show and refresh the "Deploy: ready / blocked" lenses
  grammars = true, -- add the repository's grammars/ (tree-sitter queries) to the runtimepath
  highlight = false, -- start tree-sitter highlighting in Markdown buffers (Neovim leaves it off)
  on_attach = nil, -- function(client, bufnr)
  capabilities = nil, -- extra client capabilities, merged into Neovim's defaults
  -- Internal: force the 0.10 code path (`vim.lsp.start`) on newer Neovim. Used by the tests.
  use_lsp_start = false,
}

M.options = vim.deepcopy(defaults)
M.status = { cmd = nil, found = false, mode = nil, message = nil, grammars = nil }

local has_011 = vim.fn.has("nvim-0.11") == 1

--- The directory holding this plugin (editors/neovim in the prp-lsp repository).
local function plugin_dir()
  local source = debug.getinfo(1, "S").source:gsub("^@", "")
  return vim.fn.fnamemodify(source, ":p:h:h:h")
end

--- The prp-lsp repository this plugin was loaded from, if it was.
function M.repo_dir()
  local repo = vim.fn.fnamemodify(plugin_dir(), ":h:h")
  if vim.fn.isdirectory(repo .. "/grammars/queries") == 1 then
    return repo
  end
  return nil
end

local match_predicates = { ["match?"] = true, ["not-match?"] = true, ["vim-match?"] = true, ["not-vim-match?"] = true }

--- Whether the highlight queries under `grammars` work with this Neovim's Markdown parsers:
--- they compile, and every `#match?` regex compiles the way Neovim compiles it (very magic,
--- `\v`, unless the pattern starts with a magic prefix), which only fails when highlighting.
function M.check_queries(grammars)
  for _, lang in ipairs({ "markdown", "markdown_inline" }) do
    local file = grammars .. "/queries/" .. lang .. "/highlights.scm"
    if vim.fn.filereadable(file) == 1 then
      local text = table.concat(vim.fn.readfile(file), "\n")
      local ok, query = pcall(vim.treesitter.query.parse, lang, text)
      if not ok then
        return false, file .. ": " .. tostring(query)
      end
      for _, predicates in pairs(query.info.patterns or {}) do
        for _, p in ipairs(predicates) do
          if match_predicates[p[1]] and type(p[3]) == "string" then
            local pattern = p[3]
            local prefix = pattern:sub(1, 2)
            if #pattern >= 2 and not vim.tbl_contains({ "\\v", "\\m", "\\M", "\\V" }, prefix) then
              pattern = "\\v" .. pattern
            end
            local compiled, err = pcall(vim.regex, pattern)
            if not compiled then
              return false, string.format("%s: #%s regex %q: %s", file, p[1], p[3], tostring(err))
            end
          end
        end
      end
    end
  end
  return true, nil
end

--- `cmd` as a list, with the executable resolved; nil and a message when it is missing.
function M.resolve_cmd(cmd)
  if cmd == nil or cmd == "" then
    cmd = { "prp-lsp" }
  elseif type(cmd) == "string" then
    cmd = { cmd }
  end
  if type(cmd) == "function" then
    return cmd, nil -- an RPC factory (vim.lsp.rpc.connect …): trust it
  end
  cmd = vim.deepcopy(cmd)
  local exe = vim.fn.expand(cmd[1])
  if vim.fn.executable(exe) ~= 1 then
    return nil, string.format(M.install_help, cmd[1])
  end
  cmd[1] = vim.fn.exepath(exe) ~= "" and vim.fn.exepath(exe) or exe
  return cmd, nil
end

--- The workspace root of a buffer (or a path): the nearest folder holding `prp-lsp.toml`,
--- `PRPs/` or `TASK.md`; else the nearest with `.git`; nil when there is none.
function M.find_root(source)
  local path
  if type(source) == "string" then
    path = source
  else
    source = source or 0
    if vim.bo[source].buftype ~= "" then
      return nil
    end
    path = vim.api.nvim_buf_get_name(source)
  end
  if path == "" or path:match("^%a[%w+.-]*://") then
    return nil -- unnamed, or not a file (health://, fugitive://, …)
  end
  path = vim.fs.normalize(vim.fn.fnamemodify(path, ":p"))
  for _, markers in ipairs({ M.root_markers, M.fallback_markers }) do
    local found = vim.fs.find(markers, { path = vim.fs.dirname(path), upward = true, limit = 1 })[1]
    if found then
      return vim.fs.dirname(found)
    end
  end
  return nil
end

--- The `settings` table sent through `workspace/configuration`: `{ ["prp-lsp"] = … }`.
local function wrap_settings(settings)
  settings = settings or {}
  if settings["prp-lsp"] ~= nil then
    return settings
  end
  return { ["prp-lsp"] = settings }
end

local function notify(message, level)
  vim.notify(message, level or vim.log.levels.INFO, { title = "prp-lsp" })
end

--- Sends a request with the client API of either Neovim generation.
local function request(client, method, params, handler, bufnr)
  if has_011 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- The prp-lsp client for a buffer (attached to it), else any running prp-lsp client.
function M.get_client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local get = vim.lsp.get_clients
  local clients = get({ name = M.name, bufnr = bufnr })
  if #clients == 0 then
    clients = get({ name = M.name })
  end
  return clients[1]
end

local function require_client(bufnr)
  local client = M.get_client(bufnr)
  if not client then
    notify(
      "prp-lsp is not running: open a Markdown file inside a PRP workspace (a folder with "
        .. "prp-lsp.toml, PRPs/, TASK.md or .git) first; :checkhealth prp_lsp tells more",
      vim.log.levels.WARN
    )
  end
  return client
end

--- Runs `workspace/executeCommand`; `on_result(result, client)` on success.
function M.execute(command, arguments, bufnr, on_result)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = require_client(bufnr)
  if not client then
    return false
  end
  request(client, "workspace/executeCommand", { command = command, arguments = arguments }, function(err, result)
    if err then
      notify(string.format("%s failed: %s", command, err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if on_result then
      on_result(result, client)
    end
  end, bufnr)
  return true
end

--- Shows a gate report (Markdown) in a scratch buffer in a split; returns the buffer.
function M.show_report(markdown, title)
  local lines = vim.split(markdown or "", "\n", { plain = true })
  local name = "prp-lsp://gate-report/" .. (title or "report")
  local existing = vim.fn.bufnr("^" .. vim.fn.escape(name, "\\/.*$^~[]") .. "$")
  local buf = existing ~= -1 and existing or vim.api.nvim_create_buf(false, true)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  if existing == -1 then
    pcall(vim.api.nvim_buf_set_name, buf, name)
  end
  vim.bo[buf].filetype = "markdown"
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd("botright split")
    vim.api.nvim_win_set_buf(0, buf)
  else
    vim.api.nvim_set_current_win(win)
  end
  vim.keymap.set("n", "q", "<cmd>close<cr>", { buffer = buf, nowait = true, silent = true })
  return buf
end

local function report_markdown(result)
  if type(result) == "string" then
    return result, nil
  end
  if type(result) == "table" then
    return result.markdown or result.summary or vim.inspect(result), result.prp
  end
  return "No gate report.", nil
end

--- `:PrpGateReport`: the deployment gate report of the current PRP.
function M.gate_report(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  return M.execute("prp.showGateReport", { uri }, bufnr, function(result)
    local markdown, prp = report_markdown(result)
    M.show_report(markdown, prp or vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":t"))
  end)
end

--- `:PrpAssignAll`: assigns every unassigned task of the current buffer.
function M.assign_all(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  return M.execute("prp.assignAll", { vim.uri_from_bufnr(bufnr) }, bufnr, function(result)
    local path = type(result) == "table" and result.path or vim.api.nvim_buf_get_name(bufnr)
    notify("prp-lsp: assigned the tasks of " .. tostring(path) .. " (:w to save, u to undo)")
  end)
end

--- `:PrpGenerate <description>`: writes a new PRP for a requirement and opens it.
function M.generate(description, bufnr)
  if not description or vim.trim(description) == "" then
    notify("Usage: :PrpGenerate <requirement description>", vim.log.levels.WARN)
    return false
  end
  return M.execute("prp.generate", { description }, bufnr, function(result, client)
    if type(result) ~= "table" or not result.path then
      return
    end
    local path = result.path
    if not path:match("^/") then
      local root = client.root_dir or (client.config and client.config.root_dir)
      if root then
        path = root .. "/" .. path
      end
    end
    vim.schedule(function()
      vim.cmd.edit(vim.fn.fnameescape(path))
      local message = "prp-lsp: generated " .. result.path .. " (:w to save it)"
      if type(result.warnings) == "table" and #result.warnings > 0 then
        message = message .. "\n" .. table.concat(result.warnings, "\n")
      end
      notify(message)
    end)
  end)
end

local function create_commands()
  local cmd = vim.api.nvim_create_user_command
  cmd("PrpGenerate", function(a)
    M.generate(a.args)
  end, { nargs = "+", desc = "prp-lsp: generate a PRP from a requirement description" })
  cmd("PrpAssignAll", function()
    M.assign_all()
  end, { nargs = 0, desc = "prp-lsp: assign every unassigned task of the current document" })
  cmd("PrpGateReport", function()
    M.gate_report()
  end, { nargs = 0, desc = "prp-lsp: show the deployment gate report of the current PRP" })
end

local function refresh_lenses(bufnr)
  if vim.api.nvim_buf_is_valid(bufnr) then
    pcall(vim.lsp.codelens.refresh, { bufnr = bufnr })
  end
end

local function on_attach(client, bufnr)
  if M.options.codelens then
    local group = vim.api.nvim_create_augroup("prp_lsp_codelens_" .. bufnr, { clear = true })
    vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost" }, {
      group = group,
      buffer = bufnr,
      callback = function()
        refresh_lenses(bufnr)
      end,
    })
    refresh_lenses(bufnr)
  end
  if M.options.on_attach then
    M.options.on_attach(client, bufnr)
  end
end

--- The client configuration (without root) shared by both code paths.
local function client_config(cmd)
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  -- Neovim applies `documentChanges` (versioned edits, file create/rename/delete) in
  -- vim.lsp.util.apply_workspace_edit but does not advertise it; prp-lsp needs it to create a
  -- generated PRP and to renumber (rename) a duplicate one.
  capabilities.workspace = capabilities.workspace or {}
  capabilities.workspace.workspaceEdit = capabilities.workspace.workspaceEdit or {}
  capabilities.workspace.workspaceEdit.documentChanges = true
  if M.options.capabilities then
    capabilities = vim.tbl_deep_extend("force", capabilities, M.options.capabilities)
  end
  return {
    name = M.name,
    cmd = cmd,
    filetypes = M.options.filetypes,
    settings = wrap_settings(M.options.settings),
    capabilities = capabilities,
    on_attach = on_attach,
    -- Code lens "Deploy: …" runs prp.showGateReport: show its Markdown instead of dropping it.
    commands = {
      ["prp.showGateReport"] = function(command, ctx)
        local bufnr = ctx and ctx.bufnr or vim.api.nvim_get_current_buf()
        local arguments = command.arguments or { vim.uri_from_bufnr(bufnr) }
        M.execute("prp.showGateReport", arguments, bufnr, function(result)
          local markdown, prp = report_markdown(result)
          M.show_report(markdown, prp)
        end)
      end,
    },
  }
end

local augroup = vim.api.nvim_create_augroup("prp_lsp", { clear = true })

local function start_010(config, bufnr)
  if not vim.api.nvim_buf_is_valid(bufnr) or vim.bo[bufnr].buftype ~= "" then
    return
  end
  local root = M.find_root(bufnr)
  if not root then
    return
  end
  local c = vim.deepcopy(config)
  c.on_attach = config.on_attach
  c.commands = config.commands
  c.root_dir = root
  c.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
  vim.lsp.start(c, { bufnr = bufnr })
end

--- Sets the plugin up; safe to call again (the last call wins).
function M.setup(opts)
  if vim.fn.has("nvim-0.10") ~= 1 then
    vim.notify("prp_lsp needs Neovim 0.10 or later", vim.log.levels.ERROR, { title = "prp-lsp" })
    return false
  end
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  if opts and opts.settings then
    M.options.settings = opts.settings -- replace, do not merge with the defaults
  end
  create_commands()

  M.status.grammars, M.status.grammars_error = nil, nil
  if M.options.grammars then
    local repo = M.repo_dir()
    if repo then
      local grammars = repo .. "/grammars"
      local valid, err = M.check_queries(grammars)
      if valid then
        if not vim.tbl_contains(vim.api.nvim_list_runtime_paths(), grammars) then
          vim.opt.runtimepath:append(grammars)
        end
        M.status.grammars = grammars
      else
        -- An `; extends` query that does not compile breaks *all* Markdown highlighting of
        -- the language, so it stays off the runtimepath; :checkhealth prp_lsp says why.
        M.status.grammars_error = err
      end
    end
  end

  vim.api.nvim_clear_autocmds({ group = augroup })
  if M.options.highlight then
    local function highlight(bufnr)
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
        pcall(vim.treesitter.start, bufnr, "markdown")
      end
    end
    vim.api.nvim_create_autocmd("FileType", {
      group = augroup,
      pattern = M.options.filetypes,
      callback = function(ev)
        highlight(ev.buf)
      end,
    })
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      highlight(bufnr)
    end
  end
  local cmd, missing = M.resolve_cmd(M.options.cmd)
  M.status.cmd = cmd or M.options.cmd or { "prp-lsp" }
  M.status.found = cmd ~= nil
  M.status.message = missing
  if not cmd then
    M.status.mode = nil
    if has_011 and not M.options.use_lsp_start then
      pcall(vim.lsp.enable, M.name, false)
    end
    -- Once per setup call, never an error: editing Markdown keeps working without the server.
    vim.schedule(function()
      notify(missing, vim.log.levels.WARN)
    end)
    return false
  end

  local config = client_config(cmd)
  if has_011 and not M.options.use_lsp_start then
    M.status.mode = "vim.lsp.config"
    config.root_dir = function(bufnr, on_dir)
      local root = M.find_root(bufnr)
      if root then
        on_dir(root)
      end
    end
    vim.lsp.config(M.name, config)
    vim.lsp.enable(M.name)
  else
    M.status.mode = "vim.lsp.start"
    if has_011 then
      pcall(vim.lsp.enable, M.name, false) -- an earlier setup() may have enabled the config
    end
    vim.api.nvim_create_autocmd("FileType", {
      group = augroup,
      pattern = M.options.filetypes,
      callback = function(ev)
        start_010(config, ev.buf)
      end,
    })
    -- Buffers already open (lazy loading on `ft = "markdown"`).
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.options.filetypes, vim.bo[bufnr].filetype) then
        start_010(config, bufnr)
      end
    end
  end
  return true
end

return M

-- The install snippets of editors/neovim/README.md, run as written in a headless Neovim:
-- the lazy.nvim spec for a git URL (its `config`, called as lazy.nvim calls it, with the
-- plugin's `dir`) and the manual runtimepath lines. lazy.nvim itself is not installed (the
-- test machines cannot reach GitHub); what it does with the spec is call `config(plugin)`.
-- Prints "ok …"/"FAIL …" lines and "N passed, M failed"; exits non-zero on a failure.
local REPO = assert(os.getenv("PRP_REPO"), "PRP_REPO")
local passed, failed = 0, 0
-- Headless Neovim prints messages to stderr: results go to stdout themselves.
local function print(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end
local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    print("ok   " .. name)
  else
    failed = failed + 1
    print("FAIL " .. name .. "\n     " .. tostring(err))
  end
end

local readme = table.concat(vim.fn.readfile(REPO .. "/editors/neovim/README.md"), "\n")
local blocks = {}
for block in readme:gmatch("```lua\n(.-)\n```") do
  blocks[#blocks + 1] = block
end

-- The README's last lua block that contains `needle`.
local function block_with(needle)
  local found
  for _, b in ipairs(blocks) do
    if b:find(needle, 1, true) then
      found = b
    end
  end
  return assert(found, "no lua block with " .. needle .. " in the README")
end

local function fresh()
  package.loaded["prp_lsp"] = nil
  for _, name in ipairs({ "PrpGateReport", "PrpAssignAll", "PrpGenerate" }) do
    pcall(vim.api.nvim_del_user_command, name)
  end
  vim.opt.runtimepath:remove(REPO .. "/editors/neovim")
end

local function loaded()
  assert(package.loaded["prp_lsp"], "prp_lsp was not required")
  assert(vim.fn.exists(":PrpGateReport") == 2, "no :PrpGateReport command after setup()")
  local rtp = vim.opt.runtimepath:get()
  assert(vim.tbl_contains(rtp, REPO .. "/editors/neovim"), "editors/neovim is not on the runtimepath")
end

check("the README's lazy.nvim spec for a git URL: config(plugin) puts editors/neovim on the runtimepath and sets up the plugin", function()
  local spec_text = block_with("config = function(plugin)")
  local spec = assert(load("return " .. spec_text))()
  assert(spec.ft == "markdown", "the spec loads on ft = markdown")
  fresh()
  spec.config({ dir = REPO, name = "prp-lsp" })
  loaded()
end)

check("the README's manual snippet (runtimepath:append, setup) with the checkout's path", function()
  local manual = block_with("runtimepath:append(vim.fn.expand(")
  manual = manual:gsub('vim%.fn%.expand%("[^"]*"%)', string.format("%q", REPO .. "/editors/neovim"))
  fresh()
  assert(load(manual))()
  loaded()
end)

print(string.format("%d passed, %d failed", passed, failed))
vim.cmd(failed == 0 and "qall!" or "cquit 1")

--- :checkhealth prp_lsp
local M = {}

local health = vim.health

function M.check()
  local prp = require("prp_lsp")

  health.start("Neovim")
  local v = vim.version()
  local version = string.format("%d.%d.%d", v.major, v.minor, v.patch)
  if vim.fn.has("nvim-0.11") == 1 then
    health.ok("Neovim " .. version .. ": vim.lsp.config / vim.lsp.enable")
  elseif vim.fn.has("nvim-0.10") == 1 then
    health.ok("Neovim " .. version .. ": vim.lsp.start on FileType")
  else
    health.error("Neovim " .. version .. " is too old", { "prp_lsp needs Neovim 0.10 or later" })
  end
  if prp.status.mode then
    health.info("client registered with " .. prp.status.mode)
  else
    health.warn('setup() has not registered the client; call require("prp_lsp").setup({})')
  end

  health.start("prp-lsp server")
  local cmd, missing = prp.resolve_cmd(prp.options.cmd)
  if not cmd then
    health.error(missing:match("^[^\n]*"), vim.split(missing, "\n", { plain = true }))
  elseif type(cmd) == "function" then
    health.ok("cmd is a function (RPC connection); version not checked")
  else
    local ok, result = pcall(function()
      return vim.system({ cmd[1], "--version" }, { text = true }):wait(5000)
    end)
    local out = ok and result and result.code == 0 and vim.trim(result.stdout or "") or nil
    if out and out ~= "" then
      health.ok(string.format("%s (%s)", cmd[1], out))
    else
      health.warn(cmd[1] .. " found but `--version` failed", { "is it prp-lsp? try running it in a terminal" })
    end
  end

  health.start("Workspace")
  -- :checkhealth runs in its own buffer: look at the buffer the user came from, else at the
  -- current directory.
  local bufnr = vim.fn.bufnr("#")
  local name = bufnr > 0 and vim.api.nvim_buf_get_name(bufnr) or ""
  local root
  if name ~= "" and vim.bo[bufnr].buftype == "" then
    root = prp.find_root(bufnr)
  else
    name = vim.fn.getcwd()
    root = prp.find_root(name .. "/.")
  end
  if root then
    health.ok(string.format("root detected: %s (for %s)", root, name))
  else
    health.warn("no workspace root above " .. name, {
      "prp_lsp starts in a folder holding prp-lsp.toml, .prp-lsp.toml, PRPs/, TASK.md or .git",
    })
  end
  local clients = vim.lsp.get_clients({ name = prp.name })
  if #clients > 0 then
    for _, client in ipairs(clients) do
      health.ok(string.format("client %d running, root %s", client.id, tostring(client.root_dir)))
    end
  else
    health.info("no prp_lsp client running")
  end
  if prp.status.grammars then
    health.ok("tree-sitter queries on the runtimepath: " .. prp.status.grammars)
  elseif prp.status.grammars_error then
    health.warn("tree-sitter queries not loaded: they do not compile with this Neovim's Markdown parser", {
      prp.status.grammars_error,
      "Markdown highlighting is unaffected; the PRP highlights are off. A newer markdown parser "
        .. "(nvim-treesitter's :TSUpdate markdown) may accept them; or set grammars = false",
    })
  elseif prp.options.grammars then
    health.info("tree-sitter queries: the plugin is not inside a prp-lsp checkout; see grammars/README.md")
  end
end

return M

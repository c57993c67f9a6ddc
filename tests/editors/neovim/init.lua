-- Headless Neovim test of editors/neovim against the real prp-lsp server.
--   nvim --headless --clean -u tests/editors/neovim/init.lua
-- Environment (set by tests/editors/neovim/run):
--   PRP_REPO      the prp-lsp checkout (the plugin is loaded from $PRP_REPO/editors/neovim)
--   PRP_LSP_BIN   the server binary
--   PRP_WS        a private copy of examples/workspace (it is edited)
-- Prints one line per check, then "N passed, M failed"; exits 0 only when every check passed.

local REPO = assert(os.getenv("PRP_REPO"), "PRP_REPO is not set")
local BIN = assert(os.getenv("PRP_LSP_BIN"), "PRP_LSP_BIN is not set")
local WS = assert(os.getenv("PRP_WS"), "PRP_WS is not set")
WS = vim.uv.fs_realpath(WS) or WS

vim.opt.runtimepath:prepend(REPO .. "/editors/neovim")
vim.opt.swapfile = false
vim.opt.shortmess:append("A")

local T = dofile(REPO .. "/tests/editors/neovim/test.lua")
T.REPO, T.BIN, T.WS = REPO, BIN, WS

-- A hard bound on the whole run, whatever happens: a check that hangs outside vim.wait is
-- still stopped (the run script adds an outer `timeout` too).
local deadline = vim.uv.new_timer()
deadline:start(
  25000,
  0,
  vim.schedule_wrap(function()
    io.stdout:write("FAIL: the test run did not finish within 25 s\n")
    vim.cmd("cquit 1")
  end)
)

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    vim.schedule(function()
      local ok, err = xpcall(T.run, debug.traceback)
      if not ok then
        io.stdout:write("FAIL: the test script raised an error: " .. tostring(err) .. "\n")
        T.failed = T.failed + 1
      end
      io.stdout:write(string.format("%d passed, %d failed\n", T.passed, T.failed))
      io.stdout:flush()
      if T.failed > 0 or T.passed == 0 then
        vim.cmd("cquit 1")
      else
        vim.cmd("qall!")
      end
    end)
  end,
})

// Packages the extension as prp-lsp.vsix (PRP_VSIX_OUT: another file name), non-interactively.
// With PRP_LSP_BUNDLE set to a prp-lsp binary, the binary is copied to server/prp-lsp first and
// ships in the .vsix (the extension prefers it to a prp-lsp on the PATH); without it the .vsix
// has no server.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const serverDir = path.join(root, "server");
const bundle = process.env.PRP_LSP_BUNDLE;
const outFile = process.env.PRP_VSIX_OUT || "prp-lsp.vsix";

fs.rmSync(serverDir, { recursive: true, force: true });
if (bundle) {
  if (!fs.statSync(bundle, { throwIfNoEntry: false })?.isFile()) {
    console.error(`PRP_LSP_BUNDLE=${bundle}: no such file`);
    process.exit(1);
  }
  fs.mkdirSync(serverDir);
  const name = process.platform === "win32" ? "prp-lsp.exe" : "prp-lsp";
  fs.copyFileSync(bundle, path.join(serverDir, name));
  fs.chmodSync(path.join(serverDir, name), 0o755);
  console.log(`bundling the server ${bundle}`);
}

const vsce = path.join(root, "node_modules", "@vscode", "vsce", "vsce");
const result = spawnSync(
  process.execPath,
  [vsce, "package", "--no-dependencies", "--allow-missing-repository", "--skip-license", "--no-rewrite-relative-links", "-o", outFile],
  { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
);
fs.rmSync(serverDir, { recursive: true, force: true });
if (result.error) {
  console.error(result.error.message);
}
process.exit(result.status ?? 1);

// Where the extension finds the server: setting, bundled binary, PATH, or an install message.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import { expandSetting, resolveServer, searchPath, defaultIsExecutable } from "../src/resolve";

/** A fake file system: the set of executable files. */
function files(...paths: string[]): (file: string) => boolean {
  const set = new Set(paths);
  return (file) => set.has(file);
}

const ext = "/ext/prp-lsp-0.1.0";
const base = { extensionPath: ext, platform: "linux" as const, homeDir: "/home/ana", envPath: "/usr/local/bin:/usr/bin" };

describe("resolveServer", () => {
  it("uses the setting first", () => {
    const r = resolveServer({
      ...base,
      configuredPath: "/opt/prp-lsp",
      isExecutable: files("/opt/prp-lsp", `${ext}/server/prp-lsp`, "/usr/bin/prp-lsp"),
    });
    assert.deepEqual(r, { found: true, path: "/opt/prp-lsp", source: "setting" });
  });

  it("expands ~ and relative settings", () => {
    const home = resolveServer({ ...base, configuredPath: "~/bin/prp-lsp", isExecutable: files("/home/ana/bin/prp-lsp") });
    assert.deepEqual(home, { found: true, path: "/home/ana/bin/prp-lsp", source: "setting" });
    const relative = resolveServer({
      ...base,
      configuredPath: "target/release/prp-lsp",
      workspaceFolders: ["/src/prp-lsp"],
      isExecutable: files("/src/prp-lsp/target/release/prp-lsp"),
    });
    assert.deepEqual(relative, { found: true, path: "/src/prp-lsp/target/release/prp-lsp", source: "setting" });
  });

  it("reports a setting that names a missing file instead of running another binary", () => {
    const r = resolveServer({
      ...base,
      configuredPath: "/nowhere/prp-lsp",
      isExecutable: files(`${ext}/server/prp-lsp`, "/usr/bin/prp-lsp"),
    });
    assert.equal(r.found, false);
    if (!r.found) {
      assert.equal(r.badSetting, true);
      assert.match(r.message, /prp-lsp\.server\.path/);
      assert.match(r.message, /\/nowhere\/prp-lsp/);
      assert.match(r.detail, /cargo build --release -p prp-lsp/);
    }
  });

  it("treats a blank setting as unset", () => {
    const r = resolveServer({ ...base, configuredPath: "   ", isExecutable: files("/usr/bin/prp-lsp") });
    assert.deepEqual(r, { found: true, path: "/usr/bin/prp-lsp", source: "path" });
  });

  it("prefers the bundled server to the PATH", () => {
    const r = resolveServer({ ...base, isExecutable: files(`${ext}/server/prp-lsp`, "/usr/bin/prp-lsp") });
    assert.deepEqual(r, { found: true, path: `${ext}/server/prp-lsp`, source: "bundled" });
  });

  it("searches the PATH in order", () => {
    const r = resolveServer({ ...base, isExecutable: files("/usr/local/bin/prp-lsp", "/usr/bin/prp-lsp") });
    assert.deepEqual(r, { found: true, path: "/usr/local/bin/prp-lsp", source: "path" });
  });

  it("says how to install the server when there is none", () => {
    const r = resolveServer({ ...base, isExecutable: files() });
    assert.equal(r.found, false);
    if (!r.found) {
      assert.equal(r.badSetting, false);
      assert.match(r.message, /cargo build --release -p prp-lsp/);
      assert.match(r.message, /prp-lsp\.server\.path/);
      assert.match(r.message, /PATH/);
      assert.match(r.detail, /bundled/);
    }
  });

  it("finds prp-lsp.exe on Windows", () => {
    const r = resolveServer({
      extensionPath: "C:\\ext",
      platform: "win32",
      envPath: "C:\\Windows;C:\\tools",
      pathExt: ".COM;.EXE",
      isExecutable: files("C:\\tools\\prp-lsp.EXE"),
    });
    assert.deepEqual(r, { found: true, path: "C:\\tools\\prp-lsp.EXE", source: "path" });
    const bundled = resolveServer({
      extensionPath: "C:\\ext",
      platform: "win32",
      envPath: "",
      isExecutable: files("C:\\ext\\server\\prp-lsp.exe"),
    });
    assert.deepEqual(bundled, { found: true, path: "C:\\ext\\server\\prp-lsp.exe", source: "bundled" });
    const setting = resolveServer({
      extensionPath: "C:\\ext",
      platform: "win32",
      configuredPath: "C:\\tools\\prp-lsp",
      envPath: "",
      isExecutable: files("C:\\tools\\prp-lsp.exe"),
    });
    assert.deepEqual(setting, { found: true, path: "C:\\tools\\prp-lsp.exe", source: "setting" });
  });
});

describe("expandSetting", () => {
  it("replaces ${workspaceFolder} and ${userHome}", () => {
    const opts = { workspaceFolders: ["/w"], homeDir: "/h", platform: "linux" as const };
    assert.equal(expandSetting("${workspaceFolder}/bin/prp-lsp", opts), "/w/bin/prp-lsp");
    assert.equal(expandSetting("${userHome}/prp-lsp", opts), "/h/prp-lsp");
    assert.equal(expandSetting("~", opts), "/h");
    assert.equal(expandSetting(" /abs/prp-lsp ", opts), "/abs/prp-lsp");
  });

  it("leaves a relative path alone without a workspace folder", () => {
    assert.equal(expandSetting("bin/prp-lsp", { homeDir: "/h", platform: "linux" }), "bin/prp-lsp");
  });
});

describe("searchPath", () => {
  it("skips empty entries", () => {
    assert.equal(
      searchPath("prp-lsp", { envPath: "::/a:", platform: "linux", isExecutable: files("/a/prp-lsp") }),
      "/a/prp-lsp",
    );
    assert.equal(searchPath("prp-lsp", { envPath: "", platform: "linux", isExecutable: files("/prp-lsp") }), undefined);
  });
});

describe("defaultIsExecutable (real files)", () => {
  it("accepts an executable file and rejects a plain file, a folder and a missing path", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prp-lsp-resolve-"));
    try {
      const exe = path.join(dir, "prp-lsp");
      fs.writeFileSync(exe, "#!/bin/sh\n");
      fs.chmodSync(exe, 0o755);
      const plain = path.join(dir, "notes.txt");
      fs.writeFileSync(plain, "");
      fs.chmodSync(plain, 0o644);
      assert.equal(defaultIsExecutable(exe), true);
      if (process.platform !== "win32" && process.getuid?.() !== 0) {
        assert.equal(defaultIsExecutable(plain), false);
      }
      assert.equal(defaultIsExecutable(dir), false);
      assert.equal(defaultIsExecutable(path.join(dir, "missing")), false);
      // The whole chain with the real file system: PATH holds the fake server.
      const r = resolveServer({ extensionPath: path.join(dir, "ext"), envPath: dir });
      assert.deepEqual(r, { found: true, path: exe, source: "path" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Finding the prp-lsp server binary. Pure: no `vscode` import, the file system and the
// environment come in as arguments, so `node --test` can check every case.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where a server binary was found. */
export type ServerSource = "setting" | "bundled" | "path";

export type Resolution =
  | { found: true; path: string; source: ServerSource }
  | {
      found: false;
      /** One line for the notification. */
      message: string;
      /** The install instructions (several lines) for the output channel. */
      detail: string;
      /** Whether the `prp-lsp.server.path` setting named a file that is not there. */
      badSetting: boolean;
    };

export interface ResolveOptions {
  /** The `prp-lsp.server.path` setting; empty or undefined when unset. */
  configuredPath?: string;
  /** The extension's folder: a bundled server is `<extensionPath>/server/prp-lsp`. */
  extensionPath: string;
  /** Workspace folders (file system paths): a relative setting is resolved against the first. */
  workspaceFolders?: readonly string[];
  /** The PATH to search (default: process.env.PATH). */
  envPath?: string;
  /** Windows' PATHEXT (default: process.env.PATHEXT). */
  pathExt?: string;
  /** Default: process.platform. */
  platform?: NodeJS.Platform;
  /** Home folder for `~` in the setting (default: os.homedir()). */
  homeDir?: string;
  /** Whether a file exists and may be executed (default: fs.accessSync with X_OK). */
  isExecutable?: (file: string) => boolean;
}

export const SERVER_NAME = "prp-lsp";

export const INSTALL_HELP = [
  "Install the prp-lsp language server from the prp-lsp repository:",
  "  cargo build --release -p prp-lsp",
  "then either set the setting prp-lsp.server.path to the binary",
  "  (e.g. /path/to/prp-lsp/target/release/prp-lsp)",
  "or put target/release/prp-lsp on your PATH, and run \"PRP: Restart Server\".",
].join("\n");

/** A regular file that the current user may execute. */
export function defaultIsExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform === "win32") {
      return true;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The file name of the server executable on a platform. */
export function executableName(platform: NodeJS.Platform): string {
  return platform === "win32" ? `${SERVER_NAME}.exe` : SERVER_NAME;
}

function pathModule(platform: NodeJS.Platform): typeof path.posix {
  return platform === "win32" ? path.win32 : path.posix;
}

/**
 * The setting's value as an absolute path: `~` is the home folder, `${workspaceFolder}` the
 * first workspace folder, `${userHome}` the home folder; a relative path is taken from the
 * first workspace folder (else it stays as written, relative to the extension host's folder).
 */
export function expandSetting(
  value: string,
  options: Pick<ResolveOptions, "workspaceFolders" | "homeDir" | "platform">,
): string {
  const platform = options.platform ?? process.platform;
  const p = pathModule(platform);
  const home = options.homeDir ?? os.homedir();
  const folder = options.workspaceFolders?.[0];
  let result = value.trim();
  result = result.replace(/\$\{userHome\}/g, home);
  if (folder !== undefined) {
    result = result.replace(/\$\{workspaceFolder\}/g, folder);
  }
  if (result === "~") {
    result = home;
  } else if (result.startsWith("~/") || (platform === "win32" && result.startsWith("~\\"))) {
    result = p.join(home, result.slice(2));
  }
  if (!p.isAbsolute(result) && folder !== undefined) {
    result = p.join(folder, result);
  }
  return result;
}

/** The first `name` on the PATH that is executable (with PATHEXT's extensions on Windows). */
export function searchPath(
  name: string,
  options: Pick<ResolveOptions, "envPath" | "pathExt" | "platform" | "isExecutable">,
): string | undefined {
  const platform = options.platform ?? process.platform;
  const p = pathModule(platform);
  const isExecutable = options.isExecutable ?? defaultIsExecutable;
  const envPath = options.envPath ?? process.env.PATH ?? "";
  const separator = platform === "win32" ? ";" : ":";
  let extensions = [""];
  if (platform === "win32") {
    const pathExt = options.pathExt ?? process.env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM";
    extensions = ["", ...pathExt.split(";").filter((e) => e !== "")];
  }
  for (const dir of envPath.split(separator)) {
    if (dir.trim() === "") {
      continue;
    }
    const unquoted = dir.replace(/^"(.*)"$/, "$1");
    for (const ext of extensions) {
      const candidate = p.join(unquoted, name + ext);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * Where the server is: the `prp-lsp.server.path` setting when set (and only there: a setting
 * that names a missing file is an error, not a reason to run some other binary), else the
 * binary bundled in the extension (`server/prp-lsp`), else `prp-lsp` on the PATH.
 */
export function resolveServer(options: ResolveOptions): Resolution {
  const platform = options.platform ?? process.platform;
  const p = pathModule(platform);
  const isExecutable = options.isExecutable ?? defaultIsExecutable;
  const configured = options.configuredPath?.trim() ?? "";

  if (configured !== "") {
    const file = expandSetting(configured, { ...options, platform });
    if (isExecutable(file)) {
      return { found: true, path: file, source: "setting" };
    }
    // On Windows, `C:\tools\prp-lsp` may mean `C:\tools\prp-lsp.exe`.
    if (platform === "win32" && !file.toLowerCase().endsWith(".exe") && isExecutable(file + ".exe")) {
      return { found: true, path: file + ".exe", source: "setting" };
    }
    return {
      found: false,
      badSetting: true,
      message: `PRP Language Server: prp-lsp.server.path is "${configured}", but there is no executable prp-lsp at ${file}.`,
      detail: `The setting prp-lsp.server.path names ${file}, which is missing or not executable.\n${INSTALL_HELP}`,
    };
  }

  const bundled = p.join(options.extensionPath, "server", executableName(platform));
  if (isExecutable(bundled)) {
    return { found: true, path: bundled, source: "bundled" };
  }

  const onPath = searchPath(SERVER_NAME, { ...options, platform, isExecutable });
  if (onPath !== undefined) {
    return { found: true, path: onPath, source: "path" };
  }

  return {
    found: false,
    badSetting: false,
    message:
      "PRP Language Server: the prp-lsp server was not found. Build it with `cargo build --release -p prp-lsp`, then set prp-lsp.server.path or put it on your PATH.",
    detail: `prp-lsp was not found: prp-lsp.server.path is not set, the extension has no bundled server (${bundled}), and no prp-lsp is on the PATH.\n${INSTALL_HELP}`,
  };
}

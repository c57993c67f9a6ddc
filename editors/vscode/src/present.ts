// What the extension makes of the server's answers: status bar text, report titles, the
// settings sent to the server, paths of generated PRPs. Pure: no `vscode` import.

import * as path from "node:path";

/** `prp.deployState` (and `prp.showGateReport`): the deploy decision of one PRP. */
export interface DeployState {
  /** Workspace-relative path of the PRP. */
  prp: string;
  ready: boolean;
  /** One line: "Deploy: ready" or "Deploy: blocked — coverage 84.2% < 90%, …". */
  summary: string;
  /** The full gate report. */
  markdown: string;
}

export interface AgentAlert {
  code: string;
  message: string;
}

export interface AgentInfo {
  id: string;
  state: string;
  enabled: boolean;
  current_task?: string | null;
  open_tasks: number;
  max_concurrent?: number | null;
  error_rate?: number | null;
  health?: string | null;
  last_report?: string | number | null;
  alerts: AgentAlert[];
}

/** `prp.agentStatus`: every agent with status, workload and alerts. */
export interface AgentStatus {
  markdown: string;
  agents: AgentInfo[];
}

/** `prp.generate`: where the new PRP is and what to finish by hand. */
export interface GenerateResult {
  path: string;
  warnings: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isDeployState(value: unknown): value is DeployState {
  return (
    isObject(value) &&
    typeof value.prp === "string" &&
    typeof value.ready === "boolean" &&
    typeof value.summary === "string" &&
    typeof value.markdown === "string"
  );
}

export function isAgentStatus(value: unknown): value is AgentStatus {
  return isObject(value) && typeof value.markdown === "string" && Array.isArray(value.agents);
}

/** The answer of `prp.metrics`: the report, and the figures as `prp-lsp metrics --format json`. */
export interface MetricsReport {
  markdown: string;
  metrics: Record<string, unknown>;
}

export function isMetricsReport(value: unknown): value is MetricsReport {
  return isObject(value) && typeof value.markdown === "string" && isObject(value.metrics);
}

export function asGenerateResult(value: unknown): GenerateResult | undefined {
  if (!isObject(value) || typeof value.path !== "string" || value.path === "") {
    return undefined;
  }
  const warnings = Array.isArray(value.warnings)
    ? value.warnings.filter((w): w is string => typeof w === "string")
    : [];
  return { path: value.path, warnings };
}

/**
 * A short name for a PRP from its path: `PRP-006` for `PRPs/archive/PRP-006-health-check.md`,
 * `PRP-07` for `PRP_07_password_reset.md`, `PRP-01` for `01_user_auth.md`; the file name
 * without `.md` when it has no number (`stripe_checkout`).
 */
export function prpLabel(prpPath: string): string {
  const base = prpPath.split(/[\\/]/).pop() ?? prpPath;
  const stem = base.replace(/\.(md|markdown)$/i, "");
  const numbered = /^(?:prp[-_ ]?)?(\d+)(?![\d.])/i.exec(stem);
  if (numbered) {
    return `PRP-${numbered[1]}`;
  }
  return stem === "" ? prpPath : stem;
}

/** The status bar item: `$(check) PRP-006: ready` or `$(error) PRP-002: blocked`. */
export function deployStatusText(state: DeployState): { text: string; tooltip: string } {
  const label = prpLabel(state.prp);
  const text = state.ready ? `$(check) ${label}: ready` : `$(error) ${label}: blocked`;
  const tooltip = `${state.prp}\n${state.summary}\nClick for the gate report.`;
  return { text, tooltip };
}

/**
 * The `prp-lsp` section as the server reads it (the shape of prp-lsp.toml): the editor-only
 * keys `server` and `trace` left out, and so are unset values (null, empty objects), which
 * would otherwise say nothing but could hide the file's values.
 */
export function serverSettings(raw: unknown): Record<string, unknown> {
  if (!isObject(raw)) {
    return {};
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "server" || key === "trace") {
      continue;
    }
    const cleaned = prune(value);
    if (cleaned !== undefined) {
      result[key] = cleaned;
    }
  }
  return result;
}

/** Drops null and undefined values and objects left empty by that. */
function prune(value: unknown): unknown {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (Array.isArray(value)) {
    return value.map((v) => prune(v)).filter((v) => v !== undefined);
  }
  if (isObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const cleaned = prune(v);
      if (cleaned !== undefined) {
        result[k] = cleaned;
      }
    }
    return Object.keys(result).length === 0 ? undefined : result;
  }
  return value;
}

/**
 * The file a `prp.generate` result names: an absolute path or `file:` URI as it is, a
 * workspace-relative path joined to the workspace folder that holds it (the first folder
 * when none does; `exists` tells).
 */
export function generatedFile(
  resultPath: string,
  workspaceFolders: readonly string[],
  exists: (file: string) => boolean = () => false,
  platform: NodeJS.Platform = process.platform,
): string {
  const p = platform === "win32" ? path.win32 : path.posix;
  if (/^file:\/\//i.test(resultPath)) {
    return fileUriToPath(resultPath, platform);
  }
  if (p.isAbsolute(resultPath) || workspaceFolders.length === 0) {
    return resultPath;
  }
  const candidates = workspaceFolders.map((folder) => p.join(folder, resultPath));
  return candidates.find((c) => exists(c)) ?? candidates[0];
}

function fileUriToPath(uri: string, platform: NodeJS.Platform): string {
  let rest = decodeURIComponent(uri.replace(/^file:\/\/[^/]*/i, ""));
  if (platform === "win32") {
    rest = rest.replace(/^\/([A-Za-z]:)/, "$1").replace(/\//g, "\\");
  }
  return rest;
}

/** Whether an executeCommand error says the server does not know the command (an older server). */
export function isUnknownCommand(error: unknown): boolean {
  const message = isObject(error) && typeof error.message === "string" ? error.message : String(error);
  return /unknown command|command .* not found|not (?:a )?(?:registered|supported) command/i.test(message);
}

/** The message of an error from the client or server, for a notification. */
export function errorMessage(error: unknown): string {
  if (isObject(error) && typeof error.message === "string") {
    return error.message;
  }
  return String(error);
}

/** A file name for a report's read-only document (shown in the tab). */
export function reportFileName(title: string): string {
  const safe = title.replace(/[\\/:*?"<>|#%]+/g, "-").replace(/\s+/g, " ").trim();
  return `${safe === "" ? "report" : safe}.md`;
}

/** A PRP of `prp.overview`. */
export interface PrpView {
  path: string;
  uri: string | null;
  number: string | null;
  title: string;
  /** `active`, `planning`, `finished`, `unknown`. */
  stage: string;
  ready: boolean | null;
  summary: string | null;
  open: number;
  total: number;
  agents: string[];
}

export interface AlertView {
  code: string;
  message: string;
  path: string | null;
  uri: string | null;
}

/** An agent of `prp.overview`. */
export interface AgentView {
  id: string;
  state: string | null;
  current_task: string | null;
  /** Unix seconds. */
  task_since: number | null;
  error_rate: number | null;
  open_tasks: number;
  source: string | null;
  uri: string | null;
  alerts: AlertView[];
}

/** `prp.overview`: the PRPs and agents for the side-bar views. */
export interface Overview {
  prps: PrpView[];
  agents: AgentView[];
  now: number;
}

export function isOverview(value: unknown): value is Overview {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return Array.isArray(v.prps) && Array.isArray(v.agents) && typeof v.now === "number";
}

/** "blocked · 3/5 open" — the deploy decision and the open checklist items. */
export function prpDescription(p: PrpView): string {
  const parts: string[] = [];
  if (p.ready === true) {
    parts.push("ready");
  } else if (p.ready === false) {
    parts.push("blocked");
  }
  if (p.total > 0) {
    parts.push(p.open === 0 ? `all ${p.total} done` : `${p.open}/${p.total} open`);
  }
  return parts.join(" · ");
}

/** "3 h 12 min", "2 days": how long ago `since` was. */
export function elapsed(since: number, now: number): string {
  const s = Math.max(0, now - since);
  if (s < 60) {
    return "just now";
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  }
  return `${Math.floor(hours / 24)} days`;
}

/** "stuck · PRP-002 Task 2 (7 days) · 3.1% errors · 3 open" — what an agent is doing. */
export function agentDescription(a: AgentView, now: number): string {
  const parts: string[] = [a.state ?? "no report"];
  if (a.current_task !== null && a.current_task !== "") {
    parts.push(a.task_since !== null ? `${a.current_task} (${elapsed(a.task_since, now)})` : a.current_task);
  }
  if (a.error_rate !== null) {
    parts.push(`${(Math.round(a.error_rate * 1000) / 10).toString()}% errors`);
  }
  parts.push(`${a.open_tasks} open`);
  return parts.join(" · ");
}

// The VS Code side of prp-lsp: starts the language server on Markdown files, adds the PRP
// commands (generate, assign, gate report, agent status, restart), the PRPs and Agents views
// (src/views.ts), shows the deploy state of the active PRP in the status bar and opens the
// server's reports as Markdown previews. Views and status bar follow the server's
// `prp/overviewChanged`, not a timer.

import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from "vscode-languageclient/node";

import {
  asGenerateResult,
  deployStatusText,
  errorMessage,
  generatedFile,
  isAgentStatus,
  isMetricsReport,
  isDeployState,
  isOverview,
  isUnknownCommand,
  reportFileName,
  type DeployState,
  type Overview,
} from "./present";
import { resolveServer } from "./resolve";
import { configurationAnswer, SECTION, sentSettings } from "./trust";
import { AgentTree, OverviewSource, PrpTree } from "./views";

const CLIENT_ID = "prp-lsp";
const CLIENT_NAME = "PRP Language Server";
const REPORT_SCHEME = "prp-lsp-report";
const STATUS_ITEM_ID = "prp-lsp.deployState";
/** Sent by the server when PRPs, agents or evidence may have changed. */
const OVERVIEW_CHANGED = "prp/overviewChanged";

/** Server commands (workspace/executeCommand). */
const Server = {
  generate: "prp.generate",
  assignAll: "prp.assignAll",
  showGateReport: "prp.showGateReport",
  deployState: "prp.deployState",
  agentStatus: "prp.agentStatus",
  metrics: "prp.metrics",
  overview: "prp.overview",
} as const;

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let reports: ReportDocuments;
let statusBar: DeployStatusBar;
let overview: OverviewSource;
/** Serializes start and stop so a restart never overlaps another. */
let lifecycle: Promise<void> = Promise.resolve();
/** The `prp-lsp.server.path` setting at the last start. */
let startedWithPath: string | undefined;

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  reports = new ReportDocuments();
  statusBar = new DeployStatusBar();
  overview = new OverviewSource(fetchOverview);
  const refreshViews = (): void => void overview.refresh();
  context.subscriptions.push(
    output,
    reports,
    statusBar,
    overview,
    vscode.window.createTreeView("prp-lsp.prps", { treeDataProvider: new PrpTree(overview), showCollapseAll: true }),
    vscode.window.createTreeView("prp-lsp.agents", { treeDataProvider: new AgentTree(overview) }),
    vscode.commands.registerCommand("prp-lsp.refreshViews", refreshViews),
    vscode.commands.registerCommand("prp-lsp.moveToArchive", (item?: unknown) => moveToArchive(item)),
    // The editor's own events for what the server does not announce: saved documents,
    // files created, deleted or renamed in the explorer.
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.languageId === "markdown") {
        refreshViews();
      }
    }),
    vscode.workspace.onDidCreateFiles(refreshViews),
    vscode.workspace.onDidDeleteFiles(refreshViews),
    vscode.workspace.onDidRenameFiles(refreshViews),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.commands.registerCommand("prp-lsp.generate", generate),
    vscode.commands.registerCommand("prp-lsp.assignTasks", (item?: unknown) => assignTasks(treeUri(item))),
    vscode.commands.registerCommand("prp-lsp.showGateReport", (uri?: unknown) => showGateReport(treeUri(uri) ?? uri)),
    vscode.commands.registerCommand("prp-lsp.showAgentStatus", showAgentStatus),
    vscode.commands.registerCommand("prp-lsp.showMetrics", showMetrics),
    vscode.commands.registerCommand("prp-lsp.restartServer", () => restart(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // VS Code also says so, unchanged, when the workspace is trusted (the setting is
      // restricted): restart only for another value.
      if (e.affectsConfiguration(`${SECTION}.server.path`) && configuredServerPath() !== startedWithPath) {
        output.appendLine("prp-lsp.server.path changed: restarting the server");
        void restart(false);
      }
    }),
    // Trusting the workspace lets status.url and status.allow-url through to the server (see
    // src/trust.ts): tell it, so it may start polling without a reload.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.appendLine("the workspace is trusted now: sending the settings again");
      void queueSettings(() => client);
    }),
  );
  void restart(false);
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}

// ---------------------------------------------------------------------------------------
// The language client

function restart(announce: boolean): Promise<void> {
  lifecycle = lifecycle.then(async () => {
    await stopClient();
    await startClient(announce);
  });
  return lifecycle;
}

async function stopClient(): Promise<void> {
  const old = client;
  client = undefined;
  statusBar?.refresh();
  if (old === undefined) {
    return;
  }
  try {
    if (old.needsStop()) {
      await old.stop(5000);
    }
  } catch (error) {
    output.appendLine(`stopping the server: ${errorMessage(error)}`);
  }
  try {
    await old.dispose(2000);
  } catch {
    // Already stopped.
  }
}

/** In an untrusted workspace, VS Code gives the user's value only (a restricted setting). */
function configuredServerPath(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>("server.path") ?? "";
}

function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === "file")
    .map((f) => f.uri.fsPath);
}

async function startClient(announce: boolean): Promise<void> {
  const extension = vscode.extensions.getExtension(`prp-lsp.${CLIENT_ID}`);
  const extensionPath = extension?.extensionPath ?? path.dirname(__dirname);
  makeBundledServerExecutable(extensionPath);
  const configuredPath = configuredServerPath();
  startedWithPath = configuredPath;
  const resolution = resolveServer({
    configuredPath,
    extensionPath,
    workspaceFolders: workspaceFolderPaths(),
  });
  if (!resolution.found) {
    output.appendLine(resolution.detail);
    const openSetting = "Open Setting";
    const showOutput = "Show Output";
    void vscode.window.showErrorMessage(resolution.message, openSetting, showOutput).then((choice) => {
      if (choice === openSetting) {
        void vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.server.path`);
      } else if (choice === showOutput) {
        output.show(true);
      }
    });
    return;
  }
  output.appendLine(`starting ${resolution.path} (${describeSource(resolution.source)})`);
  if (!vscode.workspace.isTrusted) {
    output.appendLine(
      "Restricted Mode: the server gets no prp-lsp.status url or allow-url, so it contacts no monitoring endpoint; trust the workspace to allow it",
    );
  }

  const serverOptions: ServerOptions = {
    run: { command: resolution.path, args: ["lsp"] },
    debug: { command: resolution.path, args: ["lsp"] },
  };
  const clientOptions: LanguageClientOptions = {
    // prp-lsp.toml too: its findings, and the hover that says whether `[status] url` is polled.
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", pattern: "**/{prp-lsp.toml,.prp-lsp.toml}" },
    ],
    synchronize: { configurationSection: SECTION },
    // Evaluated at each start, so it follows the workspace trust of the moment.
    initializationOptions: () => currentSettings(),
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: middleware(() => next),
  };
  const next = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  // The views want `prp/overviewChanged` (an experimental capability the server reads).
  next.registerFeature({
    fillClientCapabilities: (capabilities) => {
      const experimental = (capabilities.experimental ?? {}) as Record<string, unknown>;
      capabilities.experimental = { ...experimental, prpOverview: true };
    },
    initialize: () => undefined,
    getState: () => ({ kind: "static" }),
    clear: () => undefined,
  });
  next.onNotification(OVERVIEW_CHANGED, () => {
    if (client === next) {
      statusBar.refresh();
      void overview.refresh();
    }
  });
  next.onDidChangeState((e) => {
    if (client === next && (e.newState === State.Running || e.newState === State.Stopped)) {
      statusBar.refresh();
      void overview.refresh();
    }
  });
  client = next;
  try {
    await next.start();
    if (announce) {
      void vscode.window.showInformationMessage(`PRP Language Server restarted (${resolution.path})`);
    }
  } catch (error) {
    output.appendLine(`the server did not start: ${errorMessage(error)}`);
    void vscode.window
      .showErrorMessage(`PRP Language Server: ${resolution.path} did not start: ${errorMessage(error)}`, "Show Output")
      .then((choice) => {
        if (choice !== undefined) {
          output.show(true);
        }
      });
  }
  statusBar.refresh();
}

/** A .vsix unpacked by a tool that drops file modes leaves the bundled server unexecutable. */
function makeBundledServerExecutable(extensionPath: string): void {
  if (process.platform === "win32") {
    return;
  }
  const bundled = path.join(extensionPath, "server", "prp-lsp");
  try {
    const mode = fs.statSync(bundled).mode;
    if ((mode & 0o111) === 0) {
      fs.chmodSync(bundled, mode | 0o755);
    }
  } catch {
    // No bundled server.
  }
}

function describeSource(source: "setting" | "bundled" | "path"): string {
  switch (source) {
    case "setting":
      return "from prp-lsp.server.path";
    case "bundled":
      return "bundled with the extension";
    case "path":
      return "found on the PATH";
  }
}

/**
 * The `prp-lsp` settings as the server gets them (`sentSettings`): the shape of prp-lsp.toml
 * without the editor-only keys and unset values, and in an untrusted workspace without
 * `status.url` and `status.allow-url`.
 */
function currentSettings(): Record<string, unknown> {
  return sentSettings(vscode.workspace.getConfiguration().get<unknown>(SECTION), vscode.workspace.isTrusted);
}

/**
 * Sends `workspace/didChangeConfiguration` with the settings of the moment (the server asks
 * for them again) to `target()`, after the starts and stops queued before: a client that a
 * restart replaced in the meantime gets nothing (its successor read them when it started).
 */
function queueSettings(target: () => LanguageClient | undefined): Promise<void> {
  lifecycle = lifecycle.then(async () => {
    const c = target();
    if (c === undefined || c !== client || c.state !== State.Running) {
      return;
    }
    try {
      await c.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: currentSettings() } });
    } catch (error) {
      output.appendLine(`sending the settings: ${errorMessage(error)}`);
    }
  });
  return lifecycle;
}

/** `owner` is the client the middleware belongs to. */
function middleware(owner: () => LanguageClient | undefined): Middleware {
  return {
    // Every setting the server gets goes through src/trust.ts.
    workspace: {
      configuration: async (params, token, next) => {
        const result = await next(params, token);
        if (!Array.isArray(result)) {
          return result;
        }
        const trusted = vscode.workspace.isTrusted;
        return result.map((value: unknown, i: number) => configurationAnswer(params.items[i]?.section, value, trusted));
      },
      // The client's own notification carries the raw section: send the filtered one, and
      // not to a client that a restart (a changed server.path, say) is replacing.
      didChangeConfiguration: async (sections, next) => {
        if (sections === undefined || !sections.includes(SECTION)) {
          return next(sections);
        }
        await queueSettings(owner);
      },
    },
    // The "Deploy: ready / blocked" code lens runs `prp.showGateReport`: open the report view.
    executeCommand: async (command, args, next) => {
      if (command !== Server.showGateReport) {
        return (await next(command, args)) as unknown;
      }
      const uri = typeof args[0] === "string" ? args[0] : undefined;
      await showGateReport(uri, async () => (await next(command, args)) as unknown);
      return undefined;
    },
  };
}

function runningClient(): LanguageClient | undefined {
  if (client !== undefined && client.state === State.Running) {
    return client;
  }
  const restartChoice = "Restart Server";
  const showOutput = "Show Output";
  void vscode.window
    .showWarningMessage(
      "PRP Language Server is not running: open a Markdown file in a PRP workspace (PRPs/, TASK.md or prp-lsp.toml), or restart it.",
      restartChoice,
      showOutput,
    )
    .then((choice) => {
      if (choice === restartChoice) {
        void restart(true);
      } else if (choice === showOutput) {
        output.show(true);
      }
    });
  return undefined;
}

async function execute(c: LanguageClient, command: string, args: unknown[]): Promise<unknown> {
  return c.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
}

function reportError(what: string, error: unknown): void {
  output.appendLine(`${what}: ${errorMessage(error)}`);
  void vscode.window.showErrorMessage(`${what}: ${errorMessage(error)}`);
}

function activeMarkdownFile(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc === undefined || doc.uri.scheme !== "file" || doc.languageId !== "markdown") {
    return undefined;
  }
  return doc;
}

// ---------------------------------------------------------------------------------------
// Commands

async function generate(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selected =
    editor !== undefined && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : "";
  const description = await vscode.window.showInputBox({
    title: "Generate PRP from Requirement",
    prompt: "Describe the requirement; prp-lsp writes a PRP for it in the PRPs folder",
    placeHolder: "Add CSV export to the reports page",
    value: selected,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === "" ? "Describe the requirement" : undefined),
  });
  if (description === undefined || description.trim() === "") {
    return;
  }
  const c = runningClient();
  if (c === undefined) {
    return;
  }
  let result: unknown;
  try {
    result = await execute(c, Server.generate, [description]);
  } catch (error) {
    reportError("Generate PRP failed", error);
    return;
  }
  const generated = asGenerateResult(result);
  if (generated === undefined) {
    output.appendLine(`prp.generate returned ${JSON.stringify(result)}`);
    return;
  }
  const file = generatedFile(generated.path, workspaceFolderPaths(), (f) => fs.existsSync(f));
  try {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc, { preview: false });
  } catch (error) {
    output.appendLine(`opening ${file}: ${errorMessage(error)}`);
  }
  const warnings = generated.warnings.length > 0 ? ` — ${generated.warnings.join("; ")}` : "";
  void vscode.window.showInformationMessage(`Generated ${generated.path} (save it to keep it)${warnings}`);
}

async function assignTasks(target?: vscode.Uri): Promise<void> {
  const doc = target !== undefined ? await vscode.workspace.openTextDocument(target) : activeMarkdownFile();
  if (doc === undefined) {
    void vscode.window.showWarningMessage(
      "Assign Tasks works on the active editor: open a PRP, TASK.md or agent file first.",
    );
    return;
  }
  const c = runningClient();
  if (c === undefined) {
    return;
  }
  try {
    const result = await execute(c, Server.assignAll, [doc.uri.toString()]);
    const where =
      typeof result === "object" && result !== null && typeof (result as { path?: unknown }).path === "string"
        ? (result as { path: string }).path
        : vscode.workspace.asRelativePath(doc.uri);
    void vscode.window.showInformationMessage(`Assigned the unassigned tasks of ${where} (save to keep, undo to revert)`);
  } catch (error) {
    reportError("Assign Tasks", error);
  }
}

/**
 * The gate report of a PRP (`uri`, else the active editor's document) in a Markdown
 * preview. `fallback` is the lens's own `prp.showGateReport` call, used when the server has
 * no `prp.deployState` yet.
 */
async function showGateReport(uri?: unknown, fallback?: () => Promise<unknown>): Promise<void> {
  let target: string | undefined;
  if (typeof uri === "string") {
    target = uri;
  } else if (uri instanceof vscode.Uri) {
    target = uri.toString();
  } else {
    target = activeMarkdownFile()?.uri.toString();
  }
  if (target === undefined) {
    void vscode.window.showWarningMessage("Show Gate Report works on a PRP: open one in the editor first.");
    return;
  }
  const c = runningClient();
  if (c === undefined) {
    return;
  }
  let result: unknown;
  try {
    result = await execute(c, Server.deployState, [target]);
  } catch (error) {
    if (!isUnknownCommand(error)) {
      reportError("Show Gate Report", error);
      return;
    }
    // An older server: `prp.showGateReport` has the same answer (and shows a message too).
    try {
      result = fallback !== undefined ? await fallback() : await execute(c, Server.showGateReport, [target]);
    } catch (inner) {
      reportError("Show Gate Report", inner);
      return;
    }
  }
  if (result === null || result === undefined) {
    void vscode.window.showInformationMessage(
      `${vscode.workspace.asRelativePath(vscode.Uri.parse(target))} is not a PRP: it has no gate report.`,
    );
    return;
  }
  if (!isDeployState(result)) {
    output.appendLine(`unexpected gate report: ${JSON.stringify(result)}`);
    return;
  }
  await reports.show(`Gate report ${path.basename(result.prp).replace(/\.md$/i, "")}`, result.markdown);
}

async function showAgentStatus(): Promise<void> {
  const c = runningClient();
  if (c === undefined) {
    return;
  }
  let result: unknown;
  try {
    result = await execute(c, Server.agentStatus, []);
  } catch (error) {
    if (isUnknownCommand(error)) {
      reportError(
        "Show Agent Status: this prp-lsp server has no prp.agentStatus command; build a newer one (cargo build --release -p prp-lsp)",
        error,
      );
    } else {
      reportError("Show Agent Status", error);
    }
    return;
  }
  if (!isAgentStatus(result)) {
    output.appendLine(`unexpected agent status: ${JSON.stringify(result)}`);
    return;
  }
  await reports.show("Agent status", result.markdown);
}

/** The orchestrator's metrics of the last 30 days, as a report like the gate report. */
async function showMetrics(): Promise<void> {
  const c = runningClient();
  if (c === undefined) {
    return;
  }
  let result: unknown;
  try {
    result = await execute(c, Server.metrics, []);
  } catch (error) {
    if (isUnknownCommand(error)) {
      reportError(
        "Show Metrics: this prp-lsp server has no prp.metrics command; build a newer one (cargo build --release -p prp-lsp)",
        error,
      );
    } else {
      reportError("Show Metrics", error);
    }
    return;
  }
  if (!isMetricsReport(result)) {
    output.appendLine(`unexpected metrics: ${JSON.stringify(result)}`);
    return;
  }
  await reports.show("Metrics", result.markdown);
}

// ---------------------------------------------------------------------------------------
// Views

/** `prp.overview`, or nothing while no server runs (the views then show their welcome). */
async function fetchOverview(): Promise<Overview | undefined> {
  const c = client;
  if (c === undefined || c.state !== State.Running) {
    return undefined;
  }
  try {
    const result = await execute(c, Server.overview, []);
    if (isOverview(result)) {
      return result;
    }
    output.appendLine(`unexpected overview: ${JSON.stringify(result).slice(0, 200)}`);
  } catch (error) {
    if (!isUnknownCommand(error)) {
      output.appendLine(`the PRP and agent views: ${errorMessage(error)}`);
    }
  }
  return undefined;
}

/** The file of a view's PRP item (the command's argument), if it is one. */
function treeUri(item: unknown): vscode.Uri | undefined {
  if (typeof item === "object" && item !== null && "prp" in item) {
    const uri = (item as { prp: { uri: string | null } }).prp.uri;
    return uri !== null ? vscode.Uri.parse(uri) : undefined;
  }
  return undefined;
}

/** The server's "Move to …/" code action of a PRP, applied: the same edit as from Ctrl+. */
async function moveToArchive(item?: unknown): Promise<void> {
  const uri = treeUri(item) ?? activeMarkdownFile()?.uri;
  if (uri === undefined) {
    void vscode.window.showWarningMessage("Move to archive works on a PRP: choose one in the PRPs view.");
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      uri,
      new vscode.Range(0, 0, 0, 0),
    )) ?? [];
  const move = actions.find((a) => /^Move to archive/.test(a.title) && a.edit !== undefined);
  if (move === undefined) {
    void vscode.window.showInformationMessage(
      `${vscode.workspace.asRelativePath(doc.uri)} cannot move to the archive yet: its tasks and criteria must all be ticked.`,
    );
    return;
  }
  if (move.edit !== undefined && (await vscode.workspace.applyEdit(move.edit))) {
    void overview.refresh();
  }
}

// ---------------------------------------------------------------------------------------
// Reports: read-only Markdown documents shown in the Markdown preview

class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? "";
  }

  async show(title: string, markdown: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: "/" + reportFileName(title) });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    try {
      await vscode.commands.executeCommand("markdown.showPreview", uri);
      return;
    } catch (error) {
      output.appendLine(`Markdown preview unavailable (${errorMessage(error)}): showing the report as text`);
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, "markdown");
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

// ---------------------------------------------------------------------------------------
// Status bar: the deploy state of the active PRP

class DeployStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  /** Answers to older requests are dropped. */
  private generation = 0;
  /** The server has no `prp.deployState`: stop asking until a restart. */
  private unsupported = false;
  private lastUnsupportedClient: LanguageClient | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50);
    this.item.name = "PRP Deploy State";
    this.item.command = "prp-lsp.showGateReport";
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (doc === vscode.window.activeTextEditor?.document) {
          this.refresh();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document && e.contentChanges.length > 0) {
          this.refreshSoon();
        }
      }),
    );
  }

  /** Asks the server again after a pause in typing. */
  private refreshSoon(): void {
    if (this.debounce !== undefined) {
      clearTimeout(this.debounce);
    }
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.refresh();
    }, 750);
  }

  refresh(): void {
    const generation = ++this.generation;
    const doc = activeMarkdownFile();
    const c = client;
    if (c !== this.lastUnsupportedClient) {
      this.unsupported = false;
    }
    if (doc === undefined || c === undefined || c.state !== State.Running || this.unsupported) {
      this.hide();
      return;
    }
    execute(c, Server.deployState, [doc.uri.toString()]).then(
      (result) => {
        if (generation !== this.generation) {
          return;
        }
        if (isDeployState(result)) {
          this.show(result);
        } else {
          this.hide();
        }
      },
      (error: unknown) => {
        if (generation !== this.generation) {
          return;
        }
        this.hide();
        if (isUnknownCommand(error)) {
          this.unsupported = true;
          this.lastUnsupportedClient = c;
          output.appendLine(
            "status bar: this prp-lsp server has no prp.deployState command; build a newer one to see the deploy state",
          );
        } else {
          // Most likely still indexing: ask again shortly.
          this.schedule(2000);
        }
      },
    );
  }

  private show(state: DeployState): void {
    const { text, tooltip } = deployStatusText(state);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = {
      label: `PRP Deploy State: ${text.replace(/^\$\([a-z-]+\)\s*/, "")}`,
    };
    this.item.show();
  }

  private hide(): void {
    this.item.hide();
    this.cancel();
  }

  /** Once, while the server is still indexing. */
  private schedule(ms: number): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, ms);
  }

  private cancel(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    this.cancel();
    if (this.debounce !== undefined) {
      clearTimeout(this.debounce);
    }
    this.item.dispose();
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}

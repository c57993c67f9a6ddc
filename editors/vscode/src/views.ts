// The side-bar views: "PRPs" (by stage; each PRP with its number, title, deploy state and open
// items, the agents assigned as children) and "Agents" (state, current task and for how long,
// error rate, open tasks; alerts as children that open the file they are about). Both show the
// server's `prp.overview`, fetched again when the server sends `prp/overviewChanged`.

import * as vscode from "vscode";

import { agentDescription, prpDescription, type AgentView, type Overview, type PrpView } from "./present";

type Fetch = () => Promise<Overview | undefined>;

const STAGES: { stage: string; label: string }[] = [
  { stage: "active", label: "Active" },
  { stage: "planning", label: "Planning" },
  { stage: "finished", label: "Archive" },
  { stage: "unknown", label: "Other" },
];

type PrpNode = { kind: "stage"; stage: string; label: string; prps: PrpView[] } | { kind: "prp"; prp: PrpView } | { kind: "agent"; id: string };
type AgentNode = { kind: "agent"; agent: AgentView } | { kind: "alert"; agent: AgentView; index: number };

/** The last overview, shared by both views and fetched once per change. */
export class OverviewSource implements vscode.Disposable {
  private current: Overview | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private pending: Promise<void> | undefined;

  constructor(private readonly fetch: Fetch) {}

  get overview(): Overview | undefined {
    return this.current;
  }

  /** Asks the server again; concurrent calls share one request. */
  refresh(): Promise<void> {
    this.pending ??= this.fetch()
      .then((o) => {
        this.current = o;
        void vscode.commands.executeCommand("setContext", "prp-lsp.hasPrps", (o?.prps.length ?? 0) > 0);
        this.changed.fire();
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export class PrpTree implements vscode.TreeDataProvider<PrpNode> {
  private readonly changed = new vscode.EventEmitter<PrpNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly source: OverviewSource) {
    source.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: PrpNode): PrpNode[] {
    const prps = this.source.overview?.prps ?? [];
    if (node === undefined) {
      return STAGES.map(({ stage, label }) => ({
        kind: "stage" as const,
        stage,
        label,
        prps: prps.filter((p) => p.stage === stage),
      })).filter((s) => s.prps.length > 0);
    }
    if (node.kind === "stage") {
      return node.prps.map((prp) => ({ kind: "prp" as const, prp }));
    }
    if (node.kind === "prp") {
      return node.prp.agents.map((id) => ({ kind: "agent" as const, id }));
    }
    return [];
  }

  getTreeItem(node: PrpNode): vscode.TreeItem {
    if (node.kind === "stage") {
      const item = new vscode.TreeItem(`${node.label} (${node.prps.length})`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `stage:${node.stage}`;
      return item;
    }
    if (node.kind === "agent") {
      const item = new vscode.TreeItem(node.id, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon("person");
      return item;
    }
    const p = node.prp;
    const label = p.number !== null && !p.title.includes(p.number) ? `${p.number} ${p.title}` : p.title;
    const item = new vscode.TreeItem(
      label,
      p.agents.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `prp:${p.path}`;
    item.description = prpDescription(p);
    item.tooltip = `${p.path}${p.summary !== null ? `\n${p.summary}` : ""}`;
    item.iconPath =
      p.ready === true
        ? new vscode.ThemeIcon("pass", new vscode.ThemeColor("testing.iconPassed"))
        : p.ready === false
          ? new vscode.ThemeIcon("error", new vscode.ThemeColor("testing.iconFailed"))
          : new vscode.ThemeIcon("file");
    item.contextValue = p.stage === "active" ? "prp.active" : "prp";
    if (p.uri !== null) {
      item.resourceUri = vscode.Uri.parse(p.uri);
      item.command = { command: "vscode.open", title: "Open", arguments: [vscode.Uri.parse(p.uri)] };
    }
    return item;
  }
}

export class AgentTree implements vscode.TreeDataProvider<AgentNode> {
  private readonly changed = new vscode.EventEmitter<AgentNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly source: OverviewSource) {
    source.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: AgentNode): AgentNode[] {
    if (node === undefined) {
      return (this.source.overview?.agents ?? []).map((agent) => ({ kind: "agent" as const, agent }));
    }
    if (node.kind === "agent") {
      return node.agent.alerts.map((_, index) => ({ kind: "alert" as const, agent: node.agent, index }));
    }
    return [];
  }

  getTreeItem(node: AgentNode): vscode.TreeItem {
    const now = this.source.overview?.now ?? Math.floor(Date.now() / 1000);
    if (node.kind === "alert") {
      const alert = node.agent.alerts[node.index];
      const item = new vscode.TreeItem(alert.code, vscode.TreeItemCollapsibleState.None);
      item.description = alert.message;
      item.tooltip = alert.message;
      item.iconPath = new vscode.ThemeIcon("warning", new vscode.ThemeColor("list.warningForeground"));
      if (alert.uri !== null) {
        item.command = { command: "vscode.open", title: "Open", arguments: [vscode.Uri.parse(alert.uri)] };
      }
      return item;
    }
    const a = node.agent;
    const item = new vscode.TreeItem(
      a.id,
      a.alerts.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `agent:${a.id}`;
    item.description = agentDescription(a, now);
    item.tooltip = `${a.id}: ${item.description}`;
    item.iconPath = agentIcon(a.state);
    item.contextValue = "agent";
    if (a.uri !== null) {
      item.command = { command: "vscode.open", title: "Open", arguments: [vscode.Uri.parse(a.uri)] };
    }
    return item;
  }
}

function agentIcon(state: string | null): vscode.ThemeIcon {
  switch (state) {
    case "stuck":
    case "failed":
    case "offline":
      return new vscode.ThemeIcon("error", new vscode.ThemeColor("testing.iconFailed"));
    case "busy":
      return new vscode.ThemeIcon("sync", new vscode.ThemeColor("testing.iconQueued"));
    case "idle":
      return new vscode.ThemeIcon("circle-outline");
    default:
      return new vscode.ThemeIcon("question");
  }
}

// What the extension shows of the server's answers and what it sends as settings.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  agentDescription,
  asGenerateResult,
  deployStatusText,
  elapsed,
  isOverview,
  prpDescription,
  generatedFile,
  isAgentStatus,
  isDeployState,
  isMetricsReport,
  isUnknownCommand,
  prpLabel,
  reportFileName,
  serverSettings,
} from "../src/present";

describe("prpLabel", () => {
  it("names a PRP by its number", () => {
    assert.equal(prpLabel("PRPs/archive/PRP-006-health-check.md"), "PRP-006");
    assert.equal(prpLabel("PRPs/active/PRP-002-dashboard-widgets.md"), "PRP-002");
    assert.equal(prpLabel("PRPs/active/PRP_07_password_reset.md"), "PRP-07");
    assert.equal(prpLabel("PRPs/active/01_user_auth.md"), "PRP-01");
    assert.equal(prpLabel("PRPs/active/008--notification-emails.md"), "PRP-008");
    assert.equal(prpLabel("PRPs\\active\\prp12.md"), "PRP-12");
  });

  it("falls back to the file name", () => {
    assert.equal(prpLabel("PRPs/active/stripe_checkout.md"), "stripe_checkout");
    assert.equal(prpLabel("PRPs/active/2.5-upgrade.md"), "2.5-upgrade");
  });
});

describe("deployStatusText", () => {
  it("shows ready and blocked with their icons", () => {
    const ready = deployStatusText({ prp: "PRPs/archive/PRP-006-health-check.md", ready: true, summary: "Deploy: ready", markdown: "" });
    assert.equal(ready.text, "$(check) PRP-006: ready");
    assert.match(ready.tooltip, /Deploy: ready/);
    const blocked = deployStatusText({
      prp: "PRPs/active/PRP-002-dashboard-widgets.md",
      ready: false,
      summary: "Deploy: blocked — coverage 84.2% < 90%",
      markdown: "",
    });
    assert.equal(blocked.text, "$(error) PRP-002: blocked");
    assert.match(blocked.tooltip, /coverage 84\.2% < 90%/);
  });
});

describe("result shapes", () => {
  it("recognizes a deploy state, including the server's extra fields", () => {
    assert.equal(isDeployState({ prp: "a.md", ready: false, summary: "s", markdown: "# m", report: {} }), true);
    assert.equal(isDeployState(null), false);
    assert.equal(isDeployState({ prp: "a.md", ready: "yes", summary: "s", markdown: "m" }), false);
  });

  it("recognizes an agent status", () => {
    assert.equal(isAgentStatus({ markdown: "# Agents", agents: [] }), true);
    assert.equal(isAgentStatus({ markdown: "# Agents" }), false);
  });

  it("recognizes a metrics report", () => {
    assert.equal(isMetricsReport({ markdown: "# Metrics", metrics: { agents: [] } }), true);
    assert.equal(isMetricsReport({ markdown: "# Metrics", metrics: null }), false);
    assert.equal(isMetricsReport({ metrics: {} }), false);
  });

  it("reads a generate result", () => {
    assert.deepEqual(asGenerateResult({ path: "PRPs/active/PRP-009-x.md", warnings: ["fallback template", 3] }), {
      path: "PRPs/active/PRP-009-x.md",
      warnings: ["fallback template"],
    });
    assert.deepEqual(asGenerateResult({ path: "p.md" }), { path: "p.md", warnings: [] });
    assert.equal(asGenerateResult({ warnings: [] }), undefined);
    assert.equal(asGenerateResult(null), undefined);
  });
});

describe("serverSettings", () => {
  it("leaves out the editor-only keys and unset values", () => {
    const raw = {
      server: { path: "/opt/prp-lsp" },
      trace: { server: "verbose" },
      rules: { "missing-section": "error" },
      status: { url: null, "poll-interval": 10 },
      gates: {},
    };
    assert.deepEqual(serverSettings(raw), {
      rules: { "missing-section": "error" },
      status: { "poll-interval": 10 },
    });
  });

  it("keeps other keys of the prp-lsp.toml shape", () => {
    assert.deepEqual(serverSettings({ documents: { prp: ["PRPs/**/*.md"] }, rules: {} }), {
      documents: { prp: ["PRPs/**/*.md"] },
    });
  });

  it("turns a missing section into an empty object", () => {
    assert.deepEqual(serverSettings(undefined), {});
    assert.deepEqual(serverSettings(null), {});
    assert.deepEqual(serverSettings("x"), {});
  });
});

describe("generatedFile", () => {
  it("joins a workspace-relative path to the folder that holds it", () => {
    assert.equal(generatedFile("PRPs/active/PRP-009.md", ["/w"], () => false, "linux"), "/w/PRPs/active/PRP-009.md");
    assert.equal(
      generatedFile("PRPs/active/PRP-009.md", ["/a", "/b"], (f) => f.startsWith("/b/"), "linux"),
      "/b/PRPs/active/PRP-009.md",
    );
  });

  it("keeps absolute paths and decodes file URIs", () => {
    assert.equal(generatedFile("/w/PRPs/x.md", ["/other"], () => false, "linux"), "/w/PRPs/x.md");
    assert.equal(generatedFile("file:///w/PRPs/a%20b.md", [], () => false, "linux"), "/w/PRPs/a b.md");
    assert.equal(generatedFile("file:///c%3A/w/x.md", [], () => false, "win32"), "c:\\w\\x.md");
  });
});

describe("isUnknownCommand", () => {
  it("matches the server's unknown-command error only", () => {
    assert.equal(
      isUnknownCommand({ code: -32602, message: "unknown command `prp.deployState`; prp-lsp offers prp.generate" }),
      true,
    );
    assert.equal(isUnknownCommand(new Error("`PRPs/x.md` is not a PRP")), false);
    assert.equal(isUnknownCommand({ message: "the workspace is still being indexed" }), false);
  });
});

describe("reportFileName", () => {
  it("makes a safe file name", () => {
    assert.equal(reportFileName("Gate report PRPs/active/PRP-002.md"), "Gate report PRPs-active-PRP-002.md.md");
    assert.equal(reportFileName("Agent status"), "Agent status.md");
    assert.equal(reportFileName("  "), "report.md");
  });
});

describe("the side-bar views", () => {
  const prp = {
    path: "PRPs/active/01_a.md",
    uri: null,
    number: "PRP-01",
    title: "PRP-01: A",
    stage: "active",
    ready: false,
    summary: "Deploy: blocked — 2 tasks open",
    open: 2,
    total: 5,
    agents: ["backend"],
  };
  it("describes a PRP by its deploy decision and open items", () => {
    assert.equal(prpDescription(prp), "blocked · 2/5 open");
    assert.equal(prpDescription({ ...prp, ready: true, open: 0 }), "ready · all 5 done");
    assert.equal(prpDescription({ ...prp, ready: null, total: 0 }), "");
  });
  it("describes an agent by what it is doing and for how long", () => {
    const agent = {
      id: "frontend",
      state: "stuck",
      current_task: "PRP-002 Task 2",
      task_since: 1_000_000 - 7 * 86_400,
      error_rate: 0.03125,
      open_tasks: 3,
      source: null,
      uri: null,
      alerts: [],
    };
    assert.equal(agentDescription(agent, 1_000_000), "stuck · PRP-002 Task 2 (7 days) · 3.1% errors · 3 open");
    assert.equal(
      agentDescription({ ...agent, state: null, current_task: null, error_rate: null, open_tasks: 0 }, 1_000_000),
      "no report · 0 open",
    );
    assert.equal(elapsed(100, 100 + 3 * 3600 + 12 * 60), "3 h 12 min");
    assert.equal(elapsed(100, 130), "just now");
  });
  it("recognizes the overview", () => {
    assert.ok(isOverview({ prps: [], agents: [], now: 1 }));
    assert.ok(!isOverview({ prps: [] }));
    assert.ok(!isOverview(null));
  });
});

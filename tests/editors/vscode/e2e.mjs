// Drives the VS Code workbench (code-server) in headless Chromium with Playwright, as a person
// would: Quick Open, the Problems panel, Ctrl+. quick fixes, hovers, the status bar, the
// command palette. It also serves a monitoring endpoint on 127.0.0.1, names it in the
// workspace's prp-lsp.toml and counts the server's polls (none without `allow-url`).
// Started by tests/editors/vscode/run, which sets:
//   PRP_E2E_URL         the code-server base URL (http://127.0.0.1:PORT)
//   PRP_E2E_WS          the private workspace copy to open as the folder
//   PRP_E2E_ART         where screenshots and the browser console log go
//   PRP_E2E_CHROMIUM    the Chromium executable (Debian's /usr/bin/chromium)
//   PRP_E2E_PROFILE     a fresh Chromium user-data-dir
//   PRP_E2E_PLAYWRIGHT  the playwright-core package directory
//   PRP_E2E_TIMEOUT     seconds for the whole session (it stops by itself before then)
// Prints one line per check (PASS/FAIL name, with the reason of a failure) and last
// `N passed, M failed`; exits 1 when a check failed.
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";

const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`e2e.mjs: ${name} is not set (run tests/editors/vscode/run)`);
    process.exit(2);
  }
  return v;
};
const URL_BASE = env("PRP_E2E_URL");
const WS = env("PRP_E2E_WS");
const ART = env("PRP_E2E_ART");
const CHROMIUM = env("PRP_E2E_CHROMIUM");
const PROFILE = env("PRP_E2E_PROFILE");
const { chromium } = createRequire(import.meta.url)(env("PRP_E2E_PLAYWRIGHT"));
const TIMEOUT_S = Number(process.env.PRP_E2E_TIMEOUT || 300);

const PRP07 = "PRPs/active/PRP_07_password_reset.md";
const PRP002 = "PRPs/active/PRP-002-dashboard-widgets.md";
const PRP006 = "PRPs/archive/PRP-006-health-check.md";
const COMMANDS = [
  "PRP: Generate PRP from Requirement",
  "PRP: Assign Tasks",
  "PRP: Show Gate Report",
  "PRP: Show Agent Status",
  "PRP: Show Metrics",
  "PRP: Restart Server",
];

const WAIT = 20_000; // ms for one thing the workbench, extension or server does (2 busy cores: Quick Open took 9 s)
const FIRST_WAIT = 60_000; // ms for the first diagnostics (extension activation, server start, indexing)
const T0 = Date.now();
const DEADLINE = T0 + TIMEOUT_S * 1000 - 15_000; // leave time to close and report

fs.mkdirSync(ART, { recursive: true });
const consoleLog = fs.createWriteStream(path.join(ART, "browser-console.log"));

let passed = 0;
let failed = 0;
let context; // a persistent context: its profile is PRP_E2E_PROFILE, a fresh directory
let page;
let finished = false;

function out(line) {
  process.stdout.write(line + "\n");
}

async function finish(code) {
  if (finished) return;
  finished = true;
  try {
    if (page) await page.screenshot({ path: path.join(ART, "final.png"), timeout: 5000 });
  } catch {
    // the page may be gone
  }
  try {
    if (context) await context.close();
  } catch {
    // closing a dead browser
  }
  consoleLog.end();
  monitor?.server.close();
  monitor?.server.closeAllConnections?.();
  out(`${passed} passed, ${failed} failed`);
  process.exit(code ?? (failed > 0 ? 1 : 0));
}

// The whole session is bounded: past the deadline the running check fails and we stop.
const watchdog = setTimeout(() => {
  failed += 1;
  out(`FAIL global timeout: the session ran past ${TIMEOUT_S - 15} s`);
  finish(1);
}, DEADLINE - Date.now());
watchdog.unref();

const remaining = () => Math.max(1, DEADLINE - Date.now());
const bounded = (ms) => Math.min(ms, remaining());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` (returns a truthy value when done) every 200 ms; throws naming `what` on timeout. */
async function waitFor(what, fn, timeout = WAIT) {
  const end = Date.now() + bounded(timeout);
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= end) {
      const detail = lastError ? ` (last error: ${lastError.message.split("\n")[0]})` : "";
      throw new Error(`timed out after ${Math.round(bounded(timeout) / 1000)} s waiting for ${what}${detail}`);
    }
    await sleep(200);
  }
}

let checkNo = 0;
async function check(name, fn) {
  checkNo += 1;
  const slug = `${String(checkNo).padStart(2, "0")}-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 50).replace(/-$/, "")}`;
  const t = Date.now();
  try {
    const note = await fn();
    passed += 1;
    out(`PASS ${name} (${Date.now() - t} ms)${note ? ": " + note : ""}`);
    await page.screenshot({ path: path.join(ART, `${slug}.png`) }).catch(() => {});
    return true;
  } catch (e) {
    failed += 1;
    out(`FAIL ${name} (${Date.now() - t} ms): ${String(e.message || e).replace(/\n/g, "\n     ")}`);
    await page.screenshot({ path: path.join(ART, `FAIL-${slug}.png`) }).catch(() => {});
    return false;
  }
}

// --- workbench helpers ---------------------------------------------------------------------

const quickInput = () => page.locator(".quick-input-widget");

async function quickInputRows() {
  return page
    .locator(".quick-input-widget .quick-input-list .monaco-list-row")
    .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") || e.textContent || ""));
}

async function closeWidgets() {
  for (let i = 0; i < 2; i += 1) {
    await page.keyboard.press("Escape");
  }
}

/** Quick Open (Ctrl+P): types the file name, waits for it in the list, Enter; waits for its tab. */
async function openFile(rel) {
  const name = path.basename(rel);
  // Under load Quick Open sometimes takes the Enter before its list has settled and closes
  // without opening anything (seen on a busy 2-core machine): try again, up to three times.
  for (let attempt = 1; ; attempt++) {
    await closeWidgets();
    await page.keyboard.press("Control+P");
    await quickInput().locator("input").waitFor({ state: "visible", timeout: bounded(WAIT) });
    await page.keyboard.type(rel);
    await waitFor(`${name} in Quick Open`, async () => (await quickInputRows()).some((r) => r.includes(name)));
    await page.keyboard.press("Enter");
    try {
      await waitFor(`the active tab to be ${name}`, async () => (await activeTab()) === name, attempt < 3 ? 7_000 : WAIT);
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      out(`     (Quick Open did not open ${name}; attempt ${attempt + 1})`);
    }
  }
  await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().waitFor({ timeout: bounded(WAIT) });
}

async function activeTab() {
  const tab = page.locator(".editor-group-container.active .tab.active").first();
  if ((await tab.count()) === 0) return null;
  return tab.getAttribute("aria-label");
}

/** Focuses the active editor and moves the cursor with Go to Line (Ctrl+G, `line:col`). */
async function gotoLine(line, col = 1) {
  await closeWidgets();
  await page.keyboard.press("Control+1");
  await page.keyboard.press("Control+G");
  await quickInput().locator("input").waitFor({ state: "visible", timeout: bounded(WAIT) });
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press("Enter");
  await waitFor(`the cursor at Ln ${line}, Col ${col}`, async () => {
    const sel = await page.locator("#status\\.editor\\.selection").getAttribute("aria-label").catch(() => "");
    return sel && sel.startsWith(`Ln ${line}, Col ${col}`);
  });
}

/** The rendered lines of the active editor, top to bottom (the DOM order is not the visual order). */
async function editorLines() {
  return page
    .locator(".editor-group-container.active .monaco-editor .view-lines")
    .first()
    .evaluate((el) =>
      [...el.querySelectorAll(".view-line")]
        .map((l) => [parseFloat(l.style.top) || 0, (l.textContent || "").replace(/\u00a0/g, " ")])
        .sort((a, b) => a[0] - b[0])
        .map((x) => x[1]),
    );
}

/** The text of the cursor's line in the active editor (the rendered line at the current-line highlight). */
async function currentLine() {
  return page
    .locator(".editor-group-container.active .monaco-editor")
    .first()
    .evaluate((ed) => {
      const hl = ed.querySelector(".view-overlays .current-line");
      if (!hl) return null;
      const top = hl.parentElement.style.top || hl.style.top;
      const line = [...ed.querySelectorAll(".view-lines .view-line")].find((l) => l.style.top === top);
      return line ? (line.textContent || "").replace(/\u00a0/g, " ") : null;
    });
}

/** Runs a command from the palette (Ctrl+Shift+P) by its full label. */
async function runCommand(label) {
  await closeWidgets();
  await page.keyboard.press("Control+Shift+P");
  await quickInput().locator("input").waitFor({ state: "visible", timeout: bounded(WAIT) });
  await page.keyboard.type(label);
  await waitFor(`"${label}" in the command palette`, async () =>
    (await quickInputRows()).some((r) => r === label || r.startsWith(label + ",")),
  );
  await page.keyboard.press("Enter");
}

/** Shows the Problems panel (Ctrl+Shift+M) with its filter box set to `filter` (typed anew). */
async function problemsFilteredTo(filter) {
  if (!(await page.locator(".markers-panel").isVisible().catch(() => false))) {
    await closeWidgets();
    await page.keyboard.press("Control+Shift+M");
  }
  await page.locator(".markers-panel").waitFor({ state: "visible", timeout: bounded(WAIT) });
  const input = page.locator('.panel input[placeholder^="Filter"]').first();
  await input.waitFor({ state: "visible", timeout: bounded(WAIT) });
  await input.fill("");
  await input.fill(filter);
}

/** The Problems panel's problems of the file named `name`: [aria-label of each problem row]. */
async function problemsOf(name) {
  const rows = await page
    .locator(".markers-panel .monaco-list-row")
    .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") || e.textContent || ""));
  let file = null;
  const mine = [];
  for (const r of rows) {
    const header = /^\d+ problems? in file (.+) of folder /.exec(r);
    if (header) {
      file = header[1];
    } else if (file === name && /^(Error|Warning|Info|Hint)\b/.test(r)) {
      mine.push(r);
    }
  }
  return { rows, mine };
}

/** The text of the Markdown preview (a webview: nested iframes) that satisfies `accept`, or null. */
async function previewText(accept) {
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    const t = await f.locator("body").innerText({ timeout: 500 }).catch(() => "");
    if (accept(t)) return t;
  }
  return null;
}

async function deployStateItem() {
  const item = page.locator('.statusbar-item[id$=".deployState"]').first();
  if ((await item.count()) === 0 || !(await item.isVisible())) return null;
  return {
    id: await item.getAttribute("id"),
    label: await item.getAttribute("aria-label"),
    text: (await item.innerText()).trim(),
    icons: await item.locator(".codicon").evaluateAll((els) => els.map((e) => e.className)),
  };
}

// --- the monitoring endpoint --------------------------------------------------------------

/** A monitoring endpoint on 127.0.0.1 that answers `[]` (no agents) and counts its requests. */
let monitor;
async function startMonitor() {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ at: Date.now(), method: req.method, url: req.url });
    res.writeHead(200, { "content-type": "application/json" });
    res.end("[]");
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return { server, requests, url: `http://127.0.0.1:${server.address().port}/agents` };
}

/** Names `url` in `[status]` of the workspace's prp-lsp.toml, polled every second (the file
 * keeps its modification time). */
function nameEndpointInToml(url) {
  const file = path.join(WS, "prp-lsp.toml");
  const { atime, mtime } = fs.statSync(file);
  const toml = fs.readFileSync(file, "utf8");
  const lines = `url = "${url}"\npoll-interval = 1\n`;
  const updated = /^\[status\]\s*$/m.test(toml)
    ? toml.replace(/^\[status\]\s*$/m, (header) => `${header}\n${lines.trimEnd()}`)
    : `${toml.trimEnd()}\n\n[status]\n${lines}`;
  fs.writeFileSync(file, updated);
  fs.utimesSync(file, atime, mtime);
}

// --- the session ---------------------------------------------------------------------------

async function main() {
  // Before the workbench (and so the server) starts: the workspace names an endpoint.
  monitor = await startMonitor();
  nameEndpointInToml(monitor.url);
  out(`monitoring endpoint ${monitor.url}, named by prp-lsp.toml ([status] url, poll-interval = 1)`);

  context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: bounded(60_000),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
      "--no-default-browser-check",
      // Chromium resolves no host name but 127.0.0.1: it can talk to nothing but code-server.
      "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ],
    viewport: { width: 1400, height: 1000 },
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(WAIT);
  page.on("console", (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on("pageerror", (e) => consoleLog.write(`[pageerror] ${e.message}\n`));

  const folderUrl = `${URL_BASE}/?folder=${encodeURIComponent(WS)}`;
  out(`workbench ${folderUrl}, Chromium ${context.browser()?.version() ?? ""}`);

  const loaded = await check("the workbench opens the workspace folder (Explorer lists PRPs/ and TASK.md)", async () => {
    await page.goto(folderUrl, { timeout: bounded(60_000) });
    await waitFor(
      "the Explorer to list PRPs and TASK.md",
      async () => {
        const rows = await page
          .locator(".explorer-folders-view .monaco-list-row")
          .evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") || ""));
        return rows.includes("PRPs") && rows.includes("TASK.md");
      },
      60_000,
    );
  });
  if (!loaded) return;

  await check("the command palette lists the five PRP commands", async () => {
    // The palette lists the commands of extensions registered when it opens: reopen it until
    // the extension's contributions are in (a second or two after the workbench loads).
    const rows = await waitFor("the PRP commands in the palette", async () => {
      await closeWidgets();
      await page.keyboard.press("Control+Shift+P");
      await quickInput().locator("input").waitFor({ state: "visible" });
      await page.keyboard.type("PRP: ");
      await sleep(300);
      const r = await quickInputRows();
      return COMMANDS.every((c) => r.some((x) => x === c || x.startsWith(c + ","))) && r;
    }, 30_000).catch(async (e) => {
      throw new Error(`${e.message}; listed: ${JSON.stringify(await quickInputRows())}`);
    });
    return `${rows.filter((r) => r.startsWith("PRP: ")).length} PRP commands`; // still open for the screenshot
  });

  // 1. Diagnostics in the Problems panel, the quick fix, the diagnostic gone.
  const opened07 = await check(`Quick Open (Ctrl+P) opens ${PRP07}`, async () => openFile(PRP07));

  let why;
  let serverUpAt; // when the server had the workspace indexed (its first diagnostics)
  const haveDiag = await check("the Problems panel (Ctrl+Shift+M) shows the missing-section diagnostic naming `Why` at line 1", async () => {
    if (!opened07) throw new Error("the file did not open");
    await problemsFilteredTo(path.basename(PRP07, ".md"));
    why = await waitFor(
      "a PRP_07 problem that mentions `Why` (the extension must activate and start the server)",
      async () => (await problemsOf(path.basename(PRP07))).mine.find((r) => r.includes("`Why`")),
      FIRST_WAIT,
    ).catch(async (e) => {
      throw new Error(`${e.message}; rows: ${JSON.stringify((await problemsOf(path.basename(PRP07))).rows)}`);
    });
    if (!/missing section/i.test(why)) throw new Error(`not a missing-section message: ${why}`);
    if (!/at line 1 and character 1/.test(why)) throw new Error(`not at line 1: ${why}`);
    if (!/prp-lsp/.test(why)) throw new Error(`not from prp-lsp: ${why}`);
    serverUpAt = Date.now();
    return why.slice(0, 90) + "…";
  });

  const fixed = await check("Ctrl+. on line 1 offers \"Add section `Why`\"; applying it adds a `## Why` heading", async () => {
    if (!haveDiag) throw new Error("no diagnostic to fix");
    await gotoLine(1, 1);
    // Ctrl+. again when the menu has not come within 3 s (the first request can be slow).
    const widget = page.locator(".action-widget");
    let presses = 0;
    await waitFor("the code action menu (Ctrl+.)", async () => {
      if (await widget.first().isVisible()) return true;
      presses += 1;
      await page.keyboard.press("Control+.");
      await widget.first().waitFor({ state: "visible", timeout: 3000 }).catch(() => {});
      return widget.first().isVisible();
    }, 20_000);
    const action = widget.locator(".monaco-list-row.action", { hasText: "Add section `Why`" }).first();
    await waitFor("\"Add section `Why`\" among the code actions", async () => (await action.count()) > 0).catch(async (e) => {
      const offered = await widget.locator(".monaco-list-row.action").allInnerTexts();
      throw new Error(`${e.message}; offered: ${JSON.stringify(offered)}`);
    });
    await action.click();
    await waitFor("the code action menu to close", async () => !(await widget.first().isVisible()));
    // Reveal the new heading with the find widget (it may be out of view), then read the lines.
    await page.keyboard.press("Control+F");
    const find = page.locator(".editor-group-container.active .find-widget textarea, .editor-group-container.active .find-widget input").first();
    await find.waitFor({ state: "visible" });
    await find.fill("## Why");
    await waitFor("the find widget to find `## Why` once", async () => {
      const count = await page.locator(".editor-group-container.active .find-widget .matchesCount").innerText();
      return /^1 of 1$/.test(count.trim());
    });
    await page.keyboard.press("Escape");
    const lines = await editorLines();
    if (!lines.some((l) => l.trim() === "## Why")) throw new Error(`no \`## Why\` line in view: ${JSON.stringify(lines.slice(0, 30))}`);
    const tab = page.locator(".editor-group-container.active .tab.active").first();
    if (!/\bdirty\b/.test((await tab.getAttribute("class")) || "")) throw new Error("the editor is not modified (no dirty tab)");
    const at = lines.findIndex((l) => l.trim() === "## Why");
    return `visible: ${JSON.stringify(lines.slice(at, at + 3))}`;
  });

  await check("the missing-section diagnostic leaves the Problems panel (the other PRP_07 problem stays)", async () => {
    if (!fixed) throw new Error("the fix was not applied");
    await problemsFilteredTo(path.basename(PRP07, ".md"));
    const mine = await waitFor("the `Why` problem to go, the unresolved-reference one to stay", async () => {
      const m = (await problemsOf(path.basename(PRP07))).mine;
      return !m.some((x) => x.includes("`Why`")) && m.some((x) => x.includes("does not exist")) && m;
    }).catch(async (e) => {
      throw new Error(`${e.message}; rows: ${JSON.stringify((await problemsOf(path.basename(PRP07))).rows)}`);
    });
    return `left in PRP_07: ${mine.map((m) => m.slice(0, 60) + "…").join(" | ")}`;
  });

  await check("Ctrl+S saves the fix to disk", async () => {
    if (!fixed) throw new Error("the fix was not applied");
    await page.keyboard.press("Control+1");
    await page.keyboard.press("Control+S");
    const file = path.join(WS, PRP07);
    await waitFor("`## Why` in the file on disk", async () => /^## Why$/m.test(fs.readFileSync(file, "utf8")));
    const tab = page.locator(".editor-group-container.active .tab.active").first();
    await waitFor("the tab to be clean", async () => !/\bdirty\b/.test((await tab.getAttribute("class")) || ""));
  });

  // 2. Hover on the agent of PRP-002; the deploy state in the status bar; the gate report.
  const opened002 = await check(`Quick Open opens ${PRP002}`, async () => openFile(PRP002));

  await check("line 51 `**Assigned to**: frontend` shows the inlay hint `stuck · 3.1% errors`, and hover (Ctrl+K Ctrl+I) on `frontend` describes the agent", async () => {
    if (!opened002) throw new Error("the file did not open");
    await gotoLine(51, 1);
    // The rendered line: the text, then the inlay hint with the agent's state.
    const line51 = await waitFor("line 51 with the agent's state as an inlay hint", async () => {
      const l = await currentLine();
      return l !== null && l.trim() === "**Assigned to**: frontend stuck · 3.1% errors" && l;
    }).catch(async (e) => {
      throw new Error(`${e.message}; line 51 is ${JSON.stringify(await currentLine())}`);
    });
    if (!line51) throw new Error("line 51 not shown");
    const col = "**Assigned to**: ".length + 3; // inside `frontend`
    const hover = page.locator(".monaco-hover:visible");
    const text = await waitFor("a hover naming the agent `frontend` and its state", async () => {
      if ((await hover.count()) === 0) {
        await gotoLine(51, col);
        await page.keyboard.press("Control+K");
        await page.keyboard.press("Control+I");
        await hover.first().waitFor({ state: "visible", timeout: 3000 }).catch(() => {});
      }
      const t = (await hover.allInnerTexts()).join("\n");
      return /Agent\b/.test(t) && t.includes("frontend") && t.includes("stuck") && t;
    }).catch(async (e) => {
      throw new Error(`${e.message}; hover: ${JSON.stringify((await hover.allInnerTexts()).join("\n").slice(0, 400))}`);
    });
    const agentLine = text.split("\n").find((l) => l.startsWith("Agent:")) || "";
    const stateLine = text.split("\n").find((l) => /^Agent frontend:/.test(l)) || "";
    return `${agentLine} / ${stateLine}`; // the hover stays open for the screenshot
  });

  await check("the status bar item `PRP Deploy State` shows `PRP-002: blocked` (error icon)", async () => {
    if (!opened002) throw new Error("the file did not open");
    await page.keyboard.press("Control+1");
    const item = await waitFor("the deploy state of PRP-002 in the status bar", async () => {
      const s = await deployStateItem();
      return s && s.text.includes("PRP-002") && s;
    }).catch(async (e) => {
      throw new Error(`${e.message}; item: ${JSON.stringify(await deployStateItem())}`);
    });
    if (!/PRP-002: blocked/.test(item.text)) throw new Error(`text: ${item.text}`);
    if (!item.icons.some((c) => /codicon-error\b/.test(c))) throw new Error(`no error icon: ${JSON.stringify(item.icons)}`);
    if (item.label !== "PRP Deploy State: PRP-002: blocked") throw new Error(`aria-label: ${item.label}`);
    return `${item.id}: ${item.text}`;
  });

  await check("\"PRP: Show Gate Report\" from the palette opens the Markdown report of PRP-002", async () => {
    if (!opened002) throw new Error("the file did not open");
    await page.keyboard.press("Control+1");
    await runCommand("PRP: Show Gate Report");
    await waitFor("a gate report tab", async () => {
      const t = await activeTab();
      return t && /gate report/i.test(t) && t;
    });
    // The Markdown preview renders in a webview (nested iframes): read its text there.
    const text = await waitFor("the rendered report (Deployment gates, Deploy: blocked)", async () =>
      previewText((t) => t.includes("Deployment gates") && t.includes("Deploy: blocked")),
    );
    const tab = await activeTab();
    const gates = ["tasks", "code review", "unit tests", "coverage"].filter((g) => text.includes(g));
    if (gates.length < 4) throw new Error(`the report lacks gates: ${text.slice(0, 300)}`);
    return `tab "${tab}", ${text.split("\n").find((l) => l.startsWith("Deploy:"))}`;
  });

  // 3. The archived, finished PRP: ready.
  const opened006 = await check(`Quick Open opens ${PRP006}`, async () => openFile(PRP006));

  await check("the status bar item shows `PRP-006: ready` (check icon)", async () => {
    if (!opened006) throw new Error("the file did not open");
    await page.keyboard.press("Control+1");
    const item = await waitFor("the deploy state of PRP-006 in the status bar", async () => {
      const s = await deployStateItem();
      return s && s.text.includes("PRP-006") && s;
    }).catch(async (e) => {
      throw new Error(`${e.message}; item: ${JSON.stringify(await deployStateItem())}`);
    });
    if (!/PRP-006: ready/.test(item.text)) throw new Error(`text: ${item.text}`);
    if (!item.icons.some((c) => /codicon-check\b/.test(c))) throw new Error(`no check icon: ${JSON.stringify(item.icons)}`);
    return item.text;
  });

  await check("the editor shows the code lens `Deploy: ready` above PRP-006", async () => {
    if (!opened006) throw new Error("the file did not open");
    const lens = page.locator(".editor-group-container.active .monaco-editor .codelens-decoration");
    const texts = await waitFor("a Deploy code lens", async () => {
      const t = await lens.allInnerTexts();
      return t.some((x) => x.includes("Deploy:")) && t;
    });
    if (!texts.some((x) => x.includes("Deploy: ready"))) throw new Error(`lenses: ${JSON.stringify(texts)}`);
    return texts.join(" | ").slice(0, 100);
  });

  await check("\"PRP: Show Agent Status\" opens the agent table (frontend stuck, integration's error rate)", async () => {
    await runCommand("PRP: Show Agent Status");
    await waitFor("an agent status tab", async () => {
      const t = await activeTab();
      return t && /agent status/i.test(t) && t;
    });
    const text = await waitFor("the rendered agent table", async () =>
      previewText((t) => /^Agent status/m.test(t) && /^frontend\s+stuck\b/m.test(t)),
    ).catch(async (e) => {
      throw new Error(`${e.message}; frames: ${JSON.stringify(await Promise.all(page.frames().map((f) => f.locator("body").innerText({ timeout: 500 }).then((t) => t.slice(0, 200)).catch(() => ""))))}`);
    });
    for (const agent of ["backend", "database", "integration"]) {
      if (!new RegExp(`^${agent}\\s`, "m").test(text)) throw new Error(`no row for ${agent}: ${text.slice(0, 400)}`);
    }
    if (!text.includes("agent-error-rate")) throw new Error(`no error-rate alert for integration: ${text.slice(0, 600)}`);
    return text.split("\n").find((l) => l.startsWith("frontend"));
  });

  await check("\"PRP: Show Metrics\" opens the metrics report (integration's 3 failed tasks, the rollback rate of the last 30 days' deployments, PRP-002's deployment alert)", async () => {
    await runCommand("PRP: Show Metrics");
    await waitFor("a metrics tab", async () => {
      const t = await activeTab();
      return t && /metrics/i.test(t) && t;
    });
    const text = await waitFor("the rendered metrics", async () =>
      previewText((t) => /^Metrics/m.test(t) && /^integration\s+\d+\s+\d+\s+3\b/m.test(t)),
    );
    // Which of the example's deployments (2026-10-28 to 2026-11-26) are in the 30-day window
    // depends on today: a rate with its count, or "—" with its reason once none is.
    if (!/rollback rate\s+(\d+(\.\d)?%\s+\d+ of \d+ deployment|—\s+no deployment in the window)/.test(text)) throw new Error(`no rollback rate or reason: ${text.slice(0, 600)}`);
    // PRP-002 was rolled back twice and not deployed since: alerted whatever the date.
    if (!/PRP-002-dashboard-widgets\.md: deployment-failures: 2 rolled-back/.test(text)) throw new Error(`no deployment alert for PRP-002: ${text.slice(0, 900)}`);
    return text.split("\n").find((l) => l.startsWith("integration"));
  });

  // 4. The side-bar views: PRPs by stage and agents by health, from the server's overview.
  const viewRows = async () =>
    page.locator(".part.sidebar .pane-body .monaco-list-row").evaluateAll((rows) =>
      rows.map((r) => (r.textContent || "").replace(/\u00a0/g, " ").trim()),
    );
  const viewsShown = await check("the PRP view container shows the PRPs by stage (PRP-002 blocked, PRP-006 ready) and the agents (frontend stuck)", async () => {
    await closeWidgets();
    await page.locator('.activitybar .action-item a[aria-label^="PRP"]').first().click();
    const rows = await waitFor("the PRPs and Agents views filled in", async () => {
      const r = await viewRows();
      return r.some((x) => x.startsWith("Active (")) && r.some((x) => /^frontend.*stuck/.test(x)) && r;
    }).catch(async (e) => {
      throw new Error(`${e.message}; rows: ${JSON.stringify(await viewRows())}`);
    });
    const dashboard = rows.find((x) => x.includes("PRP-002"));
    if (!dashboard || !/blocked/.test(dashboard)) throw new Error(`PRP-002 row: ${JSON.stringify(dashboard)}; rows: ${JSON.stringify(rows)}`);
    const health = rows.find((x) => x.includes("PRP-006"));
    if (!health || !/ready/.test(health)) throw new Error(`PRP-006 row: ${JSON.stringify(health)}`);
    if (!rows.some((x) => x.startsWith("Archive ("))) throw new Error(`no Archive group: ${JSON.stringify(rows)}`);
    const integration = rows.find((x) => x.startsWith("integration"));
    if (!integration || !/12% errors/.test(integration)) throw new Error(`integration row: ${JSON.stringify(integration)}`);
    return `${rows.length} rows; ${dashboard.slice(0, 60)} | ${rows.find((x) => x.startsWith("frontend")).slice(0, 60)}`;
  });

  await check("a status file rewritten on disk: the frontend agent's row turns busy, without a click", async () => {
    if (!viewsShown) throw new Error("the views did not show");
    const file = path.join(WS, "agent_contexts", "status", "frontend.json");
    const report = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...report, state: "busy", reported_at: new Date().toISOString() }, null, 2) + "\n");
    const row = await waitFor("the frontend row to say busy", async () => {
      const r = (await viewRows()).find((x) => x.startsWith("frontend"));
      return r && /busy/.test(r) && !/stuck/.test(r) && r;
    }).catch(async (e) => {
      throw new Error(`${e.message}; rows: ${JSON.stringify(await viewRows())}`);
    });
    const icon = await page
      .locator(".part.sidebar .pane-body .monaco-list-row", { hasText: /^frontend/ })
      .first()
      .locator(".custom-view-tree-node-item-icon")
      .first()
      .getAttribute("class");
    if (!/codicon-sync/.test(icon || "")) throw new Error(`the row's icon is ${icon}`);
    await page.keyboard.press("Control+1");
    return row.slice(0, 80);
  });

  await check("\"PRP: Move to Archive\" on a finished active PRP moves it to PRPs/archive/ (the server's own code action)", async () => {
    const rel = "PRPs/active/09_done_export.md";
    fs.writeFileSync(
      path.join(WS, rel),
      "# PRP-09: Done Export\n\n**Status**: Complete\n\n## Goal\nExport invoices.\n\n## Why\nFinance asked.\n\n## What\nA CSV download.\n\n### Success Criteria\n- [x] The CSV downloads\n\n## All Needed Context\nNone.\n\n## Implementation Blueprint\n- [x] Task 1: endpoint\n\n## Validation Loop\n- [x] Tests pass\n",
    );
    await openFile(rel);
    await runCommand("PRP: Move to Archive");
    const moved = path.join(WS, "PRPs", "archive", "09_done_export.md");
    await waitFor("PRPs/archive/09_done_export.md on disk", async () => fs.existsSync(moved));
    if (fs.existsSync(path.join(WS, rel))) throw new Error(`${rel} is still there`);
    return "moved to PRPs/archive/09_done_export.md";
  });

  // 5. Rename (F2) of an agent in TASK.md: the server's one edit renames its mentions in the
  // open buffer and moves its context and status files on disk.
  await check("F2 on `@frontend` in TASK.md, typing `web`: the mentions read `@web`, agent_contexts/web_agent.md exists", async () => {
    await openFile("TASK.md");
    await gotoLine(10, 1);
    const before = await currentLine();
    if (!before || !before.includes("@frontend")) throw new Error(`line 10 is ${JSON.stringify(before)}`);
    await gotoLine(10, before.indexOf("@frontend") + 4);
    await page.keyboard.press("F2");
    const box = page.locator(".rename-box input, .rename-input");
    await box.first().waitFor({ state: "visible", timeout: bounded(WAIT) });
    // The box shows at once; it takes the focus and the offered name once prepareRename answers.
    await waitFor("the rename box to take the focus", async () =>
      box.first().evaluate((el) => el === document.activeElement || el.contains(document.activeElement)),
    );
    const offered = await box.first().inputValue();
    if (offered !== "frontend") throw new Error(`the rename box offers ${JSON.stringify(offered)}`);
    await box.first().fill("web");
    await box.first().press("Enter");
    const moved = path.join(WS, "agent_contexts", "web_agent.md");
    await waitFor("agent_contexts/web_agent.md on disk", async () => fs.existsSync(moved));
    if (fs.existsSync(path.join(WS, "agent_contexts", "frontend_agent.md"))) throw new Error("frontend_agent.md is still there");
    await gotoLine(10, 1);
    const after = await waitFor("line 10 with `@web`", async () => {
      const l = await currentLine();
      return l && l.includes("@web") && !l.includes("@frontend") && l;
    });
    return after.trim().slice(0, 80);
  });

  // 6. The monitoring endpoint: the server has had prp-lsp.toml (its [status] url, polled
  // every second) since it started, but no consent (`prp-lsp.status.allow-url`), so it never
  // contacted it. (The workspace is trusted here: run turns workspace trust off.)
  const quiet = await check("the server never polled the `[status] url` of prp-lsp.toml (no `prp-lsp.status.allow-url`)", async () => {
    if (!haveDiag) throw new Error("the server never showed a diagnostic: nothing to conclude");
    const minimum = 5_000; // five poll intervals
    const waited = Date.now() - serverUpAt;
    if (waited < minimum) await sleep(bounded(minimum - waited));
    const seconds = Math.round((Date.now() - serverUpAt) / 1000);
    if (monitor.requests.length > 0) {
      const first = monitor.requests[0];
      throw new Error(
        `${monitor.requests.length} request(s) to ${monitor.url} in the ${seconds} s since the first diagnostic, the first ${first.method} ${first.url} ${Math.round((first.at - T0) / 1000)} s into the session`,
      );
    }
    return `0 requests in the ${seconds} s since the first diagnostic (poll-interval 1 s)`;
  });

  // The other side: consent in the (trusted) workspace's settings, and the polls begin
  // without a reload. Also shows that the endpoint was reachable all along.
  await check("with `\"prp-lsp.status\": { \"allow-url\": true }` in .vscode/settings.json the server polls it", async () => {
    if (!quiet) throw new Error("the server polled without allow-url already");
    const dir = path.join(WS, ".vscode");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "settings.json"), JSON.stringify({ "prp-lsp.status": { "allow-url": true } }, null, 2) + "\n");
    const t = Date.now();
    await waitFor(`a request to ${monitor.url}`, async () => monitor.requests.length > 0);
    const first = monitor.requests[0];
    return `${first.method} ${first.url} ${((first.at - t) / 1000).toFixed(1)} s after the settings were written`;
  });
}

try {
  await main();
} catch (e) {
  failed += 1;
  out(`FAIL the session: ${String(e.stack || e).replace(/\n/g, "\n     ")}`);
}
out(`session took ${Math.round((Date.now() - T0) / 1000)} s; screenshots in ${ART}`);
await finish();

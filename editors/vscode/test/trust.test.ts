// What the server gets of the settings in trusted and untrusted workspaces.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { configurationAnswer, sentSettings, withWorkspaceTrust } from "../src/trust";

const settings = () => ({
  rules: { "template-placeholder": "off" },
  status: {
    url: "http://127.0.0.1:8080/agents",
    "allow-url": true,
    "poll-interval": 10,
    "stale-after": 600,
    files: "agents/*.json",
  },
});

describe("withWorkspaceTrust", () => {
  it("removes status.url and status.allow-url in an untrusted workspace, keeps the rest", () => {
    assert.deepEqual(withWorkspaceTrust(settings(), false), {
      rules: { "template-placeholder": "off" },
      status: { "poll-interval": 10, "stale-after": 600, files: "agents/*.json" },
    });
  });

  it("removes each of the two on its own", () => {
    assert.deepEqual(withWorkspaceTrust({ status: { "allow-url": true, timeout: 2 } }, false), { status: { timeout: 2 } });
    assert.deepEqual(withWorkspaceTrust({ status: { url: "http://x/", timeout: 2 } }, false), { status: { timeout: 2 } });
    // The camel-case spelling the server accepts too.
    assert.deepEqual(withWorkspaceTrust({ status: { allowUrl: true, timeout: 2 } }, false), { status: { timeout: 2 } });
    // false is harmless, but the key goes all the same: the server sees no allow-url at all.
    assert.deepEqual(withWorkspaceTrust({ status: { "allow-url": false, timeout: 2 } }, false), { status: { timeout: 2 } });
  });

  it("drops a status left empty", () => {
    assert.deepEqual(withWorkspaceTrust({ status: { url: "http://x/", "allow-url": true }, rules: {} }, false), { rules: {} });
  });

  it("leaves everything as it is in a trusted workspace", () => {
    const input = settings();
    assert.deepEqual(withWorkspaceTrust(input, true), settings());
    assert.equal(withWorkspaceTrust(input, true), input);
  });

  it("never changes its argument", () => {
    const input = settings();
    const frozen = Object.freeze({ ...input, status: Object.freeze({ ...input.status }) });
    withWorkspaceTrust(frozen, false);
    assert.deepEqual(frozen, settings());
  });

  it("passes settings without status through", () => {
    const input = { rules: { "missing-section": "error" } };
    assert.deepEqual(withWorkspaceTrust(input, false), { rules: { "missing-section": "error" } });
    assert.deepEqual(withWorkspaceTrust({}, false), {});
  });

  it("handles odd shapes without throwing", () => {
    assert.equal(withWorkspaceTrust(null, false), null);
    assert.equal(withWorkspaceTrust(undefined, false), undefined);
    assert.equal(withWorkspaceTrust("status", false), "status");
    assert.equal(withWorkspaceTrust(42, false), 42);
    assert.deepEqual(withWorkspaceTrust([{ status: { url: "http://x/" } }], false), [{ status: { url: "http://x/" } }]);
    // A status that is not an object holds no URL: left for the server to reject.
    assert.deepEqual(withWorkspaceTrust({ status: "http://x/" }, false), { status: "http://x/" });
    assert.deepEqual(withWorkspaceTrust({ status: null }, false), { status: null });
    assert.deepEqual(withWorkspaceTrust({ status: ["url"] }, false), { status: ["url"] });
    assert.deepEqual(withWorkspaceTrust({ status: 1, rules: {} }, false), { status: 1, rules: {} });
  });
});

describe("sentSettings", () => {
  it("is the server's shape of the section, then the trust filter", () => {
    const raw = {
      server: { path: "/opt/prp-lsp" },
      trace: { server: "verbose" },
      rules: {},
      status: { url: "http://127.0.0.1:8080/agents", "allow-url": true, "poll-interval": 5 },
    };
    assert.deepEqual(sentSettings(raw, true), {
      status: { url: "http://127.0.0.1:8080/agents", "allow-url": true, "poll-interval": 5 },
    });
    assert.deepEqual(sentSettings(raw, false), { status: { "poll-interval": 5 } });
  });

  it("sends nothing of a status that only had the network keys", () => {
    assert.deepEqual(sentSettings({ status: { "allow-url": true } }, false), {});
    assert.deepEqual(sentSettings({ status: { "allow-url": true } }, true), { status: { "allow-url": true } });
  });

  it("is an empty object for anything but an object", () => {
    assert.deepEqual(sentSettings(null, false), {});
    assert.deepEqual(sentSettings(undefined, true), {});
    assert.deepEqual(sentSettings("x", false), {});
  });
});

describe("configurationAnswer", () => {
  const raw = { server: { path: "/opt/prp-lsp" }, status: { url: "http://x/", "allow-url": true, timeout: 3 } };

  it("answers the prp-lsp section with sentSettings", () => {
    assert.deepEqual(configurationAnswer("prp-lsp", raw, true), { status: { url: "http://x/", "allow-url": true, timeout: 3 } });
    assert.deepEqual(configurationAnswer("prp-lsp", raw, false), { status: { timeout: 3 } });
    assert.deepEqual(configurationAnswer("prp-lsp", null, false), {});
  });

  it("filters the narrower sections in an untrusted workspace", () => {
    assert.deepEqual(configurationAnswer("prp-lsp.status", raw.status, false), { timeout: 3 });
    assert.deepEqual(configurationAnswer("prp-lsp.status", { url: "http://x/" }, false), {});
    assert.equal(configurationAnswer("prp-lsp.status.url", "http://x/", false), null);
    assert.equal(configurationAnswer("prp-lsp.status.allow-url", true, false), null);
    assert.equal(configurationAnswer("prp-lsp.status.allowUrl", true, false), null);
    assert.equal(configurationAnswer("prp-lsp.status.timeout", 3, false), 3);
    assert.equal(configurationAnswer("prp-lsp.status", null, false), null);
  });

  it("filters the whole configuration (no section) in an untrusted workspace", () => {
    const whole = { editor: { tabSize: 2 }, "prp-lsp": raw };
    assert.deepEqual(configurationAnswer(undefined, whole, false), {
      editor: { tabSize: 2 },
      "prp-lsp": { server: { path: "/opt/prp-lsp" }, status: { timeout: 3 } },
    });
    assert.deepEqual(configurationAnswer(null, { editor: {} }, false), { editor: {} });
    assert.equal(configurationAnswer(null, null, false), null);
  });

  it("leaves other sections and trusted answers alone", () => {
    assert.deepEqual(configurationAnswer("editor", { tabSize: 2 }, false), { tabSize: 2 });
    assert.equal(configurationAnswer("prp-lsp.status.url", "http://x/", true), "http://x/");
    assert.deepEqual(configurationAnswer("prp-lsp.status", raw.status, true), raw.status);
    assert.deepEqual(configurationAnswer(undefined, { "prp-lsp": raw }, true), { "prp-lsp": raw });
  });
});

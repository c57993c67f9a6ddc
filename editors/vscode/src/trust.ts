// What the server may learn of the settings, given the workspace trust. Pure: no `vscode`
// import, so `node --test` checks it.
//
// The server polls an orchestrator's monitoring endpoint (`[status] url` of prp-lsp.toml, or
// `status.url` of the settings) only when the settings it receives say so: `status["allow-url"]`
// is true, or `status.url` is in the settings themselves. In a workspace the user has not
// trusted, neither reaches the server, so an untrusted workspace never makes it contact the
// network.

import { serverSettings } from "./present";

/** The settings section (`prp-lsp.*`). */
export const SECTION = "prp-lsp";

/**
 * The keys of `status` that let the server contact a monitoring endpoint (`allowUrl` is a
 * spelling of `allow-url` the server accepts too).
 */
export const NETWORK_STATUS_KEYS: readonly string[] = ["url", "allow-url", "allowUrl"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A `status` settings object without `url` and `allow-url` (and `allowUrl`): a copy,
 * `undefined` when nothing is left. Anything but an object is returned as it is: it holds no URL.
 */
function withoutNetworkKeys(status: unknown): unknown {
  if (!isObject(status)) {
    return status;
  }
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(status)) {
    if (!NETWORK_STATUS_KEYS.includes(key)) {
      kept[key] = value;
    }
  }
  return Object.keys(kept).length === 0 ? undefined : kept;
}

/**
 * The `prp-lsp` settings object as the server may see it: unchanged in a trusted workspace;
 * in an untrusted one without `status.url` and `status["allow-url"]` (and `allowUrl`; the
 * other `status` keys stay, a `status` left empty goes). Never changes its argument; anything but an object
 * (null, undefined, a string) is returned as it is.
 */
export function withWorkspaceTrust(settings: Record<string, unknown>, trusted: boolean): Record<string, unknown>;
export function withWorkspaceTrust(settings: unknown, trusted: boolean): unknown;
export function withWorkspaceTrust(settings: unknown, trusted: boolean): unknown {
  if (trusted || !isObject(settings) || !("status" in settings)) {
    return settings;
  }
  const result: Record<string, unknown> = { ...settings };
  const status = withoutNetworkKeys(settings.status);
  if (status === undefined) {
    delete result.status;
  } else {
    result.status = status;
  }
  return result;
}

/**
 * Everything the extension sends to the server as its settings (`initializationOptions`,
 * `workspace/didChangeConfiguration`, the answer to `workspace/configuration` for `prp-lsp`):
 * the section in the shape of prp-lsp.toml (see `serverSettings`), then the trust filter.
 */
export function sentSettings(raw: unknown, trusted: boolean): Record<string, unknown> {
  return withWorkspaceTrust(serverSettings(raw), trusted);
}

/**
 * The answer to one item of `workspace/configuration`: `value` is what the editor has for
 * `section`. The `prp-lsp` section goes through `sentSettings`; in an untrusted workspace
 * the narrower sections (`prp-lsp.status`, `prp-lsp.status.url`, `prp-lsp.status.allow-url`,
 * `prp-lsp.status.allowUrl`)
 * and the whole configuration (no section) lose the same keys. Other sections are left alone.
 */
export function configurationAnswer(section: string | null | undefined, value: unknown, trusted: boolean): unknown {
  if (section === SECTION) {
    return sentSettings(value, trusted);
  }
  if (trusted) {
    return value;
  }
  if (section === undefined || section === null || section === "") {
    if (!isObject(value) || !(SECTION in value)) {
      return value;
    }
    return { ...value, [SECTION]: withWorkspaceTrust(value[SECTION], false) };
  }
  if (section === `${SECTION}.status`) {
    const status = withoutNetworkKeys(value);
    return status === undefined && value !== undefined ? {} : status;
  }
  if (NETWORK_STATUS_KEYS.some((key) => section === `${SECTION}.status.${key}`)) {
    return null;
  }
  return value;
}

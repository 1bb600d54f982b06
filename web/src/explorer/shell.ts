// What every view shares: the status line, errors, the API key form, recent runs.
import { h, clear } from "./dom";
import { AuthRequired, apiKey, setApiKey } from "./gql";

const RECENT = "provgraph:recentRuns";

export function status(text: string, kind: "info" | "error" | "live" = "info"): void {
  const el = document.getElementById("status");
  if (!el) return;
  el.textContent = text;
  el.className = `status ${kind}`;
}

export function showError(view: HTMLElement, err: unknown, retry: () => void): void {
  if (err instanceof AuthRequired) {
    keyForm(view, err.message, retry);
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  status(message, "error");
  clear(view, h("div", { class: "error-box", id: "error" }, message));
}

export function keyForm(view: HTMLElement, reason: string, done: () => void): void {
  const input = h("input", { type: "password", id: "api-key", placeholder: "pgk_…", autocomplete: "off", size: 48 });
  const form = h(
    "form",
    { class: "panel key-form", id: "key-form" },
    h("h2", {}, "API key"),
    h("p", {}, `This server requires an API key (${reason}). It is kept in this tab only (sessionStorage), sent as `,
      h("code", {}, "Authorization: Bearer"), " and in the subscription's connection_init."),
    input,
    " ",
    h("button", { type: "submit" }, "Use key"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    setApiKey(input.value.trim() || null);
    renderKeyButton();
    done();
  });
  status("API key required", "error");
  clear(view, form);
  input.focus();
}

export function renderKeyButton(): void {
  const el = document.getElementById("key");
  if (!el) return;
  clear(
    el,
    apiKey()
      ? h("button", { type: "button", id: "forget-key", onclick: () => { setApiKey(null); window.location.reload(); } }, "Forget API key")
      : null,
  );
}

export function recentRuns(): string[] {
  try {
    const raw: unknown = JSON.parse(window.localStorage.getItem(RECENT) ?? "[]");
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function rememberRun(runId: string): void {
  const runs = [runId, ...recentRuns().filter((r) => r !== runId)].slice(0, 20);
  window.localStorage.setItem(RECENT, JSON.stringify(runs));
}

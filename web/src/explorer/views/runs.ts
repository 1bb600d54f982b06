// Pick a run: by id, from the runs remembered in this browser, or (where the server has the
// `runs` query) from the filtered runs list, newest first, with sessions and search when offered.
import { h, clear, fmt, short } from "../dom";
import { gql, type Capabilities, type InputField } from "../gql";
import { go, href, replace } from "../route";
import { recentRuns, showError, status } from "../shell";

interface RunRow {
  runId: string;
  status: string | null;
  agentId: string | null;
  sessionId: string | null;
  startedAt: string | null;
  nodeCount: number;
}

export const RUNS = `query Runs($filter: RunFilterInput) {
  runs(filter: $filter, first: 100) { totalCount edges { node { runId status agentId sessionId startedAt nodeCount } } }
}`;
export const SESSIONS = `{ sessions(first: 30) { totalCount edges { node { sessionId runCount lastRunAt agentIds } } } }`;
export const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 30) { totalCount edges { node { kind nodeId runId snippet } } }
}`;

function filterValue(f: InputField, raw: string): unknown {
  if (raw === "") return null;
  if (f.kind === "boolean") return raw === "true";
  if (f.kind === "int") return Number(raw);
  if (f.kind === "enumList") return [raw];
  return raw;
}

export async function renderRuns(view: HTMLElement, params: URLSearchParams, caps: Capabilities): Promise<() => void> {
  const runInput = h("input", { type: "text", id: "run-id", placeholder: "run id", size: 30, required: true });
  const openForm = h("form", { class: "panel", id: "open-run" }, h("h2", {}, "Open a run"), runInput, " ", h("button", { type: "submit" }, "Open"));
  openForm.addEventListener("submit", (e) => {
    e.preventDefault();
    if (runInput.value.trim()) go("run", { run: runInput.value.trim() });
  });
  const diffA = h("input", { type: "text", id: "diff-a", placeholder: "run id", size: 20, required: true });
  const diffB = h("input", { type: "text", id: "diff-b", placeholder: "other run id", size: 20, required: true });
  const diffForm = h("form", { class: "panel", id: "diff-form" }, h("h2", {}, "Compare two runs"), diffA, " ", diffB, " ", h("button", { type: "submit" }, "Diff"));
  diffForm.addEventListener("submit", (e) => {
    e.preventDefault();
    go("diff", { run: diffA.value.trim(), other: diffB.value.trim() });
  });
  const recent = recentRuns();
  const recentPanel = h(
    "div",
    { class: "panel", id: "recent" },
    h("h2", {}, "Recently opened here"),
    recent.length
      ? h("ul", {}, recent.map((r) => h("li", {}, h("a", { href: href("run", { run: r }) }, r), " ", h("a", { href: "#", class: "small", onclick: (e: Event) => { e.preventDefault(); if (!diffA.value) diffA.value = r; else diffB.value = r; } }, "compare"))))
      : h("p", { class: "hint" }, "Runs you open are remembered in this browser."),
  );
  const side = h("div", { class: "side-col" }, openForm, diffForm, recentPanel);
  const main = h("div", { class: "main-col" });
  clear(view, h("div", { class: "runs-layout" }, side, main));

  if (!caps.queries.has("runs")) {
    clear(main, h("div", { class: "panel", id: "no-runs-list" }, h("h2", {}, "Runs"), h("p", {}, "This server has no runs list (the `runs` query); open a run by its id.")));
    status("Ready");
    return () => undefined;
  }

  // The runs list with the server's own filters (from RunFilterInput, by introspection).
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const fields = caps.runFilter.map((f) => {
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.kind === "boolean" || f.kind === "enum" || f.kind === "enumList") {
      const options = f.kind === "boolean" ? ["true", "false"] : f.values;
      input = h("select", { name: f.name }, h("option", { value: "" }, "any"), options.map((o) => h("option", { value: o }, o.toLowerCase())));
    } else {
      input = h("input", { type: f.kind === "int" ? "number" : "text", name: f.name, size: 14 });
    }
    input.value = params.get(f.name) ?? "";
    input.id = `filter-${f.name}`;
    inputs.set(f.name, input);
    return h("label", { class: "filter", title: f.description ?? "" }, f.name, input);
  });
  const filterForm = h("form", { class: "filters", id: "filters" }, fields, h("button", { type: "submit" }, "Filter"));
  const table = h("div", { id: "runs-table" });
  const diffSelected = h("button", { type: "button", id: "diff-selected", disabled: true }, "Diff the two selected");
  const searchInput = h("input", { type: "search", id: "search-text", placeholder: "search nodes and runs", size: 30 });
  const searchForm = caps.queries.has("search") ? h("form", { class: "toolbar", id: "search" }, searchInput, h("button", { type: "submit" }, "Search")) : null;
  const searchOut = h("div", { id: "search-results" });
  const sessions = h("div", { class: "panel", id: "sessions" });
  clear(main, h("h2", {}, "Runs, newest first"), filterForm, diffSelected, table, searchForm, searchOut);
  if (caps.queries.has("sessions")) side.append(sessions);

  const picked: string[] = [];
  diffSelected.addEventListener("click", () => {
    if (picked.length === 2) go("diff", { run: picked[0], other: picked[1] });
  });

  async function load(): Promise<void> {
    const filter: Record<string, unknown> = {};
    const state: Record<string, string> = {};
    for (const f of caps.runFilter) {
      const raw = inputs.get(f.name)?.value ?? "";
      const v = filterValue(f, raw);
      if (v !== null) {
        filter[f.name] = v;
        state[f.name] = raw;
      }
    }
    replace("runs", state);
    try {
      const d = await gql<{ runs: { totalCount: number | null; edges: { node: RunRow }[] } }>(RUNS, { filter: Object.keys(filter).length ? filter : null });
      const rows = d.runs.edges.map((e) => e.node);
      clear(
        table,
        h("p", {}, `${fmt(d.runs.totalCount ?? rows.length)} runs`),
        h(
          "table",
          { class: "runs" },
          h("thead", {}, h("tr", {}, ["", "run", "status", "agent", "session", "started", "nodes"].map((t) => h("th", {}, t)))),
          h(
            "tbody",
            {},
            rows.map((r) => {
              const box = h("input", { type: "checkbox", "data-run": r.runId });
              box.addEventListener("change", () => {
                const at = picked.indexOf(r.runId);
                if (box.checked && at < 0) picked.push(r.runId);
                if (!box.checked && at >= 0) picked.splice(at, 1);
                while (picked.length > 2) {
                  const dropped = picked.shift();
                  table.querySelectorAll<HTMLInputElement>(`input[type=checkbox]`).forEach((c) => {
                    if (c.dataset.run === dropped) c.checked = false;
                  });
                }
                diffSelected.disabled = picked.length !== 2;
              });
              return h(
                "tr",
                { "data-run": r.runId },
                h("td", {}, box),
                h("td", {}, h("a", { href: href("run", { run: r.runId }) }, r.runId)),
                h("td", {}, h("span", { class: `badge status-${(r.status ?? "none").toLowerCase()}` }, r.status ?? "–")),
                h("td", {}, r.agentId ?? ""),
                h("td", {}, r.sessionId ? h("a", { href: "#", onclick: (e: Event) => { e.preventDefault(); const s = inputs.get("sessionId"); if (s) { s.value = r.sessionId ?? ""; void load(); } } }, r.sessionId) : ""),
                h("td", {}, r.startedAt ?? ""),
                h("td", {}, fmt(r.nodeCount)),
              );
            }),
          ),
        ),
      );
      status(`${rows.length} runs shown`);
    } catch (err) {
      showError(table, err, () => void load());
    }
  }

  filterForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void load();
  });
  searchForm?.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = searchInput.value.trim();
    if (!text) return;
    gql<{ search: { totalCount: number | null; edges: { node: { kind: string; nodeId: string; runId: string; snippet: string | null } }[] } }>(SEARCH, { text })
      .then((d) =>
        clear(
          searchOut,
          h("p", {}, `${fmt(d.search.totalCount ?? d.search.edges.length)} hits`),
          h("ul", {}, d.search.edges.map(({ node: s }) => h("li", {}, h("a", { href: href("run", { run: s.runId, node: s.kind === "RUN" ? null : s.nodeId }) }, `${s.runId} ${s.kind === "RUN" ? "" : s.nodeId}`), ` ${s.kind.toLowerCase()} `, short(s.snippet, 100)))),
        ),
      )
      .catch((err: unknown) => status(err instanceof Error ? err.message : String(err), "error"));
  });
  if (caps.queries.has("sessions")) {
    gql<{ sessions: { edges: { node: { sessionId: string; runCount: number; lastRunAt: string | null; agentIds: string[] } }[] } }>(SESSIONS)
      .then((d) =>
        clear(
          sessions,
          h("h2", {}, "Sessions"),
          h(
            "ul",
            {},
            d.sessions.edges.map(({ node: s }) =>
              h("li", {}, h("a", { href: "#", onclick: (e: Event) => { e.preventDefault(); const input = inputs.get("sessionId"); if (input) { input.value = s.sessionId; void load(); } } }, s.sessionId), ` ${s.runCount} runs, last ${s.lastRunAt ?? "–"}`),
            ),
          ),
        ),
      )
      .catch(() => clear(sessions));
  }
  await load();
  return () => undefined;
}

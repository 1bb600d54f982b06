// A run drawn by step; node details; ancestors/descendants with a depth; lineage between two
// nodes (shift-click the second); live additions over runElementsAdded / runStatusChanged.
import { h, clear, fmt, prettyJson, short } from "../dom";
import { gql, onConnected, subscribe } from "../gql";
import { BIG, KIND_COLOURS, RunGraph, type GraphEdge, type GraphNode } from "../graph";
import { replace } from "../route";
import { rememberRun, showError, status } from "../shell";

const RUN_FIELDS = "runId status agentId sessionId startedAt endedAt nodeCount edgeCount rootDigest";
const NODE_BRIEF = "nodeId kind step text toolName toolStatus error";

export const RUN_INFO = `query RunInfo($id: String!) { run(id: $id) { ${RUN_FIELDS} } }`;

/** A large run's nodes come without their text (ids as labels; the text is in the details), which
 * halves the answer's size and time for 5,000 nodes. */
export function subgraphQuery(light: boolean): string {
  return `query RunGraph($id: String!) {
  runSubgraph(runId: $id) { truncated nodes { ${light ? "nodeId kind step" : NODE_BRIEF} } edges { kind source target } }
}`;
}

export const VERIFY = `query Verify($id: String!) {
  verifyRun(runId: $id) { ok nodesChecked edgesChecked rootDigestMatches mismatches { nodeId reason storedHash recomputedHash } }
}`;

export const NODE_DETAILS = `query NodeDetails($id: String!, $depth: Int) {
  runNode(id: $id) {
    nodeId kind step runId text json createdAt tokens cost latencyMs toolName arguments toolStatus error hash contentHash
  }
  up: ancestors(nodeId: $id, depth: $depth) {
    depth depthClamped truncated nodes { distance node { nodeId kind tokens cost latencyMs } }
  }
  down: descendants(nodeId: $id, depth: $depth) {
    depth depthClamped truncated nodes { distance node { nodeId } }
  }
}`;

export const LINEAGE = `query Lineage($from: String!, $to: String!) {
  lineage(fromId: $from, toId: $to) { direction depth paths { nodeIds length edges { kind source target } } }
}`;

export const ELEMENTS_ADDED = `subscription Added($id: String!) {
  runElementsAdded(runId: $id) { runId nodes { ${NODE_BRIEF} } edges { kind source target } }
}`;

export const STATUS_CHANGED = `subscription Status($id: String) {
  runStatusChanged(runId: $id) { ${RUN_FIELDS} }
}`;

interface RunInfo {
  runId: string;
  status: string | null;
  agentId: string | null;
  sessionId: string | null;
  startedAt: string | null;
  endedAt: string | null;
  nodeCount: number;
  edgeCount: number;
  rootDigest: string | null;
}

interface NodeFull extends GraphNode {
  runId: string;
  json: string | null;
  createdAt: string | null;
  tokens: number | null;
  cost: number | null;
  latencyMs: number | null;
  arguments: string | null;
  hash: string | null;
  contentHash: string | null;
}

interface Reached {
  distance: number;
  node: { nodeId: string; kind?: string; tokens?: number | null; cost?: number | null; latencyMs?: number | null };
}

interface TraversalAnswer {
  depth: number;
  depthClamped: boolean;
  truncated: boolean;
  nodes: Reached[];
}

interface Verification {
  ok: boolean;
  nodesChecked: number;
  edgesChecked: number;
  rootDigestMatches: boolean;
  mismatches: { nodeId: string; reason: string; storedHash: string | null; recomputedHash: string }[];
}

export interface Timing {
  /** From the view's start: the run's answer, the Cytoscape graph built, its first frame. */
  fetchedMs: number;
  builtMs: number;
  drawnMs: number;
  nodes: number;
  edges: number;
}

declare global {
  interface Window {
    __explorer?: { graph?: RunGraph; timing?: Timing; graphs?: RunGraph[] };
  }
}

export function legend(): HTMLElement {
  return h(
    "div",
    { class: "legend", id: "legend" },
    Object.entries(KIND_COLOURS).map(([kind, colour]) =>
      h("span", { class: "legend-item" }, h("span", { class: "swatch", style: `background:${colour}` }), kind.toLowerCase().replace("_", " ")),
    ),
  );
}

export async function renderRun(view: HTMLElement, params: URLSearchParams): Promise<() => void> {
  const runId = params.get("run") ?? "";
  let selected = params.get("node");
  let target = params.get("to");
  let depth = Number(params.get("depth") ?? 3) || 3;
  let dir = params.get("dir") ?? "both";
  const stops: (() => void)[] = [];
  const syncUrl = (): void =>
    replace("run", { run: runId, node: selected, to: target, depth: depth === 3 ? null : depth, dir: dir === "both" ? null : dir });

  status(`Opening run ${runId}…`);
  const started = performance.now();
  let data: {
    run: RunInfo | null;
    runSubgraph: { truncated: boolean; nodes: GraphNode[]; edges: GraphEdge[] };
  };
  let light = false;
  try {
    const info = await gql<{ run: RunInfo | null }>(RUN_INFO, { id: runId });
    light = (info.run?.nodeCount ?? 0) > BIG;
    const sub = info.run
      ? await gql<{ runSubgraph: typeof data.runSubgraph }>(subgraphQuery(light), { id: runId })
      : { runSubgraph: { truncated: false, nodes: [], edges: [] } };
    data = { run: info.run, runSubgraph: sub.runSubgraph };
  } catch (err) {
    showError(view, err, () => void renderRun(view, params));
    return () => undefined;
  }
  if (!data.run) {
    clear(view, h("div", { class: "error-box", id: "error" }, `No run ${runId} for this tenant.`));
    status(`No run ${runId}`, "error");
    return () => undefined;
  }
  rememberRun(runId);
  const fetchedMs = performance.now() - started;
  const run = data.run;

  const summary = h("div", { class: "run-summary", id: "run-summary" });
  const showSummary = (r: RunInfo): void => {
    clear(
      summary,
      h("strong", {}, r.runId),
      h("span", { class: `badge status-${(r.status ?? "none").toLowerCase()}`, id: "run-status" }, r.status ?? "no status"),
      r.agentId ? h("span", {}, `agent ${r.agentId}`) : null,
      r.sessionId ? h("span", {}, `session ${r.sessionId}`) : null,
      h("span", { id: "run-counts" }, `${fmt(graph?.size().nodes ?? r.nodeCount)} nodes · ${fmt(graph?.size().edges ?? r.edgeCount)} edges`),
      r.startedAt ? h("span", {}, `started ${r.startedAt}`) : null,
    );
  };
  const depthInput = h("input", { type: "number", id: "depth", min: 1, max: 50, value: depth, title: "traversal depth" });
  const dirSelect = h(
    "select",
    { id: "direction" },
    h("option", { value: "both" }, "ancestors + descendants"),
    h("option", { value: "up" }, "ancestors"),
    h("option", { value: "down" }, "descendants"),
  );
  dirSelect.value = dir;
  const verifyEl = h("span", { id: "verification", class: "badge" }, "verifying…");
  const liveEl = h("span", { id: "live", class: "badge" }, "live: connecting");
  const toolbar = h(
    "div",
    { class: "toolbar" },
    summary,
    h("label", {}, "depth ", depthInput),
    dirSelect,
    h("button", { type: "button", id: "clear-selection", onclick: () => { selected = null; target = null; graph.clearMarks(); clear(details, hint()); syncUrl(); } }, "Clear"),
    verifyEl,
    liveEl,
  );
  const canvas = h("div", { class: "graph", id: "graph" });
  const details = h("aside", { class: "details", id: "details" });
  const hint = (): HTMLElement =>
    h("p", { class: "hint" }, "Click a node for its details, ancestors and descendants; shift-click a second node for the lineage path between them.");
  clear(details, hint());
  const notes: HTMLElement[] = [];
  if (light) notes.push(h("div", { class: "hint" }, `A large run: labels appear on highlighted nodes; click a node for its content.`));
  if (data.runSubgraph.truncated) notes.push(h("div", { class: "warning" }, "This run is larger than the server's result cap: only part of it is drawn."));
  clear(view, toolbar, legend(), ...notes, h("div", { class: "split" }, canvas, details));

  const graph = new RunGraph(canvas, data.runSubgraph.nodes, data.runSubgraph.edges);
  const builtMs = performance.now() - started;
  // Wait for the first frame that shows the graph.
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const drawnMs = performance.now() - started;
  const size = graph.size();
  window.__explorer = { graph, timing: { fetchedMs, builtMs, drawnMs, nodes: size.nodes, edges: size.edges } };
  canvas.dataset.state = "drawn";
  canvas.dataset.nodes = String(size.nodes);
  showSummary(run);
  status(`Run ${runId}: ${fmt(size.nodes)} nodes, ${fmt(size.edges)} edges drawn in ${fmt(drawnMs)} ms`);

  // Each selection or lineage asked for supersedes the earlier ones: an answer that arrives after
  // a newer question was asked is dropped (e.g. a depth change committed by the click that
  // shift-selects a second node).
  let asked = 0;

  // verifyRun recomputes every hash of the run: at once for a small run; for a large one when
  // asked (the badge) or when a node is first selected, so that it does not slow the opening.
  let verification: Verification | null = null;
  let verifying = false;
  const verify = (): void => {
    if (verifying) return;
    verifying = true;
    verifyEl.textContent = "verifying…";
    gql<{ verifyRun: Verification }>(VERIFY, { id: runId })
      .then((v) => {
        verification = v.verifyRun;
        verifyEl.textContent = verification.ok
          ? `verified ✓ (${fmt(verification.nodesChecked)} nodes)`
          : `verification failed: ${verification.mismatches.length} mismatches`;
        verifyEl.className = `badge ${verification.ok ? "ok" : "bad"}`;
        graph.mark(verification.mismatches.map((m) => m.nodeId), "mismatch");
        if (selected && !target) void select(selected, false);
      })
      .catch((err: unknown) => {
        verifyEl.textContent = `not verified: ${err instanceof Error ? err.message : String(err)}`;
      });
  };
  if (light) {
    verifyEl.textContent = "verify hashes";
    verifyEl.setAttribute("role", "button");
    verifyEl.classList.add("clickable");
    verifyEl.addEventListener("click", verify);
  } else {
    verify();
  }

  async function select(id: string, shift: boolean): Promise<void> {
    const mine = ++asked;
    if (shift && selected && id !== selected) {
      target = id;
      syncUrl();
      await showLineage(selected, id, mine);
      return;
    }
    selected = id;
    target = null;
    syncUrl();
    verify();
    try {
      const d = await gql<{ runNode: NodeFull | null; up: TraversalAnswer; down: TraversalAnswer }>(NODE_DETAILS, { id, depth });
      if (mine !== asked) return;
      const up = dir === "down" ? [] : d.up.nodes.map((n) => n.node.nodeId);
      const down = dir === "up" ? [] : d.down.nodes.map((n) => n.node.nodeId);
      graph.highlight(id, up, down);
      showDetails(d.runNode, d.up, d.down);
    } catch (err) {
      status(err instanceof Error ? err.message : String(err), "error");
    }
  }

  function showDetails(n: NodeFull | null, up: TraversalAnswer, down: TraversalAnswer): void {
    if (!n) {
      clear(details, h("p", {}, "Node not found."));
      return;
    }
    const mismatch = verification?.mismatches.find((m) => m.nodeId === n.nodeId);
    const verified = verification === null ? "verifying…" : mismatch ? `MISMATCH: ${mismatch.reason}` : "hash verified ✓";
    const row = (k: string, v: string | number | null | undefined): HTMLElement | null =>
      v === null || v === undefined || v === "" ? null : h("tr", {}, h("th", {}, k), h("td", {}, String(v)));
    // The roll-up of what led to it: the node and its ancestors within the depth.
    const led = [{ distance: 0, node: n }, ...up.nodes];
    const sum = (f: "tokens" | "cost" | "latencyMs"): number => led.reduce((a, r) => a + (r.node[f] ?? 0), 0);
    const kinds = new Map<string, number>();
    up.nodes.forEach((r) => kinds.set(r.node.kind ?? "?", (kinds.get(r.node.kind ?? "?") ?? 0) + 1));
    clear(
      details,
      h("h2", { id: "details-title" }, n.nodeId),
      h("p", {}, h("span", { class: "swatch", style: `background:${KIND_COLOURS[n.kind] ?? "#999"}` }), ` ${n.kind} · step ${n.step}`),
      h(
        "table",
        { class: "props" },
        row("verification", verified),
        row("created", n.createdAt),
        row("tokens", n.tokens),
        row("cost", n.cost),
        row("latency ms", n.latencyMs),
        row("tool", n.toolName),
        row("tool status", n.toolStatus),
        row("error", n.error),
        row("hash", n.hash),
        row("content hash", n.contentHash),
      ),
      n.text ? h("div", {}, h("h3", {}, "text"), h("pre", { id: "node-text" }, n.text)) : null,
      n.json ? h("div", {}, h("h3", {}, "json"), h("pre", {}, prettyJson(n.json))) : null,
      n.arguments ? h("div", {}, h("h3", {}, "arguments"), h("pre", {}, prettyJson(n.arguments))) : null,
      h(
        "div",
        { id: "rollup" },
        h("h3", {}, `What led to it (depth ${up.depth}${up.depthClamped ? ", clamped" : ""}${up.truncated ? ", truncated" : ""})`),
        h("p", { id: "ancestor-count" }, `${up.nodes.length} ancestors, ${down.nodes.length} descendants`),
        h(
          "table",
          { class: "props" },
          row("tokens", fmt(sum("tokens"))),
          row("cost", fmt(sum("cost"), 4)),
          row("latency ms", fmt(sum("latencyMs"))),
          row("by kind", [...kinds].map(([k, c]) => `${k} ${c}`).join(", ")),
        ),
      ),
    );
  }

  async function showLineage(from: string, to: string, mine: number): Promise<void> {
    try {
      const d = await gql<{ lineage: { direction: string | null; depth: number; paths: { nodeIds: string[]; length: number; edges: GraphEdge[] }[] } }>(LINEAGE, { from, to });
      if (mine !== asked) return;
      const l = d.lineage;
      const ids = [...new Set(l.paths.flatMap((p) => p.nodeIds))];
      const edges = l.paths.flatMap((p) => p.edges);
      graph.path(ids.length ? ids : [from, to], edges);
      clear(
        details,
        h("h2", { id: "details-title" }, "Lineage"),
        h(
          "p",
          { id: "lineage-summary" },
          l.paths.length
            ? `${l.paths.length} path(s) ${l.direction === "downstream" ? `${from} → ${to}` : `${to} → ${from}`}, shortest ${Math.min(...l.paths.map((p) => p.length))} hops`
            : `No path between ${from} and ${to} within depth ${l.depth}.`,
        ),
        h("ol", {}, l.paths.slice(0, 20).map((p) => h("li", {}, (l.direction === "upstream" ? [...p.nodeIds].reverse() : p.nodeIds).join(" → ")))),
      );
    } catch (err) {
      status(err instanceof Error ? err.message : String(err), "error");
    }
  }

  graph.onTap(
    (id, shift) => void select(id, shift),
    () => {
      selected = null;
      target = null;
      graph.clearMarks();
      clear(details, hint());
      syncUrl();
    },
  );
  const reselect = (): void => {
    depth = Math.max(1, Number(depthInput.value) || 3);
    dir = dirSelect.value;
    syncUrl();
    if (selected && !target) void select(selected, false);
  };
  depthInput.addEventListener("change", reselect);
  dirSelect.addEventListener("change", reselect);

  if (selected) {
    const first = selected;
    const second = target;
    await select(first, false);
    if (second) await select(second, true);
  }

  // Live: nodes and edges as they are recorded, and status changes.
  stops.push(
    subscribe<{ runElementsAdded: { nodes: GraphNode[]; edges: GraphEdge[] } }>(
      ELEMENTS_ADDED,
      { id: runId },
      (d) => {
        const added = graph.add(d.runElementsAdded.nodes, d.runElementsAdded.edges);
        canvas.dataset.nodes = String(graph.size().nodes);
        showSummary(run);
        liveEl.textContent = `live: +${added.length} nodes`;
        status(`Run ${runId}: ${added.length} new node(s): ${short(added.join(", "), 60)}`, "live");
      },
      (message) => {
        liveEl.textContent = `live: ${message}`;
      },
    ),
  );
  stops.push(
    subscribe<{ runStatusChanged: RunInfo }>(STATUS_CHANGED, { id: runId }, (d) => {
      Object.assign(run, d.runStatusChanged);
      showSummary(run);
    }),
  );
  let connections = 0;
  stops.push(
    onConnected(() => {
      connections += 1;
      liveEl.textContent = "live";
      liveEl.classList.add("ok");
      canvas.dataset.live = "connected";
      // After a reconnect, catch up with what was recorded while the socket was down.
      if (connections > 1) {
        gql<typeof data>(subgraphQuery(light), { id: runId })
          .then((d) => graph.add(d.runSubgraph.nodes, d.runSubgraph.edges))
          .catch(() => undefined);
      }
    }),
  );
  return () => {
    stops.forEach((s) => s());
    graph.destroy();
    window.__explorer = {};
  };
}

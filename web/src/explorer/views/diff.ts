// Two runs side by side (runDiff): every difference marked, the first divergent step outlined.
import { h, clear, short } from "../dom";
import { gql } from "../gql";
import { RunGraph, type GraphEdge, type GraphNode } from "../graph";
import { showError, status } from "../shell";
import { legend } from "./run";

export const DIFF = `query Diff($a: String!, $b: String!) {
  runDiff(runId: $a, otherRunId: $b) {
    identical firstDivergentStep stepsCompared
    run { runId status nodeCount } otherRun { runId status nodeCount }
    differences { class step kind nodeId otherNodeId content otherContent }
  }
  left: runSubgraph(runId: $a) { truncated nodes { nodeId kind step text toolName toolStatus error } edges { kind source target } }
  right: runSubgraph(runId: $b) { truncated nodes { nodeId kind step text toolName toolStatus error } edges { kind source target } }
}`;

interface Difference {
  class: string;
  step: number;
  kind: string | null;
  nodeId: string | null;
  otherNodeId: string | null;
  content: string | null;
  otherContent: string | null;
}

interface Sub {
  truncated: boolean;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export async function renderDiff(view: HTMLElement, params: URLSearchParams): Promise<() => void> {
  const a = params.get("run") ?? "";
  const b = params.get("other") ?? "";
  status(`Comparing ${a} with ${b}…`);
  let d: {
    runDiff: {
      identical: boolean;
      firstDivergentStep: number | null;
      stepsCompared: number;
      run: { runId: string; status: string | null; nodeCount: number };
      otherRun: { runId: string; status: string | null; nodeCount: number };
      differences: Difference[];
    };
    left: Sub;
    right: Sub;
  };
  try {
    d = await gql(DIFF, { a, b });
  } catch (err) {
    showError(view, err, () => void renderDiff(view, params));
    return () => undefined;
  }
  const diff = d.runDiff;
  const leftEl = h("div", { class: "graph half", id: "graph-left" });
  const rightEl = h("div", { class: "graph half", id: "graph-right" });
  const rows = diff.differences.map((x, i) =>
    h(
      "tr",
      { class: `diff-row${x.step === diff.firstDivergentStep ? " first" : ""}`, "data-index": i },
      h("td", {}, x.class),
      h("td", {}, x.step),
      h("td", {}, x.kind ?? ""),
      h("td", {}, x.nodeId ?? "—"),
      h("td", { title: x.content ?? "" }, short(x.content, 60)),
      h("td", {}, x.otherNodeId ?? "—"),
      h("td", { title: x.otherContent ?? "" }, short(x.otherContent, 60)),
    ),
  );
  clear(
    view,
    h(
      "div",
      { class: "toolbar" },
      h(
        "div",
        { class: "run-summary", id: "diff-summary" },
        h("strong", {}, `${diff.run.runId} ⇄ ${diff.otherRun.runId}`),
        diff.identical
          ? h("span", { class: "badge ok", id: "diff-verdict" }, "identical")
          : h("span", { class: "badge bad", id: "diff-verdict" }, `first divergent step: ${diff.firstDivergentStep ?? "–"}`),
        h("span", {}, `${diff.stepsCompared} steps compared · ${diff.differences.length} differences`),
      ),
    ),
    legend(),
    h(
      "div",
      { class: "sides" },
      h("div", { class: "side" }, h("h3", {}, diff.run.runId), leftEl),
      h("div", { class: "side" }, h("h3", {}, diff.otherRun.runId), rightEl),
    ),
    h(
      "table",
      { class: "diff-table", id: "differences" },
      h("thead", {}, h("tr", {}, ["class", "step", "kind", "node", "content", "other node", "other content"].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows),
    ),
  );
  const left = new RunGraph(leftEl, d.left.nodes, d.left.edges);
  const right = new RunGraph(rightEl, d.right.nodes, d.right.edges);
  window.__explorer = { graphs: [left, right] };
  const stepsOnly = diff.differences.filter((x) => !x.nodeId && !x.otherNodeId).map((x) => x.step);
  left.mark(diff.differences.flatMap((x) => (x.nodeId ? [x.nodeId] : [])), "diff");
  right.mark(diff.differences.flatMap((x) => (x.otherNodeId ? [x.otherNodeId] : [])), "diff");
  for (const step of stepsOnly) {
    left.markStep(step, "diff");
    right.markStep(step, "diff");
  }
  if (diff.firstDivergentStep !== null) {
    left.markStep(diff.firstDivergentStep, "divergent");
    right.markStep(diff.firstDivergentStep, "divergent");
  }
  rows.forEach((row, i) =>
    row.addEventListener("click", () => {
      const x = diff.differences[i];
      rows.forEach((r) => r.classList.toggle("picked", r === row));
      if (x.nodeId) left.focus([x.nodeId]);
      if (x.otherNodeId) right.focus([x.otherNodeId]);
    }),
  );
  leftEl.dataset.state = "drawn";
  rightEl.dataset.state = "drawn";
  status(diff.identical ? "The runs are identical." : `${diff.differences.length} differences; first divergent step ${diff.firstDivergentStep}`);
  return () => {
    left.destroy();
    right.destroy();
    window.__explorer = {};
  };
}

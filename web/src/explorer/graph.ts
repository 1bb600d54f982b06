// A run drawn with Cytoscape.js: one column per step, the step's nodes in rows (positions are
// computed here, "preset" layout, so 5,000 nodes draw without a force simulation).
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from "cytoscape";

export interface GraphNode {
  nodeId: string;
  kind: string;
  step: number;
  text?: string | null;
  toolName?: string | null;
  toolStatus?: string | null;
  error?: string | null;
}

export interface GraphEdge {
  kind: string;
  source: string;
  target: string;
}

export const KIND_COLOURS: Record<string, string> = {
  INPUT: "#4e79a7",
  DECISION: "#f28e2b",
  TOOL_CALL: "#e15759",
  TOOL_RESULT: "#76b7b2",
  MEMORY_FACT: "#59a14f",
  OBSERVATION: "#edc948",
  OUTPUT: "#b07aa1",
};

const COLUMN = 170;
const ROW = 60;
/** Runs larger than this draw lighter (see `style`). */
export const BIG = 1500;

function label(n: GraphNode): string {
  const what = n.toolName ?? n.text ?? "";
  const brief = what.length > 18 ? `${what.slice(0, 17)}…` : what;
  return brief ? `${n.nodeId}\n${brief}` : n.nodeId;
}

/** Edges are drawn as recorded: `source -kind-> target` (INFLUENCED, TRIGGERED, PRODUCED, ...). */
function edgeId(e: GraphEdge): string {
  return `${e.source}|${e.kind}|${e.target}`;
}

export class RunGraph {
  readonly cy: Core;
  private rows = new Map<number, number>();
  private columns = new Map<number, number>();
  private large: boolean;
  private perBand: number;
  private bandHeight: number;

  constructor(container: HTMLElement, nodes: GraphNode[], edges: GraphEdge[]) {
    this.large = nodes.length > BIG;
    // Steps are columns, left to right. A run with many steps wraps its columns into bands
    // (rows of columns) so that the whole run fits a screen instead of a thin strip.
    const perStep = new Map<number, number>();
    nodes.forEach((n) => perStep.set(n.step, (perStep.get(n.step) ?? 0) + 1));
    const tallest = Math.max(1, ...perStep.values());
    this.bandHeight = (tallest + 1.5) * ROW;
    const steps = perStep.size;
    this.perBand = Math.max(30, Math.ceil(Math.sqrt((1.6 * steps * this.bandHeight) / COLUMN)));
    [...perStep.keys()].sort((a, b) => a - b).forEach((step, i) => this.columns.set(step, i));
    const elements = this.elementsFor(nodes, edges);
    this.cy = cytoscape({
      container,
      elements,
      layout: { name: "preset", fit: true, padding: 30 },
      minZoom: 0.02,
      maxZoom: 3,
      boxSelectionEnabled: false,
      autoungrabify: this.large,
      textureOnViewport: this.large,
      hideEdgesOnViewport: this.large,
      pixelRatio: this.large ? 1 : "auto",
      style: this.style(),
    });
  }

  /** Large runs (over 1,500 nodes) draw lighter: no labels and straight arrowless edges except
   * on what is highlighted, so that 5,000 nodes open quickly. */
  private style(): cytoscape.StylesheetStyle[] {
    const large = this.large;
    const marked = "node.origin, node.ancestor, node.descendant, node.path, node.diff, node.fresh";
    const markedEdges = "edge.ancestor, edge.descendant, edge.path";
    return [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          label: large ? "" : "data(label)",
          "font-size": 9,
          "text-wrap": "wrap",
          "text-valign": "bottom",
          "text-margin-y": 3,
          "min-zoomed-font-size": 7,
          width: 22,
          height: 22,
          "border-width": 1,
          "border-color": "#333",
        },
      },
      { selector: "node.error", style: { shape: "diamond" } },
      {
        selector: "edge",
        style: {
          width: 1.2,
          "line-color": "#9aa",
          "target-arrow-color": "#9aa",
          "target-arrow-shape": large ? "none" : "triangle",
          "arrow-scale": 0.8,
          "curve-style": large ? "haystack" : "bezier",
          label: large ? "" : "data(kind)",
          "font-size": 7,
          color: "#556",
          "text-rotation": "autorotate",
          "text-background-color": "#fff",
          "text-background-opacity": 0.8,
          "min-zoomed-font-size": 8,
        },
      },
      { selector: marked, style: { label: "data(label)" } },
      {
        selector: markedEdges,
        style: { label: "data(kind)", "curve-style": "straight", "target-arrow-shape": "triangle" },
      },
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: "node.origin", style: { "border-width": 4, "border-color": "#000" } },
      { selector: "node.ancestor", style: { "border-width": 4, "border-color": "#1f77b4" } },
      { selector: "node.descendant", style: { "border-width": 4, "border-color": "#2ca02c" } },
      {
        selector: "edge.ancestor",
        style: { width: 2.5, "line-color": "#1f77b4", "target-arrow-color": "#1f77b4" },
      },
      {
        selector: "edge.descendant",
        style: { width: 2.5, "line-color": "#2ca02c", "target-arrow-color": "#2ca02c" },
      },
      { selector: "node.path", style: { "border-width": 5, "border-color": "#d62728" } },
      {
        selector: "edge.path",
        style: { width: 4, "line-color": "#d62728", "target-arrow-color": "#d62728", "z-index": 10 },
      },
      {
        selector: "node.diff",
        style: { "border-width": 5, "border-color": "#d62728", shape: "round-rectangle" },
      },
      { selector: "node.divergent", style: { "border-style": "double", "border-width": 7 } },
      { selector: "node.fresh", style: { "border-width": 4, "border-color": "#17becf" } },
      {
        selector: "node.mismatch",
        style: { "border-width": 4, "border-color": "#ff00ff", "border-style": "dashed" },
      },
    ];
  }

  private elementsFor(nodes: GraphNode[], edges: GraphEdge[]): ElementDefinition[] {
    const out: ElementDefinition[] = [];
    const known = new Set(this.cyIds());
    const sorted = [...nodes].sort((a, b) => a.step - b.step || (a.nodeId < b.nodeId ? -1 : 1));
    for (const n of sorted) {
      if (known.has(n.nodeId)) continue;
      known.add(n.nodeId);
      const row = this.rows.get(n.step) ?? 0;
      this.rows.set(n.step, row + 1);
      out.push({
        group: "nodes",
        data: { id: n.nodeId, kind: n.kind, step: n.step, colour: KIND_COLOURS[n.kind] ?? "#999", label: label(n) },
        position: this.position(n.step, row),
        classes: n.error || n.toolStatus === "error" ? "error" : "",
      });
    }
    const seen = new Set<string>();
    for (const e of edges) {
      if (!known.has(e.source) || !known.has(e.target) || seen.has(edgeId(e))) continue;
      seen.add(edgeId(e));
      out.push({ group: "edges", data: { id: edgeId(e), source: e.source, target: e.target, kind: e.kind } });
    }
    return out;
  }

  private position(step: number, row: number): { x: number; y: number } {
    let column = this.columns.get(step);
    if (column === undefined) {
      column = this.columns.size;
      this.columns.set(step, column);
    }
    const band = Math.floor(column / this.perBand);
    return { x: (column % this.perBand) * COLUMN, y: band * this.bandHeight + row * ROW };
  }

  private cyIds(): string[] {
    // Before the Core exists (constructor) there is nothing drawn yet.
    return (this as { cy?: Core }).cy ? this.cy.nodes().map((n) => n.id()) : [];
  }

  /** Nodes and edges that arrived live; returns the ids of the nodes added. */
  add(nodes: GraphNode[], edges: GraphEdge[]): string[] {
    const fresh = this.elementsFor(nodes, edges).filter((e) => this.cy.getElementById(String(e.data.id)).empty());
    if (!fresh.length) return [];
    this.cy.nodes(".fresh").removeClass("fresh");
    const added = this.cy.add(fresh);
    added.nodes().addClass("fresh");
    this.cy.fit(undefined, 30);
    return added.nodes().map((n) => n.id());
  }

  onTap(handler: (id: string, shift: boolean) => void, background: () => void): void {
    this.cy.on("tap", "node", (evt) => {
      const original = evt.originalEvent as MouseEvent | undefined;
      handler((evt.target as NodeSingular).id(), Boolean(original?.shiftKey));
    });
    this.cy.on("tap", (evt) => {
      if (evt.target === this.cy) background();
    });
  }

  clearMarks(): void {
    this.cy.batch(() => {
      this.cy.elements().removeClass("faded origin ancestor descendant path");
    });
  }

  /** Fade everything but the origin, its ancestors (up) and descendants (down). */
  highlight(origin: string, ancestors: Iterable<string>, descendants: Iterable<string>): void {
    const up = new Set(ancestors);
    const down = new Set(descendants);
    this.cy.batch(() => {
      this.cy.elements().removeClass("origin ancestor descendant path").addClass("faded");
      const keep = (id: string, cls: string): void => {
        this.cy.getElementById(id).removeClass("faded").addClass(cls);
      };
      keep(origin, "origin");
      up.forEach((id) => keep(id, "ancestor"));
      down.forEach((id) => keep(id, "descendant"));
      const upAll = new Set([...up, origin]);
      const downAll = new Set([...down, origin]);
      this.cy.edges().forEach((e) => {
        const s = e.source().id();
        const t = e.target().id();
        if (upAll.has(s) && upAll.has(t) && up.size) e.removeClass("faded").addClass("ancestor");
        else if (downAll.has(s) && downAll.has(t) && down.size) e.removeClass("faded").addClass("descendant");
      });
    });
  }

  /** Mark lineage paths (node id lists and their edges, as the server returns them). */
  path(nodeIds: string[], edges: GraphEdge[]): void {
    this.cy.batch(() => {
      this.cy.elements().removeClass("origin ancestor descendant path").addClass("faded");
      nodeIds.forEach((id) => this.cy.getElementById(id).removeClass("faded").addClass("path"));
      edges.forEach((e) => this.cy.getElementById(edgeId(e)).removeClass("faded").addClass("path"));
    });
  }

  mark(ids: Iterable<string>, cls: string): void {
    this.cy.batch(() => {
      for (const id of ids) this.cy.getElementById(id).addClass(cls);
    });
  }

  markStep(step: number, cls: string): void {
    this.cy.nodes().filter((n) => n.data("step") === step).addClass(cls);
  }

  focus(ids: string[]): void {
    const els = this.cy.collection();
    ids.forEach((id) => els.merge(this.cy.getElementById(id)));
    if (els.nonempty()) this.cy.animate({ center: { eles: els }, zoom: 1.2, duration: 250 });
  }

  size(): { nodes: number; edges: number } {
    return { nodes: this.cy.nodes().length, edges: this.cy.edges().length };
  }

  destroy(): void {
    this.cy.destroy();
  }
}

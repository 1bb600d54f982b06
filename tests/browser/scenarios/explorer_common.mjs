// Helpers shared by the explorer scenarios.

/** Click a drawn node where Cytoscape drew it (a real mouse click on the canvas). */
export async function clickNode(page, id, { shift = false, graph = "graph" } = {}) {
  const pos = await page.evaluate(
    ([nodeId, which]) => {
      const g = which === "graph" ? window.__explorer.graph : window.__explorer.graphs[which === "left" ? 0 : 1];
      const node = g.cy.getElementById(nodeId);
      const p = node.renderedPosition();
      const box = g.cy.container().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    },
    [id, graph],
  );
  if (shift) await page.keyboard.down("Shift");
  await page.mouse.click(pos.x, pos.y);
  if (shift) await page.keyboard.up("Shift");
}

/** Ids of the drawn nodes carrying a class. */
export async function withClass(page, cls, which = "graph") {
  return page.evaluate(
    ([c, w]) => {
      const g = w === "graph" ? window.__explorer.graph : window.__explorer.graphs[w === "left" ? 0 : 1];
      return g.cy.nodes(`.${c}`).map((n) => n.id()).sort();
    },
    [cls, which],
  );
}

export async function drawnSize(page) {
  return page.evaluate(() => ({
    nodes: window.__explorer.graph.cy.nodes().length,
    edges: window.__explorer.graph.cy.edges().length,
  }));
}

/** page.waitForFunction evaluates a string in the page, which the page's CSP (no unsafe-eval)
 * refuses; poll with page.evaluate instead. */
export async function waitUntil(page, fn, arg = null, timeout = 20000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(fn, arg)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${fn}`);
    await page.waitForTimeout(100);
  }
}

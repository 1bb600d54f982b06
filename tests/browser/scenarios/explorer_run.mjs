// Open a run from the runs view, click a node (ancestors/descendants), change the depth,
// shift-click a second node (lineage path), then reload the URL into the same view.
import { clickNode, drawnSize, waitUntil, withClass } from "./explorer_common.mjs";

export async function run({ page, base, args, shot }) {
  await page.goto(`${base}/explore`, { waitUntil: "load" });
  await page.waitForSelector("#open-run #run-id", { timeout: 20000 });
  // Without the runs query (another branch adds it) the list says so; with it, the list shows.
  const runsList = await page.locator("#no-runs-list, #runs-table").count();
  await shot("runs");
  await page.fill("#run-id", args.run);
  await page.click("#open-run button[type=submit]");
  await page.waitForSelector("#graph[data-state=drawn]", { timeout: 20000 });
  const size = await drawnSize(page);
  const legend = await page.locator("#legend .legend-item").count();
  await page.waitForSelector("#verification.ok", { timeout: 20000 });
  await shot("drawn");

  await clickNode(page, args.node);
  await page.waitForSelector("#ancestor-count", { timeout: 20000 });
  const ancestors = await withClass(page, "ancestor");
  const descendants = await withClass(page, "descendant");
  const ancestorText = await page.innerText("#ancestor-count");
  const detailsText = await page.innerText("#details");
  await shot("ancestors");

  await page.fill("#depth", "1");
  await page.dispatchEvent("#depth", "change");
  await waitUntil(page, () => window.__explorer.graph.cy.nodes(".ancestor").length === 1, null);
  const ancestorsDepth1 = await withClass(page, "ancestor");

  await clickNode(page, args.other, { shift: true });
  await page.waitForSelector("#lineage-summary", { timeout: 20000 });
  const pathNodes = await withClass(page, "path");
  const lineageText = await page.innerText("#lineage-summary");
  await shot("lineage");

  const url = page.url();
  await page.goto("about:blank");
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("#lineage-summary", { timeout: 20000 });
  const reloadedPath = await withClass(page, "path");
  await shot("reloaded");
  return {
    title: await page.title(),
    runsList,
    drawnNodes: size.nodes,
    drawnEdges: size.edges,
    legend,
    ancestors,
    descendants,
    ancestorText,
    detailsText,
    ancestorsDepth1,
    pathNodes,
    lineageText,
    url,
    reloadedPath,
  };
}

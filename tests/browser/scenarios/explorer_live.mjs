import { waitUntil } from "./explorer_common.mjs";
// Watch a running run: record another slice while the page is open; the new node appears.

export async function run({ page, base, args, shot }) {
  await page.goto(`${base}/explore#view=run&run=${encodeURIComponent(args.run)}`, { waitUntil: "load" });
  await page.waitForSelector("#graph[data-state=drawn][data-live=connected]", { timeout: 20000 });
  const before = Number(await page.getAttribute("#graph", "data-nodes"));
  await shot("before");
  // The subscription is sent right after the socket's ack; give the server a moment to start it.
  await page.waitForTimeout(500);
  const answer = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: args.record, variables: { input: args.slice } }),
  });
  const body = await answer.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  await waitUntil(page, (n) => Number(document.querySelector("#graph").dataset.nodes) > n, before);
  await waitUntil(page, () => document.querySelector("#run-status")?.textContent === "SUCCEEDED", null);
  await page.waitForTimeout(300);
  await shot("after");
  return {
    before,
    after: Number(await page.getAttribute("#graph", "data-nodes")),
    fresh: await page.evaluate(() => window.__explorer.graph.cy.nodes(".fresh").map((n) => n.id())),
    status: await page.innerText("#run-status"),
  };
}

// Time to open and draw a large run (measured and reported, not asserted): the first open (the
// engine's caches cold for this run) and a second open of the same URL after going back to the
// runs view.
async function open(page, runId) {
  const started = Date.now();
  await page.evaluate((id) => {
    window.location.hash = `view=run&run=${encodeURIComponent(id)}`;
  }, runId);
  await page.waitForSelector("#graph[data-state=drawn]", { timeout: 120000 });
  const openMs = Date.now() - started;
  return { openMs, ...(await page.evaluate(() => window.__explorer.timing)) };
}

export async function run({ page, base, args, shot }) {
  await page.goto(`${base}/explore`, { waitUntil: "load" });
  await page.waitForSelector("#open-run", { timeout: 20000 });
  const first = await open(page, args.run);
  await shot("big");
  await page.evaluate(() => {
    window.location.hash = "view=runs";
  });
  await page.waitForSelector("#open-run", { timeout: 20000 });
  const second = await open(page, args.run);
  return { first, second };
}

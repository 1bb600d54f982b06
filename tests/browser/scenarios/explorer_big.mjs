// Time to open and draw a large run (measured and reported, not asserted).
export async function run({ page, base, args, shot }) {
  await page.goto(`${base}/explore`, { waitUntil: "load" });
  await page.waitForSelector("#open-run", { timeout: 20000 });
  const started = Date.now();
  await page.evaluate((id) => {
    window.location.hash = `view=run&run=${encodeURIComponent(id)}`;
  }, args.run);
  await page.waitForSelector("#graph[data-state=drawn]", { timeout: 120000 });
  const openMs = Date.now() - started;
  const timing = await page.evaluate(() => window.__explorer.timing);
  await shot("big");
  return { openMs, ...timing };
}

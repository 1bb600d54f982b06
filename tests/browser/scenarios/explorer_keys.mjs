// A server that requires API keys: the explorer asks for one, keeps it in sessionStorage, sends
// it as a Bearer header and in the subscription's connection_init (live updates still arrive).
export async function run({ page, base, args, shot }) {
  await page.goto(`${base}/explore#view=run&run=${encodeURIComponent(args.run)}`, { waitUntil: "load" });
  await page.waitForSelector("#key-form #api-key", { timeout: 20000 });
  await shot("asked");
  await page.fill("#api-key", args.key);
  await page.click("#key-form button[type=submit]");
  await page.waitForSelector("#graph[data-state=drawn][data-live=connected]", { timeout: 20000 });
  const before = Number(await page.getAttribute("#graph", "data-nodes"));
  await page.waitForTimeout(500);
  const answer = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${args.key}` },
    body: JSON.stringify({ query: args.record, variables: { input: args.slice } }),
  });
  const body = await answer.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  const deadline = Date.now() + 20000;
  while (Number(await page.getAttribute("#graph", "data-nodes")) <= before) {
    if (Date.now() > deadline) throw new Error("the new node did not appear");
    await page.waitForTimeout(100);
  }
  await shot("live");
  return {
    before,
    after: Number(await page.getAttribute("#graph", "data-nodes")),
    stored: await page.evaluate(() => window.sessionStorage.getItem("provgraph:apiKey")),
    forget: await page.locator("#forget-key").count(),
  };
}

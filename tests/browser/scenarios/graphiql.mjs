// GraphiQL loads from provgraph alone and runs a query.
export async function run({ page, base, shot }) {
  await page.goto(`${base}/graphql?q=${encodeURIComponent("{ serverInfo { version engine } }")}`, {
    waitUntil: "load",
  });
  await page.waitForSelector(".graphiql-container .graphiql-query-editor", { timeout: 20000 });
  await page.waitForSelector(".graphiql-execute-button", { timeout: 20000 });
  await shot("loaded");
  await page.click(".graphiql-execute-button");
  const response = page.locator(".graphiql-response .CodeMirror");
  await response.filter({ hasText: "serverInfo" }).waitFor({ timeout: 20000 });
  const text = await response.innerText();
  await shot("answered");
  return { responseText: text, title: await page.title() };
}

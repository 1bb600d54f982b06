// Drives Debian's chromium (headless) through playwright-core for tests/browser/*.py.
// usage: node drive.mjs <scenario> <base url> <artifacts dir> [JSON args]
// Every request to a host other than the loopback is aborted and recorded; console errors,
// page errors and failed requests are recorded; the scenario's result and all of these are
// printed as one JSON object on stdout.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [scenarioName, base, artifacts, rawArgs] = process.argv.slice(2);
const args = rawArgs ? JSON.parse(rawArgs) : {};
mkdirSync(artifacts, { recursive: true });
const { run } = await import(`./scenarios/${scenarioName}.mjs`);

const browser = await chromium.launch({
  executablePath: process.env.PROVGRAPH_CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
const report = { consoleErrors: [], pageErrors: [], blocked: [], failed: [], screenshots: [] };
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    if (!local && url.protocol !== "data:" && url.protocol !== "blob:") {
      report.blocked.push(url.toString());
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error") report.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => report.pageErrors.push(String(err)));
  page.on("requestfailed", (req) => report.failed.push(`${req.url()} ${req.failure()?.errorText}`));
  const shot = async (name) => {
    const path = join(artifacts, `${scenarioName}-${name}.png`);
    await page.screenshot({ path, fullPage: false });
    report.screenshots.push(path);
    return path;
  };
  report.result = await run({ page, context, base, args, shot });
  report.ok = true;
} catch (err) {
  report.ok = false;
  report.error = String(err?.stack ?? err);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");

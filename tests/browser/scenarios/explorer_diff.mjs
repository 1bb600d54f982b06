// Two runs side by side: the differences and the first divergent step marked.
import { withClass } from "./explorer_common.mjs";

export async function run({ page, base, args, shot }) {
  await page.goto(`${base}/explore`, { waitUntil: "load" });
  await page.waitForSelector("#diff-form", { timeout: 20000 });
  await page.fill("#diff-a", args.run);
  await page.fill("#diff-b", args.other);
  await page.click("#diff-form button[type=submit]");
  await page.waitForSelector("#graph-right[data-state=drawn]", { timeout: 20000 });
  await page.waitForSelector("#differences tbody tr");
  await shot("diff");
  await page.click("#differences tbody tr.first");
  await page.waitForTimeout(400);
  await shot("focused");
  return {
    verdict: await page.innerText("#diff-verdict"),
    rows: await page.locator("#differences tbody tr").count(),
    leftMarked: await withClass(page, "diff", "left"),
    rightMarked: await withClass(page, "diff", "right"),
    leftDivergent: await withClass(page, "divergent", "left"),
    url: page.url(),
  };
}

import { waitUntil } from "./explorer_common.mjs";
// The task board: ready and blocked columns, a task's dependency tree, who did what.

export async function run({ page, base, args, shot }) {
  await page.goto(`${base}/explore`, { waitUntil: "load" });
  await page.waitForSelector("#nav-tasks", { timeout: 20000 });
  await page.click("#nav-tasks");
  await page.waitForSelector("#ready[data-state=loaded]", { timeout: 20000 });
  await page.fill("#namespace", args.namespace);
  await page.click("form.toolbar button[type=submit]");
  await waitUntil(page, () => document.querySelectorAll("#blocked .card").length >= 2, null);
  await page.click(`#blocked .card[data-task="${args.task}"]`);
  await page.waitForSelector("#tree ul.tree li li", { timeout: 20000 });
  await shot("board");
  const titles = (sel) => page.locator(`${sel} .card-title`).allInnerTexts();
  return {
    ready: await titles("#ready"),
    blocked: await titles("#blocked"),
    tree: await page.evaluate(() =>
      [...document.querySelectorAll("#tree .tree-task")].map((e) => e.firstChild.textContent.trim()),
    ),
    who: await page.innerText("#who"),
    url: page.url(),
  };
}

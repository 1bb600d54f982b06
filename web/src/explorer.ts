// provgraph's lineage explorer (/explore): runs, a run's graph by step, lineage, diffs, the task
// board, live updates. Bundled from npm (Cytoscape.js, graphql-ws) by web/build.mjs; served by
// provgraph from the wheel, so it works offline under the page CSP (no inline script).
import { h, clear } from "./explorer/dom";
import { AuthRequired, capabilities, type Capabilities } from "./explorer/gql";
import { current, href } from "./explorer/route";
import { keyForm, renderKeyButton, showError } from "./explorer/shell";
import { renderDiff } from "./explorer/views/diff";
import { renderRun } from "./explorer/views/run";
import { renderRuns } from "./explorer/views/runs";
import { renderTasks } from "./explorer/views/tasks";
import "./explorer.css";

const view = document.getElementById("view") as HTMLElement;
const nav = document.getElementById("nav") as HTMLElement;
let caps: Capabilities | null = null;
let teardown: () => void = () => undefined;
let generation = 0;

function renderNav(active: string): void {
  clear(
    nav,
    h("a", { href: href("runs"), class: active === "runs" ? "active" : "", id: "nav-runs" }, "Runs"),
    h("a", { href: href("tasks"), class: active === "tasks" ? "active" : "", id: "nav-tasks" }, "Tasks"),
    h("a", { href: "/graphql" }, "GraphiQL"),
  );
}

async function render(): Promise<void> {
  const mine = ++generation;
  teardown();
  teardown = () => undefined;
  const route = current();
  renderNav(route.view === "tasks" ? "tasks" : "runs");
  renderKeyButton();
  // Each rendering gets its own host: a slower, superseded one draws into a detached element.
  const host = h("div", { class: "host" });
  clear(view, host);
  try {
    caps ??= await capabilities();
  } catch (err) {
    if (err instanceof AuthRequired) keyForm(host, err.message, () => void render());
    else showError(host, err, () => void render());
    return;
  }
  let stop: () => void;
  switch (route.view) {
    case "run":
      stop = await renderRun(host, route.params);
      break;
    case "diff":
      stop = await renderDiff(host, route.params);
      break;
    case "tasks":
      stop = await renderTasks(host, route.params);
      break;
    default:
      stop = await renderRuns(host, route.params, caps);
  }
  if (mine === generation) teardown = stop;
  else stop();
  document.body.dataset.view = route.view;
}

window.addEventListener("hashchange", () => void render());
void render();

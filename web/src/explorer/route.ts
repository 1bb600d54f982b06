// One URL per view, in the hash so that reloading or sharing it opens the same view:
//   #view=runs[&<filter>=<value>...]          runs list (filters as in RunFilterInput)
//   #view=run&run=<id>[&node=<id>][&to=<id>][&dir=up|down|both][&depth=<n>]
//   #view=diff&run=<id>&other=<id>
//   #view=tasks[&namespace=<ns>][&task=<id>]
export type View = "runs" | "run" | "diff" | "tasks";

export interface Route {
  view: View;
  params: URLSearchParams;
}

const VIEWS: View[] = ["runs", "run", "diff", "tasks"];

export function current(): Route {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const view = params.get("view") as View | null;
  params.delete("view");
  return { view: view && VIEWS.includes(view) ? view : "runs", params };
}

export function href(view: View, params: Record<string, string | number | null | undefined> = {}): string {
  const out = new URLSearchParams({ view });
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== "") out.set(k, String(v));
  }
  return `#${out.toString()}`;
}

/** Navigate (a new history entry, the view re-renders). */
export function go(view: View, params: Record<string, string | number | null | undefined> = {}): void {
  window.location.hash = href(view, params);
}

/** Record the view's state in the URL without re-rendering it. */
export function replace(view: View, params: Record<string, string | number | null | undefined>): void {
  window.history.replaceState(null, "", href(view, params));
}

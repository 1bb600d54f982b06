// The task board: ready and blocked tasks, a task's dependency tree, and who (agent) did what.
import { h, clear, short } from "../dom";
import { gql, subscribe } from "../gql";
import { replace } from "../route";
import { showError, status } from "../shell";

const TASK_FIELDS = `nativeId title status priority type phase owner labels
  relations(kinds: [ATTRIBUTED_TO, GENERATED_BY], first: 10) { edges { node { kind source target } } }`;

export const BOARD = `query Board($ns: String) {
  ready: readyTasks(namespace: $ns, first: 100) { totalCount edges { node { ${TASK_FIELDS} } } }
  blocked: blockedTasks(namespace: $ns, first: 100) { totalCount edges { node { ${TASK_FIELDS} } } }
  agents(first: 100) { edges { node { nativeId agentKind
    ... on HumanAgent { name } ... on SoftwareAgent { name version } ... on MlAgent { provider model role } } } }
  activities(first: 200) { edges { node { nativeId agentId phase stage notes startedAt endedAt } } }
}`;

export const TREE = `query Tree($id: String!) {
  dependencyTree(taskId: $id) { depth truncated root { nativeId title status priority }
    tasks { distance parentId task { nativeId title status priority } } }
}`;

export const TASK_CHANGED = `subscription Changed { taskChanged { change task { nativeId } } }`;

interface TaskCard {
  nativeId: string;
  title: string;
  status: string;
  priority: number;
  type: string;
  phase: string;
  owner: string | null;
  labels: string[];
  relations: { edges: { node: { kind: string; source: string; target: string } }[] };
}

interface AgentInfo {
  nativeId: string;
  agentKind: string;
  name?: string;
  version?: string | null;
  provider?: string;
  model?: string;
  role?: string;
}

interface ActivityInfo {
  nativeId: string;
  agentId: string | null;
  phase: string;
  stage: string;
  notes: string | null;
  startedAt: string;
  endedAt: string | null;
}

interface Brief {
  nativeId: string;
  title: string;
  status: string;
  priority: number;
}

function agentName(a: AgentInfo | undefined, id: string): string {
  if (!a) return id;
  if (a.name) return `${a.name}${a.version ? ` ${a.version}` : ""} (${a.agentKind.toLowerCase()})`;
  if (a.model) return `${a.provider}/${a.model} ${a.role?.toLowerCase() ?? ""} (ml)`;
  return id;
}

export async function renderTasks(view: HTMLElement, params: URLSearchParams): Promise<() => void> {
  let namespace = params.get("namespace") ?? "";
  let picked = params.get("task");
  const nsInput = h("input", { type: "text", id: "namespace", placeholder: "namespace (all)", value: namespace, size: 30 });
  const ready = h("div", { class: "column", id: "ready" });
  const blocked = h("div", { class: "column", id: "blocked" });
  const tree = h("div", { class: "panel", id: "tree" }, h("p", { class: "hint" }, "Pick a task for its dependency tree."));
  const who = h("div", { class: "panel", id: "who" });
  const form = h("form", { class: "toolbar" }, h("label", {}, "Namespace ", nsInput), " ", h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    namespace = nsInput.value.trim();
    sync();
    void load();
  });
  clear(
    view,
    form,
    h("div", { class: "board" }, h("section", {}, h("h2", {}, "Ready"), ready), h("section", {}, h("h2", {}, "Blocked"), blocked), h("section", {}, h("h2", {}, "Dependency tree"), tree)),
    h("section", {}, h("h2", {}, "Who did what"), who),
  );
  const sync = (): void => replace("tasks", { namespace, task: picked });

  function card(t: TaskCard): HTMLElement {
    return h(
      "button",
      { type: "button", class: `card p${t.priority}${t.nativeId === picked ? " picked" : ""}`, "data-task": t.nativeId, onclick: () => { picked = t.nativeId; sync(); void showTree(t.nativeId); view.querySelectorAll(".card").forEach((c) => c.classList.toggle("picked", (c as HTMLElement).dataset.task === picked)); } },
      h("span", { class: "card-title" }, t.title),
      h("span", { class: "card-meta" }, `P${t.priority} · ${t.type.toLowerCase()} · ${t.status.toLowerCase()}${t.owner ? ` · ${t.owner}` : ""}`),
      t.labels.length ? h("span", { class: "card-meta" }, t.labels.join(", ")) : null,
    );
  }

  async function showTree(id: string): Promise<void> {
    try {
      const d = await gql<{ dependencyTree: { depth: number; truncated: boolean; root: Brief; tasks: { distance: number; parentId: string | null; task: Brief }[] } }>(TREE, { id });
      const t = d.dependencyTree;
      const children = new Map<string, Brief[]>();
      for (const r of t.tasks) {
        const parent = r.parentId ?? t.root.nativeId;
        children.set(parent, [...(children.get(parent) ?? []), r.task]);
      }
      const item = (b: Brief, seen: Set<string>): HTMLElement => {
        const kids = seen.has(b.nativeId) ? [] : (children.get(b.nativeId) ?? []);
        seen.add(b.nativeId);
        return h(
          "li",
          { "data-task": b.nativeId },
          h("span", { class: `tree-task status-${b.status.toLowerCase()}` }, `${b.title} `, h("small", {}, `${b.status.toLowerCase()} · P${b.priority}`)),
          kids.length ? h("ul", {}, kids.map((k) => item(k, seen))) : null,
        );
      };
      clear(
        tree,
        h("p", {}, t.tasks.length ? `Waits on ${t.tasks.length} task(s)${t.truncated ? " (more beyond the depth)" : ""}:` : "Waits on nothing."),
        h("ul", { class: "tree" }, item(t.root, new Set())),
      );
    } catch (err) {
      status(err instanceof Error ? err.message : String(err), "error");
    }
  }

  async function load(): Promise<void> {
    let d: {
      ready: { totalCount: number | null; edges: { node: TaskCard }[] };
      blocked: { totalCount: number | null; edges: { node: TaskCard }[] };
      agents: { edges: { node: AgentInfo }[] };
      activities: { edges: { node: ActivityInfo }[] };
    };
    try {
      d = await gql(BOARD, { ns: namespace || null });
    } catch (err) {
      showError(view, err, () => void renderTasks(view, params));
      return;
    }
    const readyTasks = d.ready.edges.map((e) => e.node);
    const blockedTasks = d.blocked.edges.map((e) => e.node);
    clear(ready, readyTasks.length ? readyTasks.map(card) : h("p", { class: "hint" }, "No ready task."));
    clear(blocked, blockedTasks.length ? blockedTasks.map(card) : h("p", { class: "hint" }, "No blocked task."));
    // Who did what: each agent's activities, and the tasks attributed to it or generated by
    // one of its activities.
    const agents = new Map(d.agents.edges.map((e) => [e.node.nativeId, e.node]));
    const acts = d.activities.edges.map((e) => e.node);
    const actAgent = new Map(acts.map((a) => [a.nativeId, a.agentId]));
    const tasksOf = new Map<string, TaskCard[]>();
    for (const t of [...readyTasks, ...blockedTasks]) {
      for (const { node: r } of t.relations.edges) {
        const agent = r.kind === "ATTRIBUTED_TO" ? r.target : actAgent.get(r.target);
        if (agent && !(tasksOf.get(agent) ?? []).includes(t)) tasksOf.set(agent, [...(tasksOf.get(agent) ?? []), t]);
      }
    }
    const ids = [...new Set([...acts.map((a) => a.agentId ?? "(no agent)"), ...tasksOf.keys()])].sort();
    clear(
      who,
      ids.length
        ? h(
            "table",
            { class: "who-table", id: "who-table" },
            h("thead", {}, h("tr", {}, h("th", {}, "agent"), h("th", {}, "activities"), h("th", {}, "open tasks"))),
            h(
              "tbody",
              {},
              ids.map((id) =>
                h(
                  "tr",
                  { "data-agent": id },
                  h("td", {}, agentName(agents.get(id), id)),
                  h("td", {}, h("ul", {}, acts.filter((a) => (a.agentId ?? "(no agent)") === id).map((a) => h("li", {}, `${a.phase.toLowerCase()} · ${a.stage.toLowerCase()}${a.notes ? `: ${short(a.notes, 60)}` : ""}`)))),
                  h("td", {}, h("ul", {}, (tasksOf.get(id) ?? []).map((t) => h("li", {}, t.title)))),
                ),
              ),
            ),
          )
        : h("p", { class: "hint" }, "No activity recorded."),
    );
    ready.dataset.state = "loaded";
    status(`${d.ready.totalCount ?? readyTasks.length} ready, ${d.blocked.totalCount ?? blockedTasks.length} blocked`);
    if (picked) await showTree(picked);
  }

  await load();
  let timer: number | undefined;
  const stop = subscribe(TASK_CHANGED, {}, () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void load(), 300);
  });
  return () => {
    window.clearTimeout(timer);
    stop();
  };
}

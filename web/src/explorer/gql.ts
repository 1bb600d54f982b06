// GraphQL over HTTP (POST /graphql) and graphql-transport-ws (subscriptions on /graphql), with the
// API key kept in sessionStorage: sent as `Authorization: Bearer` and in connection_init.
import { createClient, type Client } from "graphql-ws";

const KEY_STORAGE = "provgraph:apiKey";

export class AuthRequired extends Error {}

export class GraphQLFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export function apiKey(): string | null {
  try {
    return window.sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function setApiKey(key: string | null): void {
  if (key) window.sessionStorage.setItem(KEY_STORAGE, key);
  else window.sessionStorage.removeItem(KEY_STORAGE);
  void socket?.dispose();
  socket = null;
  connected = false;
}

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const AUTH_CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN"]);

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
  };
  const key = apiKey();
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch("/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  let body: Answer<T>;
  try {
    body = (await response.json()) as Answer<T>;
  } catch {
    throw new GraphQLFailure(`HTTP ${response.status}`, undefined);
  }
  const first = body.errors?.[0];
  if (response.status === 401 || (first && AUTH_CODES.has(first.extensions?.code ?? ""))) {
    throw new AuthRequired(first?.message ?? "an API key is required");
  }
  if (first) throw new GraphQLFailure(first.message, first.extensions?.code);
  if (!body.data) throw new GraphQLFailure(`HTTP ${response.status}`, undefined);
  return body.data;
}

let socket: Client | null = null;
let connected = false;

function client(): Client {
  if (socket) return socket;
  const url = new URL("/graphql", window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  socket = createClient({
    url: url.toString(),
    lazy: true,
    retryAttempts: 5,
    connectionParams: () => {
      const key = apiKey();
      return key ? { Authorization: `Bearer ${key}` } : {};
    },
  });
  socket.on("connected", () => {
    connected = true;
  });
  socket.on("closed", () => {
    connected = false;
  });
  return socket;
}

/** Called each time the socket is (re)connected and acknowledged; returns the unsubscriber. */
export function onConnected(handler: () => void): () => void {
  const c = client();
  if (connected) queueMicrotask(handler);
  return c.on("connected", handler);
}

/** Subscribe; returns the function that stops it. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onError: (message: string) => void = () => undefined,
): () => void {
  return client().subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors?.length) onError(result.errors[0].message);
        else if (result.data) onData(result.data as T);
      },
      error: (err: unknown) => {
        const reason = err instanceof Error ? err.message : (err as { reason?: string })?.reason;
        onError(reason || "subscription closed");
      },
      complete: () => undefined,
    },
  );
}

/** What the server's schema offers (root fields, filter inputs): optional features are detected,
 * not assumed, so the explorer works before and after the runs list/search land. */
export interface InputField {
  name: string;
  description: string | null;
  kind: "string" | "boolean" | "int" | "enum" | "enumList";
  values: string[];
}

export interface Capabilities {
  queries: Set<string>;
  runFilter: InputField[];
}

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}

export const INTROSPECT = `{
  __schema { queryType { fields { name } } }
  runFilter: __type(name: "RunFilterInput") {
    inputFields { name description type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
  }
}`;

function unwrap(t: TypeRef): { list: boolean; named: TypeRef } {
  let list = false;
  let cur: TypeRef = t;
  while (cur.ofType && (cur.kind === "NON_NULL" || cur.kind === "LIST")) {
    if (cur.kind === "LIST") list = true;
    cur = cur.ofType;
  }
  return { list, named: cur };
}

export async function capabilities(): Promise<Capabilities> {
  const data = await gql<{
    __schema: { queryType: { fields: { name: string }[] } };
    runFilter: { inputFields: { name: string; description: string | null; type: TypeRef }[] } | null;
  }>(INTROSPECT);
  const queries = new Set(data.__schema.queryType.fields.map((f) => f.name));
  const enums = new Set<string>();
  const raw = data.runFilter?.inputFields ?? [];
  for (const f of raw) {
    const { named } = unwrap(f.type);
    if (named.kind === "ENUM" && named.name) enums.add(named.name);
  }
  const values: Record<string, string[]> = {};
  for (const name of enums) {
    const e = await gql<{ __type: { enumValues: { name: string }[] } | null }>(
      `query($n: String!) { __type(name: $n) { enumValues { name } } }`,
      { n: name },
    );
    values[name] = e.__type?.enumValues.map((v) => v.name) ?? [];
  }
  const runFilter: InputField[] = [];
  for (const f of raw) {
    const { list, named } = unwrap(f.type);
    let kind: InputField["kind"] | null = null;
    if (named.kind === "ENUM") kind = list ? "enumList" : "enum";
    else if (!list && named.name === "String") kind = "string";
    else if (!list && named.name === "Boolean") kind = "boolean";
    else if (!list && named.name === "Int") kind = "int";
    if (kind) {
      runFilter.push({
        name: f.name,
        description: f.description,
        kind,
        values: named.name ? (values[named.name] ?? []) : [],
      });
    }
  }
  return { queries, runFilter };
}

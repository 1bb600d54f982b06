// GraphiQL served by provgraph itself: React, GraphiQL and its CSS are bundled from npm at build
// time (web/build.mjs), so the page needs nothing from outside the server.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { GraphiQL } from "graphiql";
import { createClient } from "graphql-ws";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import "graphiql/graphiql.css";
import "@graphiql/plugin-explorer/dist/style.css";

const endpoint = new URL("/graphql", window.location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

// The headers typed into GraphiQL's header editor (an Authorization: Bearer key) are sent with
// every HTTP request by GraphiQL itself; the subscription socket sends the same key in
// connection_init, which is where provgraph checks it.
function storedHeaders(): Record<string, string> {
  try {
    const raw = window.localStorage.getItem("graphiql:headers");
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const fetcher = createGraphiQLFetcher({
  url: endpoint.toString(),
  wsClient: createClient({
    url: socket.toString(),
    connectionParams: () => storedHeaders(),
    lazy: true,
  }),
});

const params = new URLSearchParams(window.location.search);
const plugins = [explorerPlugin()];
const container = document.getElementById("graphiql");
if (container) {
  container.textContent = "";
  createRoot(container).render(
    createElement(GraphiQL, {
      fetcher,
      plugins,
      defaultQuery: params.get("q") ?? "{\n  serverInfo {\n    version\n    engine\n  }\n}\n",
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      inputValueDeprecation: true,
    }),
  );
}

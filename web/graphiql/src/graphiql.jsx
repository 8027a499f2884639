// GraphiQL as the service serves it on GET /graphql (web/templates/graphiql.html).
// Queries and mutations go over HTTP to the page's own URL, subscriptions over
// graphql-transport-ws to the same URL; both send the header editor's headers
// (the WebSocket in its connection_init payload, where the API reads
// `Authorization`).
import "./workers.js";
import "graphiql/style.css";

import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";

const endpoint = new URL(location.pathname, location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

const fetcher = createGraphiQLFetcher({
  url: endpoint.href,
  subscriptionUrl: socket.href,
});

// The page carries its example document as text, so it can be edited (and is
// checked against the schema by the test suite) without rebuilding this bundle.
const examples = document.getElementById("example-operations")?.textContent.trim() ?? "";
const headers = JSON.stringify({ Authorization: "Bearer <token>" }, null, 2);

createRoot(document.getElementById("graphiql")).render(
  <GraphiQL
    fetcher={fetcher}
    defaultQuery={`${examples}\n`}
    initialHeaders={headers}
    defaultHeaders={headers}
    defaultEditorToolsVisibility="headers"
    isHeadersEditorEnabled
    shouldPersistHeaders={false}
  />,
);

// A small client of the public API: queries and mutations over HTTP,
// subscriptions over one graphql-transport-ws socket (the graphql-ws client,
// bundled into /static/vendor by web/graphiql so that it works offline).
import { createClient } from "/static/vendor/graphql-ws.js";
import * as operations from "./operations.js";

export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((error) => error.message).join("; "));
    this.code = errors[0]?.extensions?.code ?? null;
  }
}

function socketUrl(endpoint) {
  const url = new URL(endpoint, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

export class Api {
  constructor(endpoint = "/graphql") {
    this.endpoint = endpoint;
    this.token = null;
    this.socket = null;
  }

  async run(name, variables = {}) {
    const headers = {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json;q=0.9",
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const reply = await fetch(this.endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: operations[name], operationName: name, variables }),
    });
    // GraphQL answers (errors included) are JSON; anything else is a failure
    // in front of it (a proxy, a limit), reported by its HTTP status.
    const body = await reply.json().catch(() => null);
    if (!body) throw new Error(`the server answered HTTP ${reply.status}`);
    if (body.errors?.length) throw new ApiError(body.errors);
    return body.data;
  }

  // Follows a subscription until `stop()`. `variables` is the very object that
  // graphql-ws sends again when it reconnects, so a caller that keeps
  // `variables.after` at the last cursor it saw resumes exactly there.
  follow(name, variables, { next, error }, onStatus = () => {}) {
    this.socket ??= createClient({
      url: socketUrl(this.endpoint),
      // Read at every (re)connection: the API checks the token in connection_init.
      connectionParams: () => ({ authorization: `Bearer ${this.token}` }),
      retryAttempts: Number.POSITIVE_INFINITY,
      on: {
        connected: () => onStatus("live"),
        closed: () => onStatus("reconnecting"),
      },
    });
    const payload = { query: operations[name], operationName: name, variables };
    return this.socket.subscribe(payload, {
      next: (result) => (result.errors?.length ? error(new ApiError(result.errors)) : next(result.data)),
      error: (reason) => error(reason instanceof Error ? reason : new Error("connection lost")),
      complete: () => {},
    });
  }

  signOut() {
    this.socket?.dispose();
    this.socket = null;
    this.token = null;
  }
}

// Makes a send idempotent: the same id sent again returns the first message.
export function newClientMessageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

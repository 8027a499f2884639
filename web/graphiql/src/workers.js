// Monaco runs its language services in Web Workers. build.mjs bundles each
// worker beside graphiql.js; this must run before Monaco starts, so the entry
// imports it first.
const bundles = { json: "json.worker.js", graphql: "graphql.worker.js" };

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    return new Worker(new URL(bundles[label] ?? "editor.worker.js", import.meta.url));
  },
};

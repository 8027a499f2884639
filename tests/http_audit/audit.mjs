// Runs the GraphQL-over-HTTP audit suite of `graphql-http` against a server
// and prints one JSON array: {id, name, status, reason} per audit.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const results = await auditServer({ url });
const summary = await Promise.all(
  results.map(async (result) => ({
    id: result.id,
    name: result.name,
    status: result.status,
    reason: result.status === 'ok' ? null : result.reason,
    body: result.status === 'ok' ? null : await result.response.text().catch(() => null),
  })),
);
process.stdout.write(JSON.stringify(summary));

// The operations the project serves (clients/operations.graphql), each as a
// document of its own, picked by operation name: the clients here send the
// same texts an SPA would, never copies of them.
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';

const SERVED = new URL('../../clients/operations.graphql', import.meta.url);

export function operations(path = SERVED) {
  const byName = new Map();
  for (const definition of parse(readFileSync(path, 'utf8')).definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) {
      byName.set(definition.name.value, { kind: Kind.DOCUMENT, definitions: [definition] });
    }
  }
  return (name) => {
    const document = byName.get(name);
    if (document === undefined) throw new Error(`no operation ${name} in ${path}`);
    return document;
  };
}

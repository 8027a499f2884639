// A Relay request (what relay-compiler writes as an artifact) built at run
// time from an operation of clients/operations.graphql and the schema, so
// that relay-runtime normalises the server's answers into its store exactly
// as a compiled Relay app would. relay-compiler itself needs its operations
// in JavaScript files and named after their module ("ViewerQuery" in
// Viewer.js); the project's operation names follow the contract instead.
//
// It covers what those operations use: fields with literal or variable
// arguments, aliases, lists, and inline fragments on concrete types (an
// abstract field must select __typename, which Relay needs to normalise it).
import {
  Kind,
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
  print,
  valueFromASTUntyped,
} from 'graphql';

export function relayRequest(schema, document) {
  const [operation] = document.definitions;
  const root = schema.getRootType(operation.operation);
  const name = operation.name.value;
  const argumentDefinitions = (operation.variableDefinitions ?? []).map((definition) => ({
    kind: 'LocalArgument',
    name: definition.variable.name.value,
    defaultValue: definition.defaultValue ? valueFromASTUntyped(definition.defaultValue) : null,
  }));
  const selections = selectionsOf(schema, root, operation.selectionSet);
  return {
    kind: 'Request',
    fragment: {
      kind: 'Fragment',
      name,
      type: root.name,
      metadata: null,
      argumentDefinitions,
      selections,
      abstractKey: null,
    },
    operation: { kind: 'Operation', name, argumentDefinitions, selections },
    params: {
      cacheID: name,
      id: null,
      metadata: {},
      name,
      operationKind: operation.operation,
      text: print(operation),
    },
  };
}

function argumentsOf(field) {
  const args = (field.arguments ?? []).map((argument) =>
    argument.value.kind === Kind.VARIABLE
      ? { kind: 'Variable', name: argument.name.value, variableName: argument.value.name.value }
      : { kind: 'Literal', name: argument.name.value, value: valueFromASTUntyped(argument.value) },
  );
  return args.length > 0 ? args : null;
}

function selectionsOf(schema, parentType, selectionSet) {
  return selectionSet.selections.map((selection) => {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = schema.getType(selection.typeCondition.name.value);
      if (isAbstractType(type)) throw new Error(`inline fragment on abstract ${type.name}`);
      return {
        kind: 'InlineFragment',
        type: type.name,
        abstractKey: null,
        selections: selectionsOf(schema, type, selection.selectionSet),
      };
    }
    if (selection.kind !== Kind.FIELD) throw new Error(`${selection.kind} is not supported`);
    const name = selection.name.value;
    const common = {
      alias: selection.alias?.value ?? null,
      name,
      args: argumentsOf(selection),
      storageKey: null,
    };
    if (name === '__typename') return { kind: 'ScalarField', ...common };
    const field = parentType.getFields()[name];
    const type = getNamedType(field.type);
    if (isLeafType(type)) return { kind: 'ScalarField', ...common };
    const inner = selectionsOf(schema, type, selection.selectionSet);
    const typed = inner.some((s) => s.name === '__typename' && s.alias === null);
    if (isAbstractType(type) && !typed) throw new Error(`select __typename under ${name}`);
    return {
      kind: 'LinkedField',
      ...common,
      concreteType: isAbstractType(type) ? null : type.name,
      plural: isListType(getNullableType(field.type)),
      selections: inner,
    };
  });
}

// GraphQL Code Generator (client preset) over the exported schema and the
// operations the project serves, into generated/ (not committed). CODEGEN_SCHEMA
// and CODEGEN_OUT let a test run it over another schema into another folder.
const schema = process.env.CODEGEN_SCHEMA ?? '../../schema.graphql';
const out = process.env.CODEGEN_OUT ?? './generated/';

export default {
  schema,
  documents: ['../../clients/operations.graphql'],
  ignoreNoDocuments: false,
  errorsOnly: false,
  generates: {
    [out]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Every custom scalar must be mapped: a new one fails the check until it is.
        strictScalars: true,
        scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

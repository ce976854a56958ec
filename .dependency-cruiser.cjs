// The layers of src/ and the one direction imports may take between them (`npm run lint:layers`,
// dependency-cruiser run through npx; NODE_PATH lets it find the project's TypeScript).
// Type-only imports count: they couple modules as much as value imports do.

/** HTTP and GraphQL: Yoga plugins, the schema, permissions, the app and the entry points. */
const TOP = [
  '^src/(app|gateway|main)[.]ts$',
  '^src/(api|cli|graphql|http|permissions)/',
  '^src/[^/]+/(graphql|permissions)[.]ts$',
  '^src/[^/]+/graphql/',
];

/**
 * Data access and what everything stands on: SQL, crypto, configuration, errors, text checks, and
 * the vocabulary the audit log stores (who acted, what they did).
 */
const BOTTOM = [
  '^src/(config|crypto|db)/',
  '^src/errors[.]ts$',
  '^src/text[.]ts$',
  '^src/logging/logger[.]ts$',
  '^src/audit/(actor|audit-actions)[.]ts$',
  '^src/[^/]+/[^/]+-repository[.]ts$',
];

/** Everything else under src/: the domain services and their plain logic. */
const MIDDLE = { path: '^src/', pathNot: [...TOP, ...BOTTOM] };

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import circle: modules that cannot be loaded or understood one without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'bottom-imports-upward',
      severity: 'error',
      comment: 'Data access and foundations import neither services nor HTTP/GraphQL.',
      from: { path: BOTTOM },
      to: { path: '^src/', pathNot: BOTTOM },
    },
    {
      name: 'middle-imports-top',
      severity: 'error',
      comment: 'Services never import HTTP, GraphQL or permissions.',
      from: MIDDLE,
      to: { path: TOP },
    },
    {
      name: 'builder-outside-graphql',
      severity: 'error',
      comment: 'Only GraphQL files know Pothos: the schema builder is imported by nothing else.',
      from: { pathNot: ['^src/graphql/', '^src/api/', '^src/[^/]+/graphql([.]ts$|/)'] },
      to: { path: '^src/graphql/builder[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

// The import graph of src/, checked by `npm run lint` (and so by `npm test`). Type-only imports
// count (tsPreCompilationDeps): a type that reaches up a layer couples the layers as much as a call.
//
// Layers of src/main, lowest first. A folder (or loose file) imports only from tiers below its own;
// folders in one tier do not import each other. Why each tier sits where it does:
//  1. errors.ts                       the OpsError type every other file throws.
//  2. logging, lifecycle, files, bounded-file.ts, app-url.ts, data-dir.ts, private-files.ts, idle-memory.ts,
//     drivers.ts                      leaf utilities over the file system and the log, and the drivers
//                                     loaded on first use: no domain.
//  3. vault                           secrets at rest; knows nothing of what they open.
//  4. store                           SQLite and its repositories (the vault's key check lives here).
//  5. profiles                        profile documents and hops: data, not connections.
//  6. ssh                             sessions, tunnels and host keys for a profile's hops.
//  7. postgres, redis                 one connection registry and safe runner per server kind.
//  8. sql, settings                   SQL parsing/classification, EXPLAIN, history; stored settings.
//  9. redaction, sandbox              masking needs the SQL and Redis parsers; the sandbox runs SQL.
// 10. templates, incidents, health    saved queries, the timeline and reports, checks over the
//                                     servers: they redact through redaction.
// 11. terminals, team, assistants, connection-test, demo, workbench
//                                     features that record to incidents or drive several servers
//                                     (the workbench wires SQL, EXPLAIN, history and saved queries).
// 12. runbooks                        a runbook step can run SQL, Redis, a shell or a terminal.
// 13. git-sources, flow               runbook sources and the guided flow over runbooks.
// 14. core-api.ts, boundary.ts       the Core's types; the one wrapper every transport calls.
// 15. services.ts                     builds every domain's services, phase by phase.
// 16. core.ts                         the composition root: services plus the handler table.
// 17. electron                        the desktop shell around the core.
// 18. index.ts                        Electron's entry point.
const tiers = [
  ['errors.ts'],
  [
    'logging',
    'lifecycle',
    'files',
    'bounded-file.ts',
    'app-url.ts',
    'data-dir.ts',
    'private-files.ts',
    'idle-memory.ts',
    'drivers.ts',
  ],
  ['vault'],
  ['store'],
  ['profiles'],
  ['ssh'],
  ['postgres', 'redis'],
  ['sql', 'settings'],
  ['redaction', 'sandbox'],
  ['templates', 'incidents', 'health'],
  ['terminals', 'team', 'assistants', 'connection-test', 'demo', 'workbench'],
  ['runbooks'],
  ['git-sources', 'flow'],
  ['core-api.ts', 'boundary.ts'],
  ['services.ts'],
  ['core.ts'],
  ['electron'],
  ['index.ts'],
];

const escaped = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathOf = (name) => (name.endsWith('.ts') ? `^src/main/${escaped(name)}$` : `^src/main/${escaped(name)}/`);
const anyOf = (names) => names.map(pathOf);

const layerRules = tiers
  .flatMap((tier, i) => {
    const above = [...tiers.slice(i + 1).flat()];
    return tier.map((name) => ({
      name: `layer-${name}`,
      comment: `src/main/${name} (tier ${i + 1}) imports only from the tiers below it (see the top of .dependency-cruiser.cjs).`,
      severity: 'error',
      from: { path: pathOf(name) },
      to: { path: anyOf([...tier.filter((other) => other !== name), ...above]) },
    }));
  })
  .filter((rule) => rule.to.path.length > 0);

const placed = tiers.flat();

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle makes load order matter and the layers meaningless.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'main-folder-has-a-tier',
      comment: 'Every folder and loose file of src/main has a tier: add a new one to `tiers` above.',
      severity: 'error',
      from: { path: '^src/main/', pathNot: anyOf(placed) },
      to: {},
    },
    {
      name: 'ui-not-to-main',
      comment: 'The renderer and preload reach src/main only through the contract and IPC.',
      severity: 'error',
      from: { path: '^src/(renderer|preload)/' },
      to: { path: '^src/(main|host|cli|assistants)/' },
    },
    {
      name: 'electron-only-in-shell',
      comment: 'Only src/main/electron and the preload may import electron: the core runs in the CLI and host too.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main/electron|preload)/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'shared-imports-only-shared',
      comment: 'src/shared is pure TypeScript used on every side: it imports nothing of ours outside it.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

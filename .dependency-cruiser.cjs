/* global module */
/**
 * The architecture's dependency rules, checked by `npm run lint:deps` (part of `npm run lint`, so
 * CI runs it). Dependencies point one way:
 *
 *   contracts ◄── domain ◄──┐
 *       ▲                   │
 *   platform ◄── access ◄── stages (intake, analysis, triage, referral, casework, insights) ◄── app
 *
 * A stage reaches another stage only through job contracts or hooks wired in src/app. Tests may
 * import anything; the rules are about the code that runs.
 */
const stages = ['intake', 'analysis', 'triage', 'referral', 'casework', 'insights'];
const notTest = '\\.(test|db\\.test)\\.ts$';

/** Areas whose code may import from `from`, besides itself. */
const allowed = {
  contracts: [],
  domain: ['contracts'],
  platform: ['contracts'],
  access: ['contracts', 'platform'],
  synthetic: ['contracts', 'domain'],
  ...Object.fromEntries(stages.map((s) => [s, ['contracts', 'domain', 'platform', 'access']])),
};

const areaRules = Object.entries(allowed).map(([area, may]) => ({
  name: `${area}-imports`,
  comment: `src/${area} may import only ${[area, ...may].join(', ')} (and npm packages)`,
  severity: 'error',
  from: { path: `^src/${area}/`, pathNot: notTest },
  to: { path: '^src/', pathNot: [`^src/${area}/`, ...may.map((m) => `^src/${m}/`)] },
}));

module.exports = {
  forbidden: [
    ...areaRules,
    {
      name: 'no-circular',
      comment: 'No import cycles, between files or areas.',
      severity: 'error',
      from: { path: '^src/', pathNot: notTest },
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-production',
      comment: 'Code that runs never imports tests or their support.',
      severity: 'error',
      from: { path: '^src/', pathNot: notTest },
      to: { path: ['\\.test\\.ts$', '^test/'] },
    },
    {
      name: 'stages-not-from-web',
      comment: 'The server never imports the browser app.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^web/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '\\.generated\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6'],
  },
};

// Lint: typescript-eslint's recommended rules, plus the type-aware ones that catch what the compiler does not —
// promises left floating, awaited or passed where no promise belongs — and unused code. Formatting is prettier's job.
import tseslint from 'typescript-eslint';

/** The outer edges, which nothing under src/ imports. */
const EDGES = { regex: '^(\\.\\./)+(webhooks|twiml)/', message: 'webhooks/ and twiml/ are edges: only src/main.ts, the composition root, imports them.' };
/** The OpenTelemetry SDK, which only the tracing preload loads: the server itself depends on @opentelemetry/api alone. */
const OTEL_SDK = {
  regex: '^@opentelemetry/(?!api$)',
  message: 'Only src/telemetry/preload.ts (through trace-sdk.ts) loads the OpenTelemetry SDK; use @opentelemetry/api.',
};
/** The files that start the SDK. */
const TRACING_PRELOAD = ['src/telemetry/preload.ts', 'src/telemetry/trace-sdk.ts'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-results/', '*.config.ts', '*.config.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A variable a callback reads before its one assignment (a timer cleared on close) cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  // Dependencies point inward. webhooks/ and twiml/ are the edges: only the composition root (src/main.ts) mounts the
  // webhooks, and twiml/ renders the connector's outcomes knowing nothing but their types and core's records.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', ...TRACING_PRELOAD],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [EDGES, OTEL_SDK] }] },
  },
  { files: ['src/main.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [OTEL_SDK] }] } },
  { files: TRACING_PRELOAD, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [EDGES] }] } },
  // Twilio's REST client and signatures are the connector's lowest layer: they know core and raw sockets, nothing above.
  {
    files: ['src/connector/twilio/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [EDGES, OTEL_SDK, { regex: '^\\.\\./(?!\\.\\./(core|sockets)/)', message: 'src/connector/twilio/ imports only src/core and src/sockets.' }],
        },
      ],
    },
  },
  {
    files: ['twiml/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./src/connector/', allowTypeImports: true, message: "twiml/ renders the connector's outcomes: it imports their types only." },
            { regex: '^\\.\\./(webhooks/|src/(?!core/|connector/))', message: "twiml/ imports only src/core and the connector's types." },
          ],
        },
      ],
    },
  },
  // Tests read the wire's untyped JSON as it comes.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);

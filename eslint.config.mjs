// ESLint (flat config): typescript-eslint's recommended rules without type information, so the
// whole tree lints without building a type program; the type-checker (`npm run typecheck`) does the
// type-aware part.
// Layer rules live in `.dependency-cruiser.cjs`; the renderer/preload ban on `src/main` and the
// `electron` ban outside `src/main/electron` are repeated here so an editor shows them as you type.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noMainFromUi = {
  group: ['**/main/**', '**/main'],
  message: 'The renderer and preload talk to src/main only through the contract (src/shared/contract) and IPC.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      '.test-tmp/**',
      'test/fixtures/**',
      'resources/**',
      'runbooks/**',
      'docs/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error', noInlineConfig: true },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // The type-checker refuses unused names too (noUnusedLocals/noUnusedParameters); this shows them
      // in an editor. An `_` prefix marks a parameter kept for its position in a callback signature.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Short paired statements are written as comma sequences (`if (x) (a.push(y), b.push(z))`) and
      // `cond ? a() : b()`; an expression with no effect at all is already a type error (TS2695).
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Terminal output, Redis bytes, SQL text and names that must not carry control characters:
    // escape and control characters in these regular expressions are the point, not a typo.
    files: [
      'src/shared/terminal-text.ts',
      'src/shared/terminal-step-result.ts',
      'src/shared/redis-bytes.ts',
      'src/shared/profile.ts',
      'src/main/sql/source-text.ts',
      'src/main/ssh/connect-chain.ts',
      'src/main/terminals/cast-recorder.ts',
      'src/main/incidents/export-pdf.ts',
      'src/assistants/reply.ts',
      'test/integration/cli-terminal-escape.test.ts',
      'test/integration/redis-browser.test.ts',
    ],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // Not exhaustive-deps: effects here key on ids on purpose (a recording's key, a profile id) and
      // store actions are stable; adding what the rule asks for would change when effects run.
      'no-restricted-imports': ['error', { patterns: [noMainFromUi] }],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noMainFromUi] }] },
  },
  {
    files: ['src/main/**/*.ts', 'src/shared/**/*.ts', 'src/cli/**/*.ts', 'src/host/**/*.ts', 'src/assistants/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main/electron (and src/preload) may import electron.' }],
        },
      ],
    },
  },
);

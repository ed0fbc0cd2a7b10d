import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'test/fixtures/**', 'test/e2e/artifacts/**', '**/*.mjs', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['server/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The core is pure: text in, data out. I/O and editor APIs are injected from outside.
    files: ['server/src/core/**/*.ts', 'shared/**/*.ts', 'client/src/gateway/plan.ts', 'client/src/gateway/lifecycle.ts', 'client/src/gateway/httpFraming.ts', 'client/src/statusBar/view.ts', 'client/src/templateLanguageChoice.ts', 'client/src/tryEndpoint/request.ts', 'client/src/tryEndpoint/lensView.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageclient', 'vscode-languageclient/node', 'dockerode', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'http', 'https', 'node:http', 'node:https'],
      }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Inject env into the core.' }],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    ignores: ['client/src/gateway/docker.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'dockerode', message: 'Only client/src/gateway/docker.ts talks to the daemon.' }] }],
    },
  },
);

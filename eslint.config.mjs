import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'assembly/**', 'node_modules/**', '.ci/runtimes/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // The pipeline's element context is an object literal with getters that read the pipeline.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['pipeline'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Atomics and SharedArrayBuffer belong to src/memory/, where the concurrency contract is written.
    files: ['src/**/*.ts'],
    ignores: ['src/memory/**'],
    rules: {
      'no-restricted-globals': ['error',
        { name: 'Atomics', message: 'Keep Atomics inside src/memory/.' },
        { name: 'SharedArrayBuffer', message: 'Keep SharedArrayBuffer inside src/memory/.' }],
    },
  },
  {
    files: ['**/*.mjs', 'bench/**', 'examples/**'],
    // Scripts, benchmarks and examples run on Node (and Deno/Bun with Node's globals).
    languageOptions: { globals: { ...globals.node } },
  },
);

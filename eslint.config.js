// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'out/**', '.scratch/**', '.pia-data/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', structuredClone: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', AbortController: 'readonly', fetch: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'off',
    },
  },
  {
    // Where requests and stored records are built: no object literal that starts with a spread and then adds
    // a property (`{ ...a, b }`). On Node 20 (V8 11.3) each such object gets a hidden class of its own, made
    // in the old generation: measured 4× slower than Object.assign({}, a, { b }) (626 vs 146 ns for a
    // 10-field record) and, for records the store keeps, ~300 bytes more each and a slower full GC (every
    // audit entry had its own; bench/api's open-loop stalls came from marking them). Write
    // Object.assign({}, a, { b }), or put a plain property first. (A spread after a property is fine.)
    files: ['src/store/**/*.ts', 'src/api/**/*.ts', 'src/check/**/*.ts', 'src/report/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
          message:
            '{ ...a, b } gives each object its own hidden class on Node 20: write Object.assign({}, a, { b }) (eslint.config.js says why).',
        },
      ],
    },
  },
  {
    // Browser scripts served to the pages (progressive enhancement).
    files: ['templates/web/**/*.js'],
    languageOptions: {
      globals: { document: 'readonly', window: 'readonly', URLSearchParams: 'readonly', FormData: 'readonly', fetch: 'readonly' },
    },
  },
);

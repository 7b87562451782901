// Lint for the whole repository (`npm run lint`; the console in web/ has its own). Formatting is Prettier's
// (.prettierrc.json); this config turns off the rules that would fight it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.temporal-bin/',
      '.temporal-server/',
      '.data/',
      '.tmp/',
      'dist/',
      'coverage/',
      'web/',
      'test/workflow/histories/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      // Prettier wraps code at 120; comments and strings it leaves alone, so the limit is checked here too.
      'max-len': [
        'error',
        { code: 120, tabWidth: 2, ignoreUrls: true, ignorePattern: '^import |^export \\{.*\\} from ' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // The settle protocol (engine/workflow/case-context.ts): a process waits only through its CaseContext, so every
    // Update answers once the process rests. Temporal's raw waits are for the shared machinery alone.
    files: ['processes/*/workflow.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@temporalio/workflow',
              importNames: ['condition', 'sleep'],
              message: 'Wait through ctx.waitUntil() / ctx.branch() / ctx.all() (engine/workflow/case-context.ts).',
            },
            {
              name: '@temporalio/workflow',
              importNames: ['proxyActivities', 'proxyLocalActivities'],
              message: 'Use activities() from engine/workflow/activity-proxy.ts: one set of timeouts and retries.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);

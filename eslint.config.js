// Lint for defects, not style: formatting is Prettier's (`npm run format`), never a lint error. Typed linting, so that
// a promise nobody awaits or an `any` that escaped a zod boundary is seen through the types tsc already knows.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // test/fixtures/lint holds code that must fail the lint (test/lint.test.ts lints it on purpose).
  { ignores: ['node_modules/', 'data/', 'dist/', 'bench/results/', 'test/fixtures/lint/'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Defects tsc does not report.
      'no-constant-binary-expression': 'error',
      'no-self-compare': 'error',
      'no-unreachable': 'error',
      'no-unsafe-finally': 'error',
      'no-unused-private-class-members': 'error',
      'no-fallthrough': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A leading underscore marks a parameter kept for its type (openEnum's list of known values).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // An abort signal's reason and a worker's 'error' event are passed on as they came; both are typed any.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],

      // Noise here, not defects:
      // async functions that await nothing implement Promise-returning interfaces (stores, pacers, handlers).
      '@typescript-eslint/require-await': 'off',
      // every hit was a function from an object literal typed with method syntax, which has no `this` to lose.
      '@typescript-eslint/unbound-method': 'off',
      // an assertion that changes nothing is tidiness, left for a later pass rather than churn in every layer now.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // botbuilder's Activity.type is a string compared with its own ActivityTypes enum.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // `StandardAnsweringRuleId | string` names the known values for the reader on purpose; the type stays string.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
    },
  },
  {
    // Tests read raw JSON bodies (RingCentral's, Slack's, Teams') on purpose to check their shape; the any rules guard
    // the product's boundaries, not the tests' probes.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'bench/results/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The store answers with promises: one not awaited would act on data not yet read or written.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'no-console': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The chart libraries take half a second to load: only a chart being drawn loads them, with import().
      '@typescript-eslint/no-restricted-imports': [
        'error',
        ...['vega', 'vega-lite', '@resvg/resvg-js'].map((name) => ({ name, allowTypeImports: true, message: 'load it with import() where a chart is drawn, not at start-up' })),
      ],
    },
  },
);

import { defineConfig } from 'vitest/config';

// Soak runs, minutes long: `npm run test:stress`. Not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/stress/**/*.stress.ts'],
    testTimeout: 600_000,
    pool: 'forks',
  },
});

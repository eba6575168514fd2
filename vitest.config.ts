import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
    // Lets the buffer-leak test collect garbage on demand.
    execArgv: ['--expose-gc'],
  },
});

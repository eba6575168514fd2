// One ES module per source file (preserveModules) so that element modules keep their own
// specifiers: a data thread or a sandboxed process loads an element by its module, not by a closure.
import typescript from '@rollup/plugin-typescript';

export default {
  input: ['src/index.ts', 'src/cli/launch.ts', 'src/cli/inspect.ts', 'src/cli/wasm-build.ts', 'src/exec/threads/host.ts', 'src/isolation/host/run-host.ts'],
  output: {
    dir: 'dist',
    format: 'es',
    preserveModules: true,
    preserveModulesRoot: 'src',
    sourcemap: true,
  },
  external: (id) => id.startsWith('node:') || ['nanoevents', 'prom-client', 'comlink', 'piscina', 'assemblyscript', 'fast-png'].some((m) => id === m || id.startsWith(m + '/')),
  plugins: [
    typescript({
      tsconfig: './tsconfig.json',
      compilerOptions: { rootDir: 'src', outDir: 'dist', declaration: false, noEmit: false },
    }),
  ],
};

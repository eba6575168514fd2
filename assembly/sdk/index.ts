// The Parallax kernel SDK: `import { ABI_VERSION, capsRate, … } from "parallax"` in a kernel
// built with `parallax-wasm build`. See README.md here and doc/design/006-wasm-kernels.md.
export * from './abi';
export * from './errors';
export * from './caps';

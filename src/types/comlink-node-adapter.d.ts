// comlink ships this adapter's types as node-adapter.d.ts beside an .mjs file, which NodeNext
// resolution does not pair up; this declares the one function we use.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  export default function nodeEndpoint(nep: unknown): Endpoint;
}

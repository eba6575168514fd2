import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ParallaxError } from '../errors.js';

/**
 * A stage function that lives in a module, named by the module's URL and an export, so a data
 * thread can import it: `moduleFunction<Reading, number>(new URL('./stages.mjs', import.meta.url), 'toFahrenheit')`.
 * The type parameters say what the export takes and gives; the compiler holds the flow to them
 * (it cannot see into the module, so they are a promise the module must keep).
 */
export interface ModuleFunction<In, Out> {
  readonly module: string;
  readonly export: string;
  /** Phantom fields: carry In and Out for the type checker; never set. */
  readonly __in?: (value: In) => void;
  readonly __out?: Out;
}

export function moduleFunction<In, Out>(module: URL | string, exportName = 'default'): ModuleFunction<In, Out> {
  let href: string;
  if (module instanceof URL) href = module.href;
  else if (/^[a-z][a-z0-9+.-]*:/i.test(module)) href = module;
  else if (isAbsolute(module)) href = pathToFileURL(module).href;
  else throw new ParallaxError('BAD_PROPERTY_VALUE', `moduleFunction needs a URL or an absolute path a data thread can import, got "${module}" (use new URL('${module}', import.meta.url))`);
  if (exportName === '') throw new ParallaxError('BAD_PROPERTY_VALUE', 'moduleFunction needs an export name');
  return { module: href, export: exportName };
}

export function isModuleFunction(v: unknown): v is ModuleFunction<unknown, unknown> {
  return typeof v === 'object' && v !== null && typeof (v as ModuleFunction<unknown, unknown>).module === 'string' && typeof (v as ModuleFunction<unknown, unknown>).export === 'string';
}

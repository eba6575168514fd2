import { basename } from 'node:path';
import type { PropertySpec, PropertyValue } from '../../element/property.js';
import type { KernelProperty } from '../../wasm/user-descriptor.js';

/**
 * A user module's declared properties (its descriptor) as element properties: the same specs,
 * validation and errors as any element's, and the f64 each value reaches the kernel as
 * (doc/design/006: int and double as they are, bool 0/1, enum its index). Every one may change
 * while the pipeline runs: `pxl_set_property` is called at prepare and at run alike.
 */
export function specOf(p: KernelProperty, modulePath: string): PropertySpec {
  const description = p.description !== '' ? p.description : `Declared by ${basename(modulePath)}`;
  const range = { ...(p.min === undefined ? {} : { min: p.min }), ...(p.max === undefined ? {} : { max: p.max }) };
  switch (p.type) {
    case 'int':
    case 'double':
      return { type: p.type, default: p.default, ...range, description, mutable: true };
    case 'bool':
      return { type: 'bool', default: p.default === 1, description, mutable: true };
    case 'enum': {
      const values = (p.values ?? []).map((nick, value) => ({ nick, value }));
      return { type: 'enum', default: values[p.default]!.nick, values, description, mutable: true };
    }
  }
}

/** The number `pxl_set_property` gets for `value` of a property of `spec`. */
export function kernelValue(spec: PropertySpec, value: PropertyValue): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (spec.type === 'enum') return spec.values.find((v) => v.nick === value)?.value ?? 0;
  return typeof value === 'number' ? value : 0;
}

/** `module` and `mode`, the properties every kernel element (wasmtransform, wasmsrc, wasmsink) has. */
export const MODULE_PROPERTY: PropertySpec = { type: 'string', default: null, description: 'Path of the kernel module (.wasm, built with parallax-wasm build); its properties follow' };
export const MODE_PROPERTY: PropertySpec = { type: 'string', default: null, readonly: true, description: 'Where the kernel runs: "shared" (in place) or "private: <why>" (copies counted)' };

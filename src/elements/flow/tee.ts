import type { Buffer } from '../../element/buffer.js';
import { Element } from '../../element/element.js';
import { FlowResult } from '../../element/flow.js';
import type { ElementMetadata } from '../../element/metadata.js';
import type { Pad } from '../../element/pad.js';
import type { PadDirection } from '../../element/pad-template.js';
import type { PropertyValue } from '../../element/property.js';

/**
 * `fakesrc num-buffers=3 ! tee name=t t. ! queue ! fakesink t. ! queue ! fakesink`
 *
 * Classification: Generic.
 *
 * Sends every buffer to all its request src pads (`src_%u`), after GStreamer's tee. Branches share
 * the payload: each gets a handle on the same slot (`clone()`, a refcount, no copy), the last one
 * gets the original. Put a `queue` in each branch so a slow branch does not stall the others.
 *
 * Flow: NOT_LINKED only when no src pad is linked and `allow-not-linked` is false; ERROR,
 * NOT_NEGOTIATED or FLUSHING from any branch is returned; EOS only once every branch said EOS.
 * Events go to every src pad.
 *
 * Event-loop or data thread; hot path allocation-free but for the clones' handles.
 */
export class Tee extends Element {
  static readonly metadata: ElementMetadata = {
    factory: 'tee',
    classification: 'Generic',
    description: '1-to-N pipe fitting',
    example: 'fakesrc num-buffers=3 ! tee name=t t. ! queue ! fakesink t. ! queue ! fakesink',
    padTemplates: [
      { name: 'sink', direction: 'sink', presence: 'always' },
      { name: 'src_%u', direction: 'src', presence: 'request' },
    ],
    properties: {
      'allow-not-linked': { type: 'bool', default: false, mutable: true, description: 'Return GST_FLOW_OK even if there are no source pads or they are all unlinked' },
      silent: { type: 'bool', default: true, mutable: true, description: "Don't produce last_message events" },
      'num-src-pads': { type: 'int', default: 0, min: 0, readonly: true, description: 'The number of source pads' },
    },
    affinity: 'auto',
    rtSafe: true,
  };

  private outputs: Pad[] = [];
  private allowNotLinked = false;

  override requestPad(nameOrTemplate: string | PadDirection): Pad {
    const pad = super.requestPad(nameOrTemplate);
    this.outputs = this.srcPads;
    return pad;
  }

  override removePad(pad: Pad): void {
    super.removePad(pad);
    this.outputs = this.srcPads;
  }

  override start(): void {
    this.outputs = this.srcPads;
    this.allowNotLinked = this.bool('allow-not-linked');
  }

  protected override propertyChanged(name: string, value: PropertyValue): void {
    if (name === 'allow-not-linked') this.allowNotLinked = value as boolean;
  }

  protected override readProperty(name: string): PropertyValue | undefined {
    return name === 'num-src-pads' ? this.srcPads.length : undefined;
  }

  override chain(_pad: Pad, buf: Buffer): FlowResult {
    const outs = this.outputs;
    const n = outs.length;
    if (n === 0) {
      buf.release();
      return this.allowNotLinked ? FlowResult.OK : FlowResult.NOT_LINKED;
    }
    let linked = 0;
    let eos = 0;
    let fatal: FlowResult = FlowResult.OK;
    for (let i = 0; i < n; i++) {
      const pad = outs[i]!;
      const r = pad.push(i === n - 1 ? buf : buf.clone());
      if (r === FlowResult.OK) linked++;
      else if (r === FlowResult.EOS) {
        linked++;
        eos++;
      } else if (r !== FlowResult.NOT_LINKED && fatal === FlowResult.OK) fatal = r;
    }
    if (fatal !== FlowResult.OK) return fatal;
    if (linked === 0) return this.allowNotLinked ? FlowResult.OK : FlowResult.NOT_LINKED;
    return eos === linked ? FlowResult.EOS : FlowResult.OK;
  }
}

export default Tee;

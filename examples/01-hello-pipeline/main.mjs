// A launch string, run to EOS. The bus tells what happened.
import { launch } from '../../dist/index.js';

const pipeline = launch('fakesrc num-buffers=5 sizetype=fixed sizemax=16 ! identity ! fakesink');
pipeline.bus.on('state-changed', (m) => console.log(`state: ${m.from} -> ${m.to}`));
pipeline.bus.on('eos', () => console.log('eos'));
await pipeline.run();
console.log(`identity0 passed ${pipeline.stats().elements.identity0.buffersOut} buffers`);

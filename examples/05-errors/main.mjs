// What goes wrong, and how Parallax says so.
import { launch } from '../../dist/index.js';

for (const desc of ['fakesrc num-bufers=3 ! fakesink', 'fakesrc ! queue ! ! fakesink', 'fakesrc ! audio/x-raw ! identity ! video/x-raw ! fakesink']) {
  try {
    await launch(desc).prepare();
  } catch (e) {
    console.log(`[${e.code}] ${e.message}\n`);
  }
}

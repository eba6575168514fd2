// The function `parallel` runs on each buffer, on a worker thread: `data` is the payload itself,
// in shared memory, so inverting it in place is all there is to do.
export default function invert(data) {
  for (let i = 0; i < data.length; i++) data[i] = 255 - data[i];
}

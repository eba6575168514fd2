#!/bin/sh
# Two programs started separately, joined by ipcsink and ipcsrc (see README.md): the producer
# makes a tone and hands it over, the consumer writes what it receives to a file, and cmp checks
# it against the same tone made in one process.
set -e
cd "$(dirname "$0")/../.."
launch() { node dist/cli/launch.js -q "$@"; }

dir=$(mktemp -d /tmp/parallax-ipc-XXXXXX)
trap 'rm -rf "$dir"' EXIT
SOCK=$dir/tone.sock
CAPS=audio/x-raw,format=S16LE,rate=8000,channels=1

# Terminal 1: the producer. It listens on $SOCK and waits for a consumer.
launch "audiotestsrc num-buffers=100 ! $CAPS ! ipcsink path=$SOCK" &
producer=$!

# Terminal 2: the consumer. It connects (waiting up to 5 s for the producer) and reads to EOS.
launch "ipcsrc path=$SOCK caps=$CAPS ! filesink location=$dir/received.raw"
wait "$producer"

launch "audiotestsrc num-buffers=100 ! $CAPS ! filesink location=$dir/expected.raw"
cmp "$dir/expected.raw" "$dir/received.raw"
echo "received $(wc -c < "$dir/received.raw") bytes from the other process, identical: true"

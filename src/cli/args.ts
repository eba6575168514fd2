/** Options of parallax-launch, parsed from argv. */
export interface LaunchArgs {
  verbose: boolean;
  quiet: boolean;
  eosOnShutdown: boolean;
  messages: boolean;
  dryRun: boolean;
  dot: string | undefined;
  plugins: string[];
  /** Serve Prometheus metrics on this port of 127.0.0.1 while running (0: a free port). */
  metricsPort: number | undefined;
  /** async, hybrid or realtime (see doc/design/005-data-threads.md). */
  scheduling: 'async' | 'hybrid' | 'realtime';
  /** Data threads at most; undefined: the machine's parallelism. */
  dataThreads: number | undefined;
  /** A timer driver: "256/48000", "20ms"; undefined: sources run free. */
  driver: string | undefined;
  /** in-process (default), isolated or grouped (see doc/design/007-isolation.md). */
  isolation: 'in-process' | 'isolated' | 'grouped' | undefined;
  /** Glob patterns of elements to run in sandboxed processes (implies grouped). */
  isolate: string[];
  /** Run element hosts without the sandbox (debugging). */
  noSandbox: boolean;
  help: boolean;
  description: string;
}

export const LAUNCH_USAGE = `usage: parallax-launch [-v] [-q] [-e] [-m] [--dry-run] [--dot FILE] [--plugin MODULE] [--metrics-port PORT]
                       [--scheduling async|hybrid|realtime] [--data-threads N]
                       [--driver QUANTUM/RATE|PERIOD] [--isolation MODE] [--isolate PATTERN]
                       [--no-sandbox] "PIPELINE"

  -v, --verbose        print negotiated caps and property changes
  -q, --quiet          print nothing but errors
  -e, --eos-on-shutdown  on Ctrl-C send EOS and wait for it, so sinks finish their files
  -m, --messages       print every bus message
  --dry-run            parse, build and negotiate; print the graph; run nothing
  --dot FILE           write a Graphviz graph of elements, pads and negotiated caps
  --plugin MODULE      load a plugin module (repeatable)
  --metrics-port PORT  serve Prometheus metrics at http://127.0.0.1:PORT/metrics while running
                       (0 picks a free port; the URL is printed on stderr)
  --scheduling MODE    async (default): everything on the event loop; hybrid: parts of the
                       graph between queues whose elements are all RT-safe run on data threads;
                       realtime: every RT-safe element runs on a data thread
  --data-threads N     use at most N data threads (default: the machine's parallelism)
  --driver SPEC        start a cycle every QUANTUM/RATE seconds (256/48000) or PERIOD (20ms,
                       5000us); each source makes one buffer per cycle and missed deadlines
                       are counted as xruns (printed at the end)
  --isolation MODE     in-process (default); isolated: every element in a sandboxed process of
                       its own; grouped: the elements --isolate matches (Linux)
  --isolate PATTERN    run the elements whose name or factory matches PATTERN (*, ?) in a
                       sandboxed process each (repeatable; implies --isolation grouped)
  --no-sandbox         run element host processes without namespaces and seccomp (debugging)

exit status: 0 on EOS, 1 on a runtime error, 2 on a bad pipeline description`;

/** Parses argv (without node and script). The pipeline is the non-option words, joined as gst-launch joins them. */
export function parseLaunchArgs(argv: readonly string[]): LaunchArgs | string {
  const a: LaunchArgs = { verbose: false, quiet: false, eosOnShutdown: false, messages: false, dryRun: false, dot: undefined, plugins: [], metricsPort: undefined, scheduling: 'async', dataThreads: undefined, driver: undefined, isolation: undefined, isolate: [], noSandbox: false, help: false, description: '' };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    if (words.length > 0) {
      words.push(w);
      continue;
    }
    switch (w) {
      case '-v': case '--verbose': a.verbose = true; break;
      case '-q': case '--quiet': a.quiet = true; break;
      case '--':
        words.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      case '-e': case '--eos-on-shutdown': a.eosOnShutdown = true; break;
      case '-m': case '--messages': a.messages = true; break;
      case '--dry-run': a.dryRun = true; break;
      case '-h': case '--help': a.help = true; break;
      case '--dot':
      case '--plugin': {
        const v = argv[++i];
        if (v === undefined) return `${w} needs a value`;
        if (w === '--dot') a.dot = v;
        else a.plugins.push(v);
        break;
      }
      case '--metrics-port': {
        const v = argv[++i];
        if (v === undefined) return `${w} needs a value`;
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) return `${w} needs a port number from 0 to 65535, got "${v}"`;
        a.metricsPort = Number(v);
        break;
      }
      case '--scheduling': {
        const v = argv[++i];
        if (v === undefined) return `${w} needs a value`;
        if (v !== 'async' && v !== 'hybrid' && v !== 'realtime') return `${w} must be async, hybrid or realtime, got "${v}"`;
        a.scheduling = v;
        break;
      }
      case '--driver': {
        const v = argv[++i];
        if (v === undefined) return `${w} needs a value`;
        if (!/^\d+\/\d+$|^\d+(\.\d+)?(ms|us)$/.test(v)) return `${w} needs QUANTUM/RATE (256/48000) or a period (20ms, 5000us), got "${v}"`;
        a.driver = v;
        break;
      }
      case '--no-sandbox': a.noSandbox = true; break;
      case '--isolation': {
        const v = argv[++i];
        if (v === undefined) return `${w} needs a value`;
        if (v !== 'in-process' && v !== 'isolated' && v !== 'grouped') return `${w} must be in-process, isolated or grouped, got "${v}"`;
        a.isolation = v;
        break;
      }
      case '--isolate': {
        const v = argv[++i];
        if (v === undefined || v === '') return `${w} needs a pattern (an element name or factory, with * and ?)`;
        a.isolate.push(v);
        break;
      }
      case '--data-threads': {
        const v = argv[++i];
        if (v === undefined) return `${w} needs a value`;
        if (!/^\d{1,3}$/.test(v) || Number(v) < 1) return `${w} needs a number of threads from 1 to 999, got "${v}"`;
        a.dataThreads = Number(v);
        break;
      }
      default:
        if (w.startsWith('-') && w.length > 1 && !w.includes(' ')) return `unknown option ${w}`;
        words.push(w);
    }
  }
  if (a.isolate.length > 0 && a.isolation !== undefined && a.isolation !== 'grouped') return `--isolate needs --isolation grouped (or no --isolation), not ${a.isolation}`;
  // As gst_parse_launchv does: with several arguments, spaces inside one argument are escaped,
  // so `location="/tmp/my file"` (one shell word) stays one value.
  a.description = words.length === 1 ? words[0]! : words.map((w) => w.replace(/ /g, '\\ ')).join(' ');
  return a;
}

/** 0:00:01.234567890 — GStreamer's time format. */
export function formatTime(ns: number): string {
  if (ns < 0) return 'none';
  const total = Math.floor(ns);
  const h = Math.floor(total / 3.6e12);
  const m = Math.floor((total % 3.6e12) / 6e10);
  const s = Math.floor((total % 6e10) / 1e9);
  const frac = String(total % 1e9).padStart(9, '0');
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${frac}`;
}

import { parseArgs } from 'node:util';

/** Guessing strategies the server can play. */
export type StrategyName = 'random' | 'bisect';

/** Log levels accepted by `--log-level` / `LOG_LEVEL`. */
export type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything `fanout-server` can be told, after defaults, flags and environment are merged. */
export interface ServerConfig {
  /** Interface both listeners bind to. Default `127.0.0.1` (loopback only). */
  readonly host: string;
  /** TCP port of the guess protocol; 0 picks a free port. Default 1234, as in the seed. */
  readonly guessPort: number;
  /** Port of the operations HTTP endpoint (`/healthz`, `/metrics`, the viewer); 0 = free port. */
  readonly httpPort: number;
  /** How the server guesses. Default `random` (the seed's behaviour). */
  readonly strategy: StrategyName;
  /** Open guess connections allowed per process; more are refused. */
  readonly maxConnections: number;
  /** A guess connection silent for this long is closed; 0 disables the limit. */
  readonly idleTimeoutMs: number;
  /** Longest accepted protocol line in bytes; a longer one closes the connection. */
  readonly maxLineBytes: number;
  /** Processes serving the guess port. 1 = this process alone; N > 1 = node:cluster. */
  readonly workers: number;
  /** On SIGTERM/SIGINT, how long games in progress may go on before they are closed. */
  readonly drainTimeoutMs: number;
  /** A callback blocking the event loop this long is logged and counted; 0 = no watch. */
  readonly slowCallbackMs: number;
  /** Minimum level of the JSON logs on stdout. */
  readonly logLevel: LogLevelName;
}

/** The values used when neither a flag nor an environment variable sets a field. */
export const DEFAULT_CONFIG: ServerConfig = Object.freeze({
  host: '127.0.0.1',
  guessPort: 1234,
  httpPort: 8080,
  strategy: 'random',
  maxConnections: 10_000,
  idleTimeoutMs: 30_000,
  maxLineBytes: 1024,
  workers: 1,
  drainTimeoutMs: 10_000,
  slowCallbackMs: 100,
  logLevel: 'info',
});

/**
 * A flag or environment variable had a value the server cannot use. The message is one line
 * naming the setting and the value, meant for stderr as is (the bin exits 2).
 */
export class ConfigError extends Error {
  static readonly code = 'FANOUT_CONFIG';
  readonly code = ConfigError.code;
  override readonly name = 'ConfigError';
  /** The flag or variable at fault, e.g. `--guess-port` or `FANOUT_WORKERS`. */
  readonly setting: string;
  /** The value it was given, when there was one. */
  readonly value: string | undefined;

  constructor(message: string, setting: string, value?: string, options?: ErrorOptions) {
    super(message, options);
    this.setting = setting;
    this.value = value;
  }
}

/** What `parseConfig` found on the command line besides the settings. */
export type ParsedCommand =
  | { readonly kind: 'run'; readonly config: ServerConfig }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' };

type Kind = 'host' | 'port' | 'positive' | 'duration' | 'strategy' | 'level';

interface Setting {
  readonly key: keyof ServerConfig;
  readonly flag: string;
  readonly env: string;
  readonly kind: Kind;
  readonly help: string;
}

/** Every setting, its flag, its variable, and how its value is read. Order = help order. */
const SETTINGS: readonly Setting[] = [
  { key: 'host', flag: 'host', env: 'FANOUT_HOST', kind: 'host', help: 'interface to bind' },
  {
    key: 'guessPort',
    flag: 'guess-port',
    env: 'FANOUT_GUESS_PORT',
    kind: 'port',
    help: 'guess protocol TCP port (0 = any free)',
  },
  {
    key: 'httpPort',
    flag: 'http-port',
    env: 'FANOUT_HTTP_PORT',
    kind: 'port',
    help: 'operations HTTP port (0 = any free)',
  },
  {
    key: 'strategy',
    flag: 'strategy',
    env: 'FANOUT_STRATEGY',
    kind: 'strategy',
    help: 'random | bisect',
  },
  {
    key: 'maxConnections',
    flag: 'max-connections',
    env: 'FANOUT_MAX_CONNECTIONS',
    kind: 'positive',
    help: 'open guess connections per process',
  },
  {
    key: 'idleTimeoutMs',
    flag: 'idle-timeout',
    env: 'FANOUT_IDLE_TIMEOUT',
    kind: 'duration',
    help: 'close silent connections after (0 = never)',
  },
  {
    key: 'maxLineBytes',
    flag: 'max-line-bytes',
    env: 'FANOUT_MAX_LINE_BYTES',
    kind: 'positive',
    help: 'longest protocol line in bytes',
  },
  {
    key: 'workers',
    flag: 'workers',
    env: 'FANOUT_WORKERS',
    kind: 'positive',
    help: 'processes sharing the guess port',
  },
  {
    key: 'drainTimeoutMs',
    flag: 'drain-timeout',
    env: 'FANOUT_DRAIN_TIMEOUT',
    kind: 'duration',
    help: 'time games get to finish on shutdown',
  },
  {
    key: 'slowCallbackMs',
    flag: 'slow-callback',
    env: 'FANOUT_SLOW_CALLBACK',
    kind: 'duration',
    help: 'log callbacks blocking the loop this long (0 = off)',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'LOG_LEVEL',
    kind: 'level',
    help: 'fatal|error|warn|info|debug|trace|silent',
  },
];

const STRATEGIES: readonly StrategyName[] = ['random', 'bisect'];
const LEVELS: readonly LogLevelName[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Reads the server's settings from command-line flags and environment variables.
 * Precedence: flag, then variable, then `DEFAULT_CONFIG`. Durations are milliseconds, or a
 * number with `ms`, `s` or `m` (`30s`).
 *
 * @throws ConfigError naming the flag or variable and the value it could not use.
 * @example
 * ```ts
 * const parsed = parseConfig(['--guess-port', '0', '--workers=2'], { LOG_LEVEL: 'debug' });
 * if (parsed.kind === 'run') console.log(parsed.config.workers); // 2
 * ```
 */
export function parseConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): ParsedCommand {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const s of SETTINGS) options[s.flag] = { type: 'string' };

  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`${message} (see --help)`, 'argv', undefined, { cause: error });
  }
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };

  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const s of SETTINGS) {
    const fromFlag = values[s.flag];
    if (typeof fromFlag === 'string') {
      config[s.key] = readValue(s, `--${s.flag}`, fromFlag);
      continue;
    }
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== '') config[s.key] = readValue(s, s.env, fromEnv);
  }
  return { kind: 'run', config: Object.freeze(config) as unknown as ServerConfig };
}

function readValue(setting: Setting, name: string, raw: string): string | number {
  const value = raw.trim();
  const fail = (expected: string): never => {
    throw new ConfigError(`${name} must be ${expected}, got ${JSON.stringify(raw)}`, name, raw);
  };
  switch (setting.kind) {
    case 'host':
      if (value === '' || /\s/.test(value)) fail('a host name or IP address');
      return value;
    case 'port': {
      const n = readInteger(value);
      if (n === undefined || n > 65_535) fail('a port number from 0 to 65535');
      return n as number;
    }
    case 'positive': {
      const n = readInteger(value);
      if (n === undefined || n < 1) fail('a whole number >= 1');
      return n as number;
    }
    case 'duration': {
      const match = /^(\d+)(ms|s|m)?$/.exec(value);
      if (match === null) fail('a duration such as 500, 500ms, 30s or 2m');
      const [, digits, unit] = match as RegExpExecArray;
      const ms = Number(digits) * (DURATION_UNITS[unit ?? 'ms'] ?? 1);
      if (!Number.isSafeInteger(ms) || ms > 2_147_483_647) fail('a duration of at most 24 days');
      return ms;
    }
    case 'strategy':
      if (!STRATEGIES.includes(value as StrategyName)) fail(`one of ${STRATEGIES.join(', ')}`);
      return value;
    case 'level':
      if (!LEVELS.includes(value.toLowerCase() as LogLevelName))
        fail(`one of ${LEVELS.join(', ')}`);
      return value.toLowerCase();
  }
}

function readInteger(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The text printed by `fanout-server --help`. */
export function helpText(): string {
  const rows = SETTINGS.map((s) => {
    const flag = `--${s.flag} <${s.kind === 'duration' ? 'time' : 'value'}>`;
    const fallback = String(DEFAULT_CONFIG[s.key]);
    return `  ${flag.padEnd(26)} ${s.env.padEnd(23)} ${s.help} (default ${fallback})`;
  });
  return [
    'Usage: fanout-server [options]',
    '',
    'Runs the number-guessing server with /healthz, /metrics and the Life viewer over HTTP.',
    'Each option can also be set by the environment variable beside it; flags win.',
    'Times are milliseconds or take a unit: 500ms, 30s, 2m.',
    '',
    ...rows,
    '  -h, --help                 show this help',
    '  -v, --version              print the version',
    '',
  ].join('\n');
}

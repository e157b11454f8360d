import type { Strategy } from '@fanout/guess-protocol';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../errors.js';
import {
  type LogLevelName,
  LOG_LEVELS,
  readDuration,
  readHost,
  readLogLevel,
  readPort,
  readPositive,
  readStrategy,
  type ValueReader,
} from './values.js';

export { ConfigError } from '../errors.js';
export type { LogLevelName } from './values.js';

/** Everything `fanout-server` can be told, after defaults, flags and environment are merged. */
export interface ServerConfig {
  /** Interface both listeners bind to. Default `127.0.0.1` (loopback only). */
  readonly host: string;
  /** TCP port of the guess protocol; 0 picks a free port. Default 1234, as in the seed. */
  readonly guessPort: number;
  /** Port of the operations HTTP endpoint (`/healthz`, `/metrics`, the viewer); 0 = free port. */
  readonly httpPort: number;
  /** How the server guesses. Default `random` (the seed's behaviour). */
  readonly strategy: Strategy;
  /**
   * Open guess connections allowed per process; more are refused with `server-busy`.
   * Undefined: as many as the open-file limit leaves room for (see `connectionBudget`).
   */
  readonly maxConnections: number | undefined;
  /** A guess connection silent for this long is closed; 0 disables the limit. */
  readonly idleTimeoutMs: number;
  /** Longest accepted protocol line in bytes; a longer one closes the connection. */
  readonly maxLineBytes: number;
  /** Processes serving the guess port. 1 = this process alone; N > 1 = node:cluster. */
  readonly workers: number;
  /**
   * On SIGTERM/SIGINT, how long to keep serving (with `/readyz` answering 503, so load
   * balancers stop sending) before the drain starts. Default 0.
   */
  readonly shutdownDelayMs: number;
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
  maxConnections: undefined,
  idleTimeoutMs: 30_000,
  maxLineBytes: 1024,
  workers: 1,
  shutdownDelayMs: 0,
  drainTimeoutMs: 10_000,
  slowCallbackMs: 100,
  logLevel: 'info',
});

/** What `parseConfig` found on the command line besides the settings. */
export type ParsedCommand =
  | { readonly kind: 'run'; readonly config: ServerConfig }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' };

interface Setting {
  readonly key: keyof ServerConfig;
  /** The flag without `--`; commander's option name. */
  readonly flag: string;
  readonly env: string;
  readonly placeholder: string;
  readonly help: string;
  readonly read: ValueReader<unknown>;
}

/** Every setting, its flag, its variable, and how its value is read. Order = help order. */
const SETTINGS: readonly Setting[] = [
  {
    key: 'host',
    flag: 'host',
    env: 'FANOUT_HOST',
    placeholder: 'host',
    help: 'interface to bind',
    read: readHost,
  },
  {
    key: 'guessPort',
    flag: 'guess-port',
    env: 'FANOUT_GUESS_PORT',
    placeholder: 'port',
    help: 'guess protocol TCP port (0 = any free)',
    read: readPort,
  },
  {
    key: 'httpPort',
    flag: 'http-port',
    env: 'FANOUT_HTTP_PORT',
    placeholder: 'port',
    help: 'operations HTTP port (0 = any free)',
    read: readPort,
  },
  {
    key: 'strategy',
    flag: 'strategy',
    env: 'FANOUT_STRATEGY',
    placeholder: 'name',
    help: 'how the server guesses: random | bisect',
    read: readStrategy,
  },
  {
    key: 'maxConnections',
    flag: 'max-connections',
    env: 'FANOUT_MAX_CONNECTIONS',
    placeholder: 'n',
    help: 'open guess connections per process (default: as many as the open-file limit leaves room for)',
    read: readPositive,
  },
  {
    key: 'idleTimeoutMs',
    flag: 'idle-timeout',
    env: 'FANOUT_IDLE_TIMEOUT',
    placeholder: 'time',
    help: 'close silent connections after (0 = never)',
    read: readDuration,
  },
  {
    key: 'maxLineBytes',
    flag: 'max-line-bytes',
    env: 'FANOUT_MAX_LINE_BYTES',
    placeholder: 'n',
    help: 'longest protocol line in bytes',
    read: readPositive,
  },
  {
    key: 'workers',
    flag: 'workers',
    env: 'FANOUT_WORKERS',
    placeholder: 'n',
    help: 'processes sharing the guess port',
    read: readPositive,
  },
  {
    key: 'shutdownDelayMs',
    flag: 'shutdown-delay',
    env: 'FANOUT_SHUTDOWN_DELAY',
    placeholder: 'time',
    help: 'on SIGTERM, keep serving this long with /readyz 503 before draining',
    read: readDuration,
  },
  {
    key: 'drainTimeoutMs',
    flag: 'drain-timeout',
    env: 'FANOUT_DRAIN_TIMEOUT',
    placeholder: 'time',
    help: 'time games get to finish on shutdown',
    read: readDuration,
  },
  {
    key: 'slowCallbackMs',
    flag: 'slow-callback',
    env: 'FANOUT_SLOW_CALLBACK',
    placeholder: 'time',
    help: 'log callbacks blocking the loop this long (0 = off)',
    read: readDuration,
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'LOG_LEVEL',
    placeholder: 'level',
    help: LOG_LEVELS.join('|'),
    read: readLogLevel,
  },
];

/** Commander's key for a setting's value: the flag in camel case (`idle-timeout` → `idleTimeout`). */
function attributeName(setting: Setting): string {
  return setting.flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function describeDefault(key: keyof ServerConfig, read: ValueReader<unknown>): string {
  const value = DEFAULT_CONFIG[key];
  if (read === readDuration && typeof value === 'number') {
    if (value !== 0 && value % 60_000 === 0) return `${value / 60_000}m`;
    if (value !== 0 && value % 1000 === 0) return `${value / 1000}s`;
    return `${value}ms`;
  }
  return String(value);
}

/**
 * The command line as commander sees it. Each option reads its value with its setting's
 * reader, which throws a `ConfigError` naming the flag or the variable the value came
 * from: commander announces which one (its `option:` and `optionEnv:` events) just before
 * it calls the reader.
 */
function createCommand(): Command {
  const command = new Command('fanout-server')
    .description(
      'Runs the number-guessing server with /healthz, /readyz, /livez, /metrics and the Life viewer over HTTP.\n' +
        'Each option can also be set by the environment variable shown beside it; flags win, empty variables count as unset.\n' +
        'Times are milliseconds or take a unit: 500ms, 30s, 2m.',
    )
    .helpOption('-h, --help', 'show this help')
    .option('-v, --version', 'print the version')
    .allowExcessArguments(true)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  for (const setting of SETTINGS) {
    let source = `--${setting.flag}`;
    // Registered before the option itself, so these run before commander's own handlers.
    command.on(`option:${setting.flag}`, () => {
      source = `--${setting.flag}`;
    });
    command.on(`optionEnv:${setting.flag}`, () => {
      source = setting.env;
    });
    const option = new Option(`--${setting.flag} <${setting.placeholder}>`, setting.help)
      .env(setting.env)
      .argParser((raw: string) => setting.read(source, raw))
      .default(DEFAULT_CONFIG[setting.key], describeDefault(setting.key, setting.read));
    command.addOption(option);
  }
  return command;
}

/** Environment variables with a value: an empty variable counts as unset. */
function withoutEmpty(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') kept[name] = value;
  }
  return kept;
}

/**
 * Runs `parse` with `env` as `process.env` (commander reads variables from there), so
 * callers can parse with any environment, then puts the real one back.
 */
function withEnvironment<T>(env: Record<string, string>, parse: () => T): T {
  const real = process.env;
  process.env = env;
  try {
    return parse();
  } finally {
    process.env = real;
  }
}

/**
 * Reads the server's settings from command-line flags and environment variables with
 * commander (`Option.env()`). Precedence: flag, then variable, then `DEFAULT_CONFIG`.
 * Durations are milliseconds, or a number with `ms`, `s` or `m` (`30s`).
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
  const command = createCommand();
  try {
    withEnvironment(withoutEmpty(env), () => command.parse([...argv], { from: 'user' }));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed') return { kind: 'help', text: helpText() };
      const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
      throw new ConfigError(`${message} (see --help)`, 'argv', undefined, { cause: error });
    }
    throw error;
  }
  const [extra] = command.args;
  if (extra !== undefined) {
    throw new ConfigError(
      `unexpected argument ${JSON.stringify(extra)} (see --help)`,
      'argv',
      extra,
    );
  }
  if (command.getOptionValue('version') === true) return { kind: 'version' };
  const config: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    config[setting.key] = command.getOptionValue(attributeName(setting));
  }
  return { kind: 'run', config: Object.freeze(config) as unknown as ServerConfig };
}

/** The text printed by `fanout-server --help`. */
export function helpText(): string {
  return createCommand().helpInformation();
}

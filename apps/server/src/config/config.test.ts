import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, helpText, parseConfig } from './config.js';

function run(argv: string[], env: Record<string, string> = {}) {
  const parsed = parseConfig(argv, env);
  if (parsed.kind !== 'run') throw new Error(`expected run, got ${parsed.kind}`);
  return parsed.config;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it("uses the defaults: loopback, the chapter's port 1234, one process", () => {
    expect(run([])).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.host).toBe('127.0.0.1');
    expect(DEFAULT_CONFIG.guessPort).toBe(1234);
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const config = run([
      '--host=0.0.0.0',
      '--guess-port',
      '0',
      '--http-port=9000',
      '--strategy',
      'bisect',
      '--max-connections',
      '50',
      '--idle-timeout',
      '30s',
      '--max-line-bytes',
      '64',
      '--workers',
      '3',
      '--drain-timeout',
      '2m',
      '--shutdown-delay',
      '5s',
      '--slow-callback',
      '250ms',
      '--log-level',
      'DEBUG',
    ]);
    expect(config).toEqual({
      host: '0.0.0.0',
      guessPort: 0,
      httpPort: 9000,
      strategy: 'bisect',
      maxConnections: 50,
      idleTimeoutMs: 30_000,
      maxLineBytes: 64,
      workers: 3,
      shutdownDelayMs: 5_000,
      drainTimeoutMs: 120_000,
      slowCallbackMs: 250,
      logLevel: 'debug',
    });
  });

  it('reads environment variables, and flags win over them', () => {
    const env = {
      FANOUT_HOST: '::1',
      FANOUT_GUESS_PORT: '4000',
      FANOUT_HTTP_PORT: '4001',
      FANOUT_WORKERS: '2',
      FANOUT_IDLE_TIMEOUT: '0',
      LOG_LEVEL: 'warn',
      FANOUT_STRATEGY: '',
      FANOUT_SHUTDOWN_DELAY: '2s',
    };
    const config = run(['--guess-port', '5000'], env);
    expect(config.host).toBe('::1');
    expect(config.guessPort).toBe(5000);
    expect(config.httpPort).toBe(4001);
    expect(config.workers).toBe(2);
    expect(config.idleTimeoutMs).toBe(0);
    expect(config.logLevel).toBe('warn');
    expect(config.strategy).toBe('random'); // empty variable = unset
    expect(config.shutdownDelayMs).toBe(2_000);
    expect(config.maxConnections).toBeUndefined(); // derived from the open-file limit
  });

  it('leaves the real environment alone, and reads only the one it is given', () => {
    const before = process.env;
    process.env.FANOUT_WORKERS = '7';
    try {
      expect(run([]).workers).toBe(1);
      expect(run([], { FANOUT_WORKERS: '3' }).workers).toBe(3);
      expect(process.env).toBe(before);
      expect(process.env.FANOUT_WORKERS).toBe('7');
    } finally {
      delete process.env.FANOUT_WORKERS;
    }
  });

  it.each([
    [['--guess-port', '65536'], '--guess-port must be a port number from 0 to 65535, got "65536"'],
    [['--http-port', 'abc'], '--http-port must be a port number from 0 to 65535, got "abc"'],
    [['--workers', '0'], '--workers must be a whole number >= 1, got "0"'],
    [['--max-connections=-3'], '--max-connections must be a whole number >= 1, got "-3"'],
    [['--strategy', 'psychic'], '--strategy must be one of random, bisect, got "psychic"'],
    [['--idle-timeout', '5h'], '--idle-timeout must be a duration such as 500, 500ms, 30s or 2m'],
    [['--log-level', 'loud'], '--log-level must be one of fatal, error, warn, info, debug'],
    [
      ['--shutdown-delay', 'soon'],
      '--shutdown-delay must be a duration such as 500, 500ms, 30s or 2m',
    ],
  ])('rejects %j with a one-line message naming the flag and value', (argv, message) => {
    const error = errorOf(() => parseConfig(argv, {}));
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
    expect(error.setting).toBe(argv[0]?.split('=')[0]);
  });

  it('names the environment variable when the bad value came from there', () => {
    const error = errorOf(() => parseConfig([], { FANOUT_GUESS_PORT: 'http' }));
    expect(error.message).toBe(
      'FANOUT_GUESS_PORT must be a port number from 0 to 65535, got "http"',
    );
    expect(error.setting).toBe('FANOUT_GUESS_PORT');
    expect(error.value).toBe('http');
  });

  it('rejects unknown flags and stray arguments', () => {
    expect(errorOf(() => parseConfig(['--port', '1'], {})).message).toMatch(/--port/);
    expect(errorOf(() => parseConfig(['serve'], {})).message).toMatch(/serve/);
  });

  it('recognises --help and --version', () => {
    const help = parseConfig(['--help'], {});
    expect(help.kind).toBe('help');
    expect(help.kind === 'help' && help.text).toBe(helpText());
    expect(parseConfig(['-v'], {}).kind).toBe('version');
    expect(parseConfig(['--version'], {}).kind).toBe('version');
    for (const text of ['--guess-port', 'FANOUT_GUESS_PORT', '--shutdown-delay', 'LOG_LEVEL']) {
      expect(helpText()).toContain(text);
    }
  });
});

/**
 * The errors `fanout-server` raises itself. Each has a stable `code` (`FANOUT_…`) and the
 * fields an operator or a caller acts on.
 */

/**
 * A flag or environment variable had a value the server cannot use. The message is one line
 * naming the setting and the value, meant for stderr as is (the bin exits 2).
 */
export class ConfigError extends Error {
  static readonly code = 'FANOUT_CONFIG';
  readonly code = ConfigError.code;
  override readonly name = 'ConfigError';
  /** The flag or variable at fault, e.g. `--guess-port` or `FANOUT_WORKERS` (`argv` for the command line as a whole). */
  readonly setting: string;
  /** The value it was given, when there was one. */
  readonly value: string | undefined;

  constructor(message: string, setting: string, value?: string, options?: ErrorOptions) {
    super(message, options);
    this.setting = setting;
    this.value = value;
  }
}

/** The operations thread could not bind its port. */
export class OpsListenError extends Error {
  static readonly code = 'FANOUT_OPS_LISTEN';
  readonly code = OpsListenError.code;
  override readonly name = 'OpsListenError';
  /** The system error code, e.g. `EADDRINUSE`. */
  readonly systemCode: string | undefined;
  constructor(message: string, systemCode: string | undefined) {
    super(message);
    this.systemCode = systemCode;
  }
}

import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { workerConfigFromEnv } from './cluster/messages.js';
import { runClusterWorker } from './cluster/worker.js';
import { startCluster } from './cluster/primary.js';
import { ConfigError, type ServerConfig, parseConfig } from './config/config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { exitOnSignals } from './shutdown.js';

/** Extra time past the drain timeout before a stuck shutdown is forced. */
const FORCE_GRACE_MS = 5_000;

async function main(): Promise<void> {
  if (cluster.isWorker) {
    const config = workerConfigFromEnv(process.env);
    if (config === undefined) throw new Error('cluster worker started without its settings');
    const logger = createLogger({ level: config.logLevel, base: { worker: cluster.worker?.id } });
    await runClusterWorker(config, logger);
    return;
  }

  let config: ServerConfig;
  try {
    const parsed = parseConfig(process.argv.slice(2), process.env);
    if (parsed.kind === 'help') {
      process.stdout.write(parsed.text);
      return;
    }
    if (parsed.kind === 'version') {
      process.stdout.write(`${readVersion()}\n`);
      return;
    }
    config = parsed.config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`fanout-server: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }

  const logger = createLogger({ level: config.logLevel });
  const role = config.workers > 1 ? 'primary' : 'single';
  logger.info(
    {
      role,
      host: config.host,
      workers: config.workers,
      strategy: config.strategy,
      maxConnections: config.maxConnections ?? 'from the open-file limit',
      idleTimeoutMs: config.idleTimeoutMs,
      maxLineBytes: config.maxLineBytes,
      shutdownDelayMs: config.shutdownDelayMs,
      drainTimeoutMs: config.drainTimeoutMs,
    },
    'starting',
  );
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server =
      config.workers > 1
        ? await startCluster(config, { logger })
        : await startServer(config, { logger });
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
  exitOnSignals({
    close: () => server.close(),
    logger,
    forceAfterMs: config.shutdownDelayMs + config.drainTimeoutMs + FORCE_GRACE_MS,
  });
  logger.info(
    { host: config.host, guessPort: server.guessPort, httpPort: server.httpPort, role },
    'listening',
  );
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fanout-server: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

/** Helpers for fanout's own tests. Private: never published, never imported by `src/` code. */
export { seededRandom, seededUint32 } from '@fanout/internal/random';
export { type Deferred, deferred, flush } from './deferred.js';
export { errorClassesOf, expectErrorContract } from './error-contract.js';
export { LineSocket } from './line-socket.js';
export { type RedisServer, type RedisServerOptions, startRedis } from './redis-server.js';
export { localImports } from './local-imports.js';
export { type TempDir, tempDir } from './temp-dir.js';
export { collect, waitFor } from './wait-for.js';

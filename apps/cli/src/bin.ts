/**
 * Entry point of the `fanout` bin. Turns on Node's compile cache first (Node 22.1+; honours
 * NODE_DISABLE_COMPILE_CACHE and NODE_COMPILE_CACHE), so that the modules loaded after it,
 * the whole command tree, are compiled once rather than at every start; then runs main.ts.
 */
import * as nodeModule from 'node:module';

try {
  // Absent on Node 20 (then nothing happens); a cache it cannot write is reported, not thrown.
  (nodeModule as unknown as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {}

const { run } = await import('./main.js');
run();

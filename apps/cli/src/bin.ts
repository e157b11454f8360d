/**
 * Entry point of the `fanout` bin. Turns on Node's compile cache first (Node 22.1+; honours
 * NODE_DISABLE_COMPILE_CACHE and NODE_COMPILE_CACHE), so that the modules loaded after it,
 * the whole command tree, are compiled once rather than at every start; then runs main.ts.
 */
import * as nodeModule from 'node:module';

interface CompileCache {
  enableCompileCache?: () => { status: number; directory?: string };
  constants?: { compileCacheStatus?: { ENABLED?: number } };
}

try {
  // Absent on Node 20 (then nothing happens); a cache it cannot write is reported, not thrown.
  const node = nodeModule as unknown as CompileCache;
  const cache = node.enableCompileCache?.();
  const enabled = node.constants?.compileCacheStatus?.ENABLED;
  if (cache?.directory && cache.status === enabled && !process.env.NODE_COMPILE_CACHE) {
    // Worker threads (tail's writer) find the cache only through the environment.
    process.env.NODE_COMPILE_CACHE = cache.directory;
  }
} catch {}

const { run } = await import('./main.js');
run();

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The Life viewer: plain TypeScript + DOM, bundled from web/ into dist/web/, which
// fanout-server serves with createStaticHandler. tsup writes dist/bin.js beside it, so
// only dist/web is emptied here (and tsup must not clean dist).
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Every browser that runs the page supports modulepreload; the polyfill would only
    // add an inline script that the server's content security policy would have to allow.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});

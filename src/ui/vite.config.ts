import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The support UI: plain TypeScript in app/, built to dist/ and served by the API at `/`. */
const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: here('./app'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    // No data: URIs or inline chunks: everything is a file under /assets, which the CSP allows.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});

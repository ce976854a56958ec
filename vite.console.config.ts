import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The admin console (src/console/web), built into dist/console/ and served by the gateway at
 * /admin. Nothing inline (no data: URIs, no inline scripts), so it runs under the console's
 * Content-Security-Policy (`script-src 'self'`, `style-src 'self'`).
 */
export default defineConfig({
  root: fromHere('./src/console/web'),
  base: '/admin/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fromHere('./dist/console'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});

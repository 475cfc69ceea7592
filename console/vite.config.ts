import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The officers' web console: a single-page app served by the admin server at /admin/ from dist/console.
 * `npm run console:build` builds it; `npm run console:dev` serves it with the API proxied to `npm start`.
 */
export default defineConfig({
  // Same as root: 'console', but independent of the directory the command runs in.
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  plugins: [preact()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 250,
    // Browsers officers use all support <link rel=modulepreload>: no polyfill in the bundle.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/admin/api': `http://127.0.0.1:${process.env.PORT ?? 3000}` },
  },
});

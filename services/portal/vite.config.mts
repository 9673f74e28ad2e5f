import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The portal: a single-page app served by the gateway at / (from services/portal/dist). In development
 * `npx nx run portal:dev` serves it with hot reload on http://127.0.0.1:5173 and passes the API calls to
 * the gateway of `npm start` on http://127.0.0.1:4000.
 */
const here = import.meta.dirname;
const gateway = process.env['KOPPELSTUK_GATEWAY_URL'] ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: join(here, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/graphql': gateway,
      '/portal/config': gateway,
      '/dev': gateway,
    },
  },
  preview: { host: '127.0.0.1', port: 4173 },
});

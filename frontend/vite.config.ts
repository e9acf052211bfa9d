
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The gateway serves the built bundle in production; in development the Vite dev server proxies
// every backend path to a gateway (default: the frontend engineer's local stack on 18080).
const gateway = process.env.BEACON_GATEWAY ?? 'http://127.0.0.1:18080';
const proxied = ['/api', '/ott', '/login', '/logout', '/dev', '/actuator'];
const proxy = Object.fromEntries(proxied.map((path) => [path, { target: gateway, changeOrigin: false }]));

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy },
  // `npm run preview` serves the built dist/ with the same proxy: the production bundle against a stack
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
  },
});

import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const backend = 'http://localhost:8000';
// `/verify/:code` is an SPA page (the API lives under /api/verify/), so it is not proxied.
const proxied = ['/api', '/sso', '/healthz'];

// Django serves dist/index.html for every non-API path and the built assets
// under /static/, so production builds use base '/static/'. The dev server
// keeps '/' so that client-side routes (/login, /platform/...) work as-is.
export default defineConfig(({ command }) => ({
  base: command === 'build' ? '/static/' : '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      proxied.map((path) => [path, { target: backend, changeOrigin: false }]),
    ),
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
  },
}));

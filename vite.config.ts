// The browser lab: `npm run web` serves web/ (dev), `npm run build:web` writes a static site to dist-web/
// with relative URLs (base './'), so it works from any static host or sub-path.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  build: { outDir: '../dist-web', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});

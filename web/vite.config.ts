// The console's build: React via @vitejs/plugin-react, static files into web/dist that the API serves at `/`.
// The pure domain modules it imports (ID-number check, glossary) live in ../domain and are bundled from there.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false, // the bench measures gzip itself; skipping it keeps `npm start` quick
  },
  server: {
    port: 18173,
    fs: { allow: ['..'] },
    proxy: { '/api': 'http://localhost:3000', '/openapi.json': 'http://localhost:3000' },
  },
});

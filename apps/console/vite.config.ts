import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The BFF that `npm run dev` starts beside Vite: the same PORT both read. */
const bff = `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export default defineConfig(({ mode }) => ({
  plugins: [react()],
  server: {
    proxy: {
      '/api': bff,
      '/20220615': bff,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The BFF serves dist/ publicly: a production build ships no source maps, which would hand out
    // the whole source. The dev server maps modules by itself; `vite build --mode development`
    // still writes them for local debugging of a build.
    sourcemap: mode === 'development',
    // The budget that matters is gzipped and checked by `npm run check:bundle` (P10, in the tests);
    // Vite's raw-size warning would only repeat on every start.
    chunkSizeWarningLimit: 800,
  },
}));

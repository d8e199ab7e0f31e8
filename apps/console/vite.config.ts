import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const bff = 'http://localhost:8080';

export default defineConfig({
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
    sourcemap: true,
  },
});

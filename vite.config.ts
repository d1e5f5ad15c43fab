import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { twinsPlugin } from './tools/vite-plugin-twins.ts';

// TWINVIEW_TWINS_DIRS: colon-separated folders of twins (default "models").
// TWINVIEW_BROKER_URL: a broker URL that overrides the twins' connection.url.
const dirs = (process.env.TWINVIEW_TWINS_DIRS ?? 'models').split(':').filter(Boolean);

export default defineConfig({
  plugins: [react(), twinsPlugin({ dirs, brokerUrl: process.env.TWINVIEW_BROKER_URL || undefined })],
  worker: { format: 'es' },
  build: {
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/three/')) return 'three';
          if (id.includes('node_modules/@react-three/')) return 'r3f';
          if (id.includes('node_modules/recharts') || id.includes('node_modules/d3-')) return 'charts';
          return undefined;
        },
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { twinsPlugin } from './tools/vite-plugin-twins.ts';
import { editorPlugin } from './tools/vite-plugin-editor.ts';
import { historyApiUrl, historyProxy } from './server/history/proxy.ts';

// TWINVIEW_TWINS_DIRS: colon-separated folders of twins (default "models").
// TWINVIEW_BROKER_URL: a broker URL that overrides the twins' connection.url.
// TWINVIEW_EDITOR_DIR: where the editor (?mode=edit) may save twins; unset: it offers a zip download instead.
// TWINVIEW_HISTORY_API: the history API (http://127.0.0.1:<port>) that /api/history/ is proxied to; unset: 503.
const history = historyProxy(historyApiUrl(process.env.TWINVIEW_HISTORY_API));
const dirs = (process.env.TWINVIEW_TWINS_DIRS ?? 'models').split(':').filter(Boolean);

export default defineConfig({
  plugins: [
    react(),
    twinsPlugin({ dirs, brokerUrl: process.env.TWINVIEW_BROKER_URL || undefined }),
    editorPlugin({ dir: process.env.TWINVIEW_EDITOR_DIR || undefined, twinsDirs: dirs }),
    {
      name: 'twinview-history-proxy',
      configureServer: (server) => void server.middlewares.use(history),
      configurePreviewServer: (server) => void server.middlewares.use(history),
    },
  ],
  worker: { format: 'es' },
  build: {
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // Groups take their modules' dependencies with them; the higher priority claims a shared one
        // first. React must be its own: claimed by 'charts' (recharts uses it), the lazy charts
        // became part of the first load (tools/bundle-size.ts).
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 4 },
            { name: 'three', test: /node_modules[\\/]three[\\/]/, priority: 3 },
            { name: 'r3f', test: /node_modules[\\/]@react-three[\\/]/, priority: 2 },
            { name: 'charts', test: /node_modules[\\/](recharts|d3-)/, priority: 1 },
          ],
        },
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});

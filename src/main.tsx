import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/app.css';
import { initI18n } from './i18n';
import { registerKioskServiceWorker } from './app/serviceWorker';

// The UI text's language is known (and its resources loaded) before anything renders.
void initI18n().then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
// Kiosk walls only: survives a reload while the web server is down (docs/kiosk.md).
void registerKioskServiceWorker();

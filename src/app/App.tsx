import { StartPage } from './StartPage';
import { TwinPage } from './TwinPage';
import { screenMode } from '../engine/commands';

/** Routing by URL parameter, so a portal can link straight to a site: ?twin=pump-station. */
export function App() {
  const params = new URLSearchParams(window.location.search);
  const twin = params.get('twin');
  // The whole page knows its screen (the kiosk hides the cursor everywhere, even over the start page).
  document.documentElement.dataset.mode = screenMode(window.location.search);
  return twin ? <TwinPage id={twin} params={params} /> : <StartPage />;
}

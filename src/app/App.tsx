import { StartPage } from './StartPage';
import { TwinPage } from './TwinPage';

/** Routing by URL parameter, so a portal can link straight to a site: ?twin=pump-station. */
export function App() {
  const params = new URLSearchParams(window.location.search);
  const twin = params.get('twin');
  return twin ? <TwinPage id={twin} params={params} /> : <StartPage />;
}

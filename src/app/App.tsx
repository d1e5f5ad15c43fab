import { lazy, Suspense } from 'react';
import { StartPage } from './StartPage';
import { TwinPage } from './TwinPage';
import { screenMode } from '../engine/commands';
import { loadPageText } from '../i18n';

// The editor is its own chunk: an operator's first load does not carry it.
// Its words load with it (src/i18n/resources.ts), in the UI language and English.
const EditorPage = lazy(() =>
  Promise.all([import('../editor/ui/EditorPage'), loadPageText('editor')]).then(([page]) => page),
);

/** Routing by URL parameter, so a portal can link straight to a site: ?twin=pump-station. */
export function App() {
  const params = new URLSearchParams(window.location.search);
  const twin = params.get('twin');
  // The whole page knows its screen (the kiosk hides the cursor everywhere, even over the start page).
  document.documentElement.dataset.mode = screenMode(window.location.search);
  if (params.get('mode') === 'edit')
    return (
      <Suspense fallback={null}>
        <EditorPage folder={twin} />
      </Suspense>
    );
  return twin ? <TwinPage id={twin} params={params} /> : <StartPage />;
}

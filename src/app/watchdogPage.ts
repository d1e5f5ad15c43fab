/**
 * The kiosk's watchdog, wired to the page: frames from the scene's counter, the engine worker's last
 * word from the engine client, visibility from the document, the log in localStorage. Started by the
 * kiosk screen only: an operator at a desk would lose what they were typing to a reload.
 */
import { engineHeardAt, freezeEngineWorkersForTest } from '../engine/engineClient';
import { parseDuration } from '../lib/duration';
import { requestSceneDraw } from '../scene/sceneFrames';
import { sceneStats } from '../scene/sceneStats';
import { Watchdog, watchdogSettings, type WatchedPage } from './watchdog';

/** What `?testHooks=1` adds to the page for the end-to-end tests. */
export interface TwinviewTestHooks {
  /** Every engine worker stops answering, now and after each restart: the watchdog must reload. */
  freezeEngine(): void;
}

declare global {
  interface Window {
    twinviewTest?: TwinviewTestHooks;
  }
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // blocked storage: the watchdog still works, without a log
  }
}

const page: WatchedPage = {
  now: () => Date.now(),
  visible: () => document.visibilityState === 'visible',
  frames: () => sceneStats.frames,
  requestFrame: requestSceneDraw,
  engineHeardAt,
};

/** Starts the watchdog the URL asks for (on unless `watchdog=off`); returns its stop. */
export function startKioskWatchdog(search: string): () => void {
  const settings = watchdogSettings(search, parseDuration);
  if (settings.testHooks) window.twinviewTest = { freezeEngine: freezeEngineWorkersForTest };
  if (!settings.enabled) return () => undefined;
  const dog = new Watchdog({
    page,
    timing: settings.timing,
    store: storage(),
    reload: () => window.location.reload(),
  });
  dog.start();
  return () => dog.stop();
}

export { readLog } from './watchdog';
export { storage as watchdogStorage };

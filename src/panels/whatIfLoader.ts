/**
 * The what-if runs the whole Engine on the main thread: it is loaded on first use, not with the page
 * (it would otherwise be part of the initial JavaScript), together with the Sparkplug decoder for a
 * twin that reads Sparkplug (the engine cannot decode such a twin's recording without it).
 */
import type { Twin } from '../twin/schema';

export async function loadWhatIf(twin: Twin) {
  const [engine, history, sparkplug] = await Promise.all([
    import('../engine/whatIf'),
    import('./trendWhatIf'),
    import('../engine/sparkplugIngest'),
  ]);
  if (sparkplug.needsSparkplug(twin)) await sparkplug.loadSparkplug();
  return {
    whatIf: engine.whatIf,
    whatIfRecording: engine.whatIfRecording,
    whatIfHistory: history.whatIfHistory,
  };
}

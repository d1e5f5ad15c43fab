/**
 * The editor's one topic browser: the model (fed by its MQTT client, never by React) and the little
 * UI state around it (the client's state, the topic picked) in a zustand store, shared by the topic
 * browser panel, the Signals section (make a signal from what was picked) and the Rules section
 * (the what-if over what was seen).
 */
import { create } from 'zustand';
import { TopicBrowser } from './topicBrowser';
import { startTopicClient, type TopicClient, type TopicClientState } from './topicClient';

/** The model: module-level, read on a timer by the panel, never a React render per message. */
export const topicModel = new TopicBrowser();

interface TopicUi {
  state: TopicClientState | null;
  /** The URL and filter the running client uses. */
  url: string | null;
  filter: string;
  selected: string | null;
}

export const useTopics = create<TopicUi>(() => ({ state: null, url: null, filter: '#', selected: null }));

let client: TopicClient | null = null;
// Which start is current: a closed client's late state changes are ignored.
let generation = 0;

/** Connects the browser to `url` with `filter` (closing any previous connection; what was seen stays). */
export async function startBrowsing(url: string, filter: string): Promise<void> {
  stopBrowsing();
  const mine = ++generation;
  useTopics.setState({ url, filter, state: { kind: 'connecting' } });
  // mqtt.js loads with the first use, not with the editor page.
  const mqtt = (await import('mqtt')).default;
  if (mine !== generation) return; // stopped or restarted meanwhile
  client = startTopicClient({
    url,
    filter,
    browser: topicModel,
    connect: mqtt.connect,
    onState: (state) => {
      if (mine === generation) useTopics.setState({ state });
    },
  });
}

export function stopBrowsing(): void {
  const running = client;
  client = null;
  generation++;
  running?.close();
  useTopics.setState({ url: null, state: running ? { kind: 'closed' } : null });
}

export function selectTopic(topic: string | null): void {
  useTopics.setState({ selected: topic });
}

/** Forgets every topic seen (the connection stays). */
export function clearTopics(): void {
  topicModel.clear();
  useTopics.setState({ selected: null });
}

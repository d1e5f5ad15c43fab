/**
 * HTTP sources (`sources` in the twin): each endpoint is fetched with GET every `every`, and its body
 * is handed to the engine as a message on the topic "$http/<source id>", so it goes through the same
 * router, decoders and rules as MQTT data. A failed poll changes no value; the signals then go stale
 * by their own `period`. Runs in the worker and in Node alike (fetch and AbortController only).
 */
import type { Twin } from '../twin/schema';
import { HTTP_TOPIC_PREFIX } from '../twin/schema';
import { parseDuration } from '../lib/duration';

/** A poll is abandoned after this long (or after its interval, if shorter). */
export const HTTP_TIMEOUT_MS = 10_000;
/** The shortest poll interval honoured, so a typo of "1ms" cannot flood a server. */
export const MIN_POLL_MS = 1000;

export interface HttpPollerOptions {
  sources: Twin['sources'];
  /** A body arrived: feed it to the engine. */
  onBody(topic: string, body: Uint8Array): void;
  /** A poll failed (network, HTTP status, timeout); said once per failure streak per source. */
  onProblem(message: string): void;
  /** The source answers again after a failure streak; `message` is what onProblem said. */
  onRecovered?(message: string): void;
  fetch?: typeof fetch;
}

export interface HttpPoller {
  stop(): void;
}

export function startHttpPolling(o: HttpPollerOptions): HttpPoller {
  const doFetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  const timers: ReturnType<typeof setTimeout>[] = [];
  const controllers = new Set<AbortController>();
  let stopped = false;

  for (const source of o.sources) {
    const every = Math.max(MIN_POLL_MS, parseDuration(source.every) ?? 60_000);
    const topic = HTTP_TOPIC_PREFIX + source.id;
    let failing: string | null = null;
    const poll = async () => {
      if (stopped) return;
      const controller = new AbortController();
      controllers.add(controller);
      const timeout = setTimeout(() => controller.abort(), Math.min(every, HTTP_TIMEOUT_MS));
      try {
        // No credentials or cookies: the twin names the endpoint, nothing else goes with it.
        const res = await doFetch(source.url, { signal: controller.signal, credentials: 'omit', cache: 'no-store' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = new Uint8Array(await res.arrayBuffer());
        if (stopped) return;
        if (failing !== null) o.onRecovered?.(failing);
        failing = null;
        o.onBody(topic, body);
      } catch (err) {
        if (stopped) return;
        if (failing === null) {
          const reason = controller.signal.aborted ? 'timed out' : err instanceof Error ? err.message : String(err);
          failing = `HTTP source "${source.id}" (${source.url}): ${reason}`;
          o.onProblem(failing);
        }
      } finally {
        clearTimeout(timeout);
        controllers.delete(controller);
        if (!stopped) timers.push(setTimeout(() => void poll(), every));
      }
    };
    void poll();
  }

  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const c of controllers) c.abort();
    },
  };
}

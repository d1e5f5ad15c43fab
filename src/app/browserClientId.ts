/**
 * The browser's own MQTT client id for persistent sessions: made once per browser and twin, kept in
 * localStorage, so the broker recognises the dashboard after a reload or a reconnect and hands over
 * the QoS 1 messages it queued meanwhile. (Two tabs of one twin share the id and take the session from
 * each other; a persistent session is meant for one dashboard per browser, e.g. a kiosk.)
 */

const PREFIX = 'twinview.clientId.';

function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The fixed client id of this browser for a twin, created on first use. */
export function browserClientId(twinId: string, storage: Storage | null = safeLocalStorage()): string {
  const key = PREFIX + twinId;
  const existing = storage?.getItem(key);
  if (existing && /^twinview-[0-9a-f]{16}$/.test(existing)) return existing;
  const id = `twinview-${randomHex(8)}`;
  try {
    storage?.setItem(key, id);
  } catch {
    // Storage full or blocked (private mode): the session then lasts as long as the page.
  }
  return id;
}

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // access denied (sandboxed iframe)
  }
}

/**
 * "Test" beside the broker URL: one MQTT connect from the page, answered with "connected" or the
 * reason it is not (not a ws/wss URL, refused or unreachable, not authorised, timeout). Pure apart
 * from the injected connect function, so the reasons are unit-tested without a broker.
 */
import type { IClientOptions, MqttClient } from 'mqtt';

export type BrokerTestResult =
  | { ok: true }
  | {
      ok: false;
      reason: 'not-ws' | 'credentials-in-url' | 'refused' | 'not-authorised' | 'timeout' | 'error';
      detail?: string;
    };

export const BROKER_TEST_TIMEOUT_MS = 5000;

type Connect = (url: string, options: IClientOptions) => MqttClient;

/** Why a URL cannot be tried at all, or null when it can. */
export function urlProblem(url: string): 'not-ws' | 'credentials-in-url' | null {
  if (!/^wss?:\/\/[^\s]+$/.test(url)) return 'not-ws';
  if (/\/\/[^/]*@/.test(url)) return 'credentials-in-url';
  return null;
}

// CONNACK return codes (3.1.1: 4 bad user name or password, 5 not authorised) and MQTT 5 reason
// codes (134 bad user name or password, 135 not authorised).
const AUTH_CODES = new Set([4, 5, 134, 135]);

export function testBroker(
  url: string,
  connect: Connect,
  options: { username?: string; password?: string; timeoutMs?: number } = {},
): Promise<BrokerTestResult> {
  const bad = urlProblem(url);
  if (bad) return Promise.resolve({ ok: false, reason: bad });
  return new Promise((resolve) => {
    let done = false;
    let client: MqttClient | null = null;
    const finish = (result: BrokerTestResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client?.end(true);
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'timeout' }),
      options.timeoutMs ?? BROKER_TEST_TIMEOUT_MS,
    );
    try {
      client = connect(url, {
        // 3.1.1: every broker speaks it; the twin's own version is negotiated by the engine later.
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: options.timeoutMs ?? BROKER_TEST_TIMEOUT_MS,
        clean: true,
        clientId: `twinview-editor-test-${Math.random().toString(16).slice(2, 10)}`,
        username: options.username || undefined,
        password: options.password || undefined,
      });
    } catch (err) {
      finish({ ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) });
      return;
    }
    client.on('connect', () => finish({ ok: true }));
    client.on('error', (err: Error & { code?: unknown }) => {
      const code = typeof err.code === 'number' ? err.code : NaN;
      if (AUTH_CODES.has(code) || /not authori[sz]ed|bad user ?name or password/i.test(err.message))
        finish({ ok: false, reason: 'not-authorised', detail: err.message });
      else if (/ECONNREFUSED|refused/i.test(err.message)) finish({ ok: false, reason: 'refused', detail: err.message });
      else finish({ ok: false, reason: 'error', detail: err.message });
    });
    // A browser gives no reason for a WebSocket that could not open: it just closes.
    client.on('close', () => finish({ ok: false, reason: 'refused' }));
  });
}

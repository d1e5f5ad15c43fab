/**
 * The browser WebSocket mqtt.js is given (its `createWebsocket` option): a plain WebSocket whose
 * messages pass through an MqttFrameSplitter first. Telemetry publishes go straight to `onPublish`;
 * mqtt.js's message listener sees every other packet (connection, subscriptions, acknowledgements,
 * pings, QoS 1 publishes), each as a message of its own. Only the message listener is wrapped:
 * open, close, error and sending are the WebSocket's own.
 */
import { MqttFrameSplitter, type PublishSink } from './mqttFrames';

/** Is this a browser (a page or a worker), where mqtt.js talks to a browser WebSocket? */
export function hasBrowserWebSocket(): boolean {
  const g = globalThis as { WebSocket?: unknown; document?: unknown; WorkerGlobalScope?: unknown };
  return typeof g.WebSocket === 'function' && (g.document !== undefined || g.WorkerGlobalScope !== undefined);
}

export function splittingSocket(url: string, protocols: string[], mqtt5: boolean, onPublish: PublishSink): WebSocket {
  const socket = new WebSocket(url, protocols);
  const add = socket.addEventListener.bind(socket) as (
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ) => void;
  socket.addEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ) => {
    if (type !== 'message') return add(type, listener, options);
    const deliver = (data: ArrayBuffer) => {
      const event = { type: 'message', data } as MessageEvent;
      if (typeof listener === 'function') listener.call(socket, event);
      else listener.handleEvent(event);
    };
    const splitter = new MqttFrameSplitter(mqtt5, onPublish, (packet) => deliver(packet.buffer as ArrayBuffer));
    add(
      'message',
      (event: Event) => {
        const data = (event as MessageEvent).data as unknown;
        // Text or Blob messages are not what a broker sends (binaryType is arraybuffer): left to mqtt.js.
        if (!(data instanceof ArrayBuffer)) {
          if (typeof listener === 'function') listener.call(socket, event);
          else listener.handleEvent(event);
          return;
        }
        splitter.push(new Uint8Array(data));
      },
      options,
    );
  }) as typeof socket.addEventListener;
  return socket;
}

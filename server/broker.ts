/**
 * The embedded demo broker: aedes (MQTT 3.1.1) behind a WebSocket listener on loopback, so `npm start`
 * needs no Mosquitto or Docker. Optionally a plain TCP listener as well, for command-line MQTT tools.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';

export interface BrokerOptions {
  /** WebSocket port. Default 9001; 0 picks a free one (the URL tells which). */
  wsPort?: number;
  /** Interface to listen on. Default 127.0.0.1: a demo broker has no authentication. */
  host?: string;
  /** Plain MQTT-over-TCP port; off unless given. */
  tcpPort?: number;
}

export interface RunningBroker {
  /** ws://host:port */
  url: string;
  wsPort: number;
  /** mqtt://host:port when a TCP listener was asked for. */
  tcpUrl?: string;
  /** Disconnects every client and frees the ports. Safe to call twice. */
  close(): Promise<void>;
}

export const DEFAULT_BROKER_PORT = 9001;

/**
 * One WebSocket frame per write batch. aedes writes a PUBLISH as several small corked chunks (fixed header,
 * topic, payload...); the stream from createWebSocketStream sends each chunk as its own frame, which costs
 * the browser one message event each. With _writev the corked chunks arrive together and go out as one.
 */
function mqttStream(socket: WebSocket): Duplex {
  const stream = createWebSocketStream(socket);
  stream._writev = (chunks, callback) => {
    const data = chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map((c) => c.chunk as Buffer));
    socket.send(data, callback);
  };
  return stream;
}

function listen(server: HttpServer | NetServer, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(
          new Error(
            `port ${port} on ${host} is already in use (another broker or a previous Twinview?) — choose another with ${what}`,
          ),
        );
      } else if (err.code === 'EACCES') {
        reject(new Error(`not allowed to listen on port ${port} on ${host} — choose another with ${what}`));
      } else if (err.code === 'EADDRNOTAVAIL') {
        reject(new Error(`cannot listen on ${host}: no such local address`));
      } else {
        reject(err);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeServer(server: HttpServer | NetServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker();
  // A client that drops its connection is routine in a demo (browser tab closed): not worth a stack trace.
  aedes.on('clientError', () => {});
  aedes.on('connectionError', () => {});

  const httpServer = createHttpServer((_req, res) => {
    res.statusCode = 426;
    res.end('Twinview demo MQTT broker: connect with MQTT over WebSocket\n');
  });
  const wss = new WebSocketServer({ server: httpServer });
  wss.on('connection', (socket, req) => {
    aedes.handle(mqttStream(socket), req);
  });
  // Errors of the underlying server are reported by listen(); swallow the re-emitted copy on wss.
  wss.on('error', () => {});

  let tcpServer: NetServer | undefined;
  const tcpSockets = new Set<Socket>();

  const closeAll = async () => {
    for (const socket of wss.clients) socket.terminate();
    for (const socket of tcpSockets) socket.destroy();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    httpServer.closeAllConnections();
    await closeServer(httpServer);
    if (tcpServer) await closeServer(tcpServer);
  };

  let wsPort: number;
  let tcpUrl: string | undefined;
  try {
    wsPort = await listen(httpServer, options.wsPort ?? DEFAULT_BROKER_PORT, host, '--broker-port');
    if (options.tcpPort !== undefined) {
      const server = createNetServer((socket) => {
        tcpSockets.add(socket);
        socket.on('close', () => tcpSockets.delete(socket));
        aedes.handle(socket);
      });
      tcpServer = server;
      const port = await listen(server, options.tcpPort, host, 'the tcpPort option');
      tcpUrl = `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`;
    }
  } catch (err) {
    await closeAll();
    throw err;
  }

  let closing: Promise<void> | undefined;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `ws://${urlHost}:${wsPort}`,
    wsPort,
    tcpUrl,
    close: () => (closing ??= closeAll()),
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './test/ports';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// What `npm start` runs, without npm: npm's wrapper neither forwards a SIGINT sent to it alone nor survives
// one sent to the whole group (it dies of the signal), so the exit status of start.ts would be lost. One
// node process with tsx as its loader receives the signal itself (the tsx CLI would relay it to a child
// and SIGKILL that child if it did not answer within ~60 ms, which a loaded machine sometimes misses).

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Each run gets its own service state folder, so runs never share (or leave) state in the repository. */
function start(args: string[], env: NodeJS.ProcessEnv = {}): Run & { stateDir: string } {
  const stateDir = mkdtempSync(join(tmpdir(), 'twinview-start-state-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts', ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TWINVIEW_BROKER_URL: '', TWINVIEW_STATE_DIR: stateDir, ...env },
  });
  running.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited, stateDir };
}

/** Resolves when the run has printed `text` (checked on each chunk it prints); fails if it exits first. */
function waitFor(run: Run, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      run.child.stdout!.off('data', check);
      run.child.stderr!.off('data', check);
      run.child.off('exit', exited);
      if (error) reject(error);
      else resolve();
    };
    // Queued after the listener that appends the chunk to the output.
    const check = () => setImmediate(() => run.output().includes(text) && finish());
    const exited = () => finish(new Error(`exited early:\n${run.output()}`));
    const timer = setTimeout(
      () => finish(new Error(`no "${text}" within ${timeoutMs} ms:\n${run.output()}`)),
      timeoutMs,
    );
    run.child.stdout!.on('data', check);
    run.child.stderr!.on('data', check);
    run.child.on('exit', exited);
    if (run.output().includes(text)) finish();
    else if (run.child.exitCode !== null) exited();
  });
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('npm start (server/start.ts)', () => {
  // The production build comes first and takes most of a minute on a loaded 2-core machine.
  it('runs broker, simulator and dashboard, and stops cleanly on Ctrl-C', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const brokerPort = await freePort();
    const run = start(['--port', String(port), '--broker-port', String(brokerPort)]);
    await waitFor(run, 'Press Ctrl-C to stop.', 200_000);

    const out = run.output();
    expect(out).toContain('Twinview is running');
    expect(out).toContain(`Dashboard:  http://127.0.0.1:${port}/?twin=pump-station`);
    expect(out).toContain(`Broker:     ws://127.0.0.1:${brokerPort} (embedded)`);
    expect(out).toContain('Simulator:  publishing plant/north/# every 1000 ms, faults every 180 s');
    expect(out).toMatch(/Service: {4}alarms of pump-station, solar-farm shared on the broker/);

    // The production build, not the sources through a dev server.
    const html = await (await fetch(`http://127.0.0.1:${port}/?twin=pump-station`)).text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
    expect(html).not.toContain('@vite/client');
    const index = (await (await fetch(`http://127.0.0.1:${port}/twins/index.json`)).json()) as { id: string }[];
    expect(index.map((t) => t.id)).toContain('pump-station');
    // The dashboard is told to use the embedded broker rather than the twin's own URL.
    const config = (await (await fetch(`http://127.0.0.1:${port}/config.json`)).json()) as { brokerUrl?: string };
    expect(config.brokerUrl).toBe(`ws://127.0.0.1:${brokerPort}`);

    const client = await connectAsync(`ws://127.0.0.1:${brokerPort}`, { protocolVersion: 4, reconnectPeriod: 0 });
    // aedes streams retained messages after the SUBACK, so a live publish can arrive first: wait for a retained one.
    const retained = new Promise<{ topic: string; retain: boolean; body: { ts: number } }>((resolve) =>
      client.on('message', (topic, payload, packet) => {
        if (packet.retain && topic.startsWith('plant/'))
          resolve({ topic, retain: packet.retain, body: JSON.parse(payload.toString()) as { ts: number } });
      }),
    );
    await client.subscribeAsync('plant/north/+/telemetry');
    const first = await retained;
    // The engine service says it is online, retained, for a dashboard that connects later.
    const status = new Promise<string>((resolve) =>
      client.on('message', (topic, payload) => {
        if (topic === 'twinview/v1/pump-station/service') resolve(payload.toString());
      }),
    );
    await client.subscribeAsync('twinview/v1/pump-station/service');
    expect(JSON.parse(await status)).toMatchObject({ v: 1, state: 'online' });
    await client.endAsync(true);
    expect(first.topic).toMatch(/^plant\/north\/(pumps\/pump[123]|tank1|fan1|valve1)\/telemetry$/);
    expect(first.body.ts).toBeGreaterThan(Date.now() - 60_000);

    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    // The service saved its state and stopped cleanly (no running marker left); the historian's
    // database is beside it.
    const kept = readdirSync(run.stateDir).filter((f) => !f.startsWith('history.'));
    expect(kept.sort()).toEqual(['pump-station.state.json', 'solar-farm.state.json']);
    expect(readdirSync(run.stateDir)).toContain('history.duckdb');
    // Ports are free again.
    await (await occupy(port)).close();
    await (await occupy(brokerPort)).close();
  });

  it('with --dev, serves the sources with hot reload, and still stops cleanly', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const run = start(['--dev', '--port', String(port), '--broker-port', String(await freePort()), '--no-simulator']);
    await waitFor(run, 'Press Ctrl-C to stop.', 200_000);
    const html = await (await fetch(`http://127.0.0.1:${port}/?twin=pump-station`)).text();
    expect(html).toContain('/@vite/client');
    const config = (await (await fetch(`http://127.0.0.1:${port}/config.json`)).json()) as { brokerUrl?: string };
    expect(config.brokerUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });

  it('prints a link to a twin it serves when the twins come from another folder', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinview-start-twins-'));
    mkdirSync(join(dir, 'north plant'));
    writeFileSync(
      join(dir, 'north plant', 'twin.json'),
      JSON.stringify({
        id: 'north-plant',
        title: 'North plant',
        connection: { url: 'ws://127.0.0.1:9001', subscribe: ['n/#'] },
      }),
    );
    const port = await freePort();
    const run = start(['--dev', '--port', String(port), '--broker-port', String(await freePort()), '--no-simulator'], {
      TWINVIEW_TWINS_DIRS: dir,
    });
    await waitFor(run, 'Press Ctrl-C to stop.', 200_000);
    expect(run.output()).toContain(`Dashboard:  http://127.0.0.1:${port}/?twin=north%20plant`);
    expect(run.output()).not.toContain('?twin=pump-station');
    const twin = await fetch(`http://127.0.0.1:${port}/twins/north%20plant/twin.json`);
    expect(twin.status).toBe(200);
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });

  it('says in one line that the broker port is taken, and exits 1', { timeout: 120_000 }, async () => {
    const brokerPort = await freePort();
    const blocker = await occupy(brokerPort);
    try {
      const run = start(['--port', String(await freePort()), '--broker-port', String(brokerPort)]);
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.output().trim()).toBe(
        `Twinview could not start: port ${brokerPort} on 127.0.0.1 is already in use (another broker or a previous Twinview?) — choose another with --broker-port`,
      );
    } finally {
      blocker.close();
    }
  });

  it('says in one line that the dashboard port is taken, and exits 1', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const blocker = await occupy(port);
    try {
      const run = start(['--port', String(port), '--broker-port', String(await freePort()), '--no-simulator']);
      const { code } = await run.exited;
      expect(code).toBe(1);
      const lines = run.output().trim().split('\n');
      expect(lines.at(-1)).toBe(
        `Twinview could not start: port ${port} on 127.0.0.1 is already in use — choose another with --port`,
      );
      expect(run.output()).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  });

  it('documents its flags in --help', { timeout: 120_000 }, async () => {
    const run = start(['--help']);
    expect((await run.exited).code).toBe(0);
    for (const flag of [
      '--port',
      '--broker-port',
      '--broker',
      '--no-simulator',
      '--interval',
      '--faults',
      '--fault-every',
      '--solar',
      '--service',
      '--state',
      '--dev',
    ]) {
      expect(run.output()).toContain(flag);
    }
  });

  it('rejects an unknown flag as a usage error', { timeout: 120_000 }, async () => {
    const run = start(['--prot', '8080']);
    expect((await run.exited).code).toBe(2);
    expect(run.output()).toMatch(/--prot/);
  });
});

/**
 * Runs a real Mosquitto for the end-to-end tests: a TCP listener for the test's own publisher and a
 * WebSocket listener for the dashboard, both on loopback.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Mosquitto {
  stop(): Promise<void>;
  readonly pid: number;
}

export function findMosquitto(): string {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'])
    if (existsSync(p)) return p;
  throw new Error('mosquitto is not installed: install it with  sudo apt-get install -y mosquitto');
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * `persistenceDir`: keep sessions and queued messages on disk there (the folder outlives stop(), so a
 * restart with the same folder resumes the sessions; the caller removes it).
 */
export async function startMosquitto(opts: {
  tcpPort: number;
  wsPort: number;
  persistenceDir?: string;
  /** Require these username → password pairs (no anonymous clients). */
  users?: Record<string, string>;
  /**
   * An ACL file's text (Mosquitto's `acl_file`: "user NAME" then "topic read|write|readwrite FILTER"
   * lines): what each user may publish and subscribe to. A denied MQTT 5 publish is answered with
   * reason code 0x87 Not authorized.
   */
  acl?: string;
}): Promise<Mosquitto> {
  if ((await portOpen(opts.tcpPort)) || (await portOpen(opts.wsPort))) {
    throw new Error(`port ${opts.tcpPort} or ${opts.wsPort} is already in use on 127.0.0.1 (a previous test broker?)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'twinview-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      ...(opts.users ? ['allow_anonymous false', `password_file ${join(dir, 'passwd')}`] : ['allow_anonymous true']),
      ...(opts.acl !== undefined ? [`acl_file ${join(dir, 'acl')}`] : []),
      ...(opts.persistenceDir
        ? ['persistence true', `persistence_location ${opts.persistenceDir.replace(/\/?$/, '/')}`]
        : ['persistence false']),
      `listener ${opts.tcpPort} 127.0.0.1`,
      `listener ${opts.wsPort} 127.0.0.1`,
      'protocol websockets',
      'socket_domain ipv4',
      '',
    ].join('\n'),
  );
  if (opts.persistenceDir) ownByMosquitto(opts.persistenceDir);
  if (opts.users) writePasswords(dir, opts.users);
  if (opts.acl !== undefined) {
    writeFileSync(join(dir, 'acl'), opts.acl.endsWith('\n') ? opts.acl : `${opts.acl}\n`);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'acl'), 0o644);
  }
  const child: ChildProcess = spawn(findMosquitto(), ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!((await portOpen(opts.tcpPort)) && (await portOpen(opts.wsPort)))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mosquitto did not start: ${stderr.trim() || `exit ${child.exitCode}`}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid ?? -1,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Run as root, Mosquitto drops to the user "mosquitto", which must be able to write its persistence folder. */
function ownByMosquitto(dir: string): void {
  if (process.getuid?.() !== 0) return;
  try {
    const uid = Number(execFileSync('id', ['-u', 'mosquitto']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'mosquitto']).toString().trim());
    chownSync(dir, uid, gid);
  } catch {
    // No such user: Mosquitto then stays root and can write anyway.
  }
}

/** A Mosquitto password file (hashed by mosquitto_passwd), readable by the user Mosquitto runs as. */
function writePasswords(dir: string, users: Record<string, string>): void {
  const file = join(dir, 'passwd');
  writeFileSync(file, '');
  for (const [user, password] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', file, user, password]);
  chmodSync(dir, 0o755);
  chmodSync(file, 0o644);
}

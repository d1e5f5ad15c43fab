/**
 * deploy/nginx/twinview.conf, filled in: the nginx site with the same headers as `npm run serve`.
 * Used by e2e/nginx.spec.ts (Debian's nginx on loopback ports) and by server/nginxConf.test.ts, which
 * checks the file's headers against securityHeaders() so the two cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cspSource, frameAncestorsFlag } from './serve';
import { UsageError } from './flags';

export const NGINX_TEMPLATE = fileURLToPath(new URL('../deploy/nginx/twinview.conf', import.meta.url));

export interface NginxSite {
  /** What follows `listen`: "127.0.0.1:8080", "443 ssl". */
  listen: string;
  /** Absolute path of the built app. */
  dist: string;
  /** Brokers (and HTTP sources) the page may connect to. */
  brokers: string[];
  /** As for --frame-ancestors: "'self'", "'none'" or origins. */
  frameAncestors: string;
  /** host:port of the history API. */
  historyApi: string;
}

/** Fills in the template; a value that would change the configuration's structure is refused. */
export function renderNginxConf(template: string, site: NginxSite): string {
  if (!/^[\w.:[\]]+( ssl)?$/.test(site.listen)) throw new UsageError(`listen: "${site.listen}" is not an address:port`);
  if (!/^\/[\w./-]*$/.test(site.dist)) throw new UsageError(`dist: "${site.dist}" must be an absolute path`);
  if (!/^[\w.-]+:\d+$/.test(site.historyApi))
    throw new UsageError(`history API: "${site.historyApi}" is not host:port`);
  const connect = [...new Set(site.brokers.map(cspSource).filter((s): s is string => s !== null))];
  const ancestors = frameAncestorsFlag(site.frameAncestors);
  // Comment lines keep their @NAMES@: they document what was filled in.
  const fill = (line: string) =>
    line
      .replaceAll(' @CONNECT_SRC@', connect.length > 0 ? ` ${connect.join(' ')}` : '')
      .replaceAll('@FRAME_ANCESTORS@', ancestors.join(' '))
      .replaceAll('@LISTEN@', site.listen)
      .replaceAll('@DIST@', site.dist)
      .replaceAll('@HISTORY_API@', site.historyApi);
  let conf = template
    .split('\n')
    .map((line) => (/^\s*#/.test(line) ? line : fill(line)))
    .join('\n');
  // As serve.ts: DENY for 'none', SAMEORIGIN for 'self', and no X-Frame-Options for origins.
  const xfo = /^\s*add_header X-Frame-Options "SAMEORIGIN" always;\n/m;
  if (ancestors.join() === "'none'") conf = conf.replace(xfo, (line) => line.replace('SAMEORIGIN', 'DENY'));
  else if (ancestors.join() !== "'self'") conf = conf.replace(xfo, '');
  const left = /@[A-Z_]+@/.exec(conf.replace(/^\s*#.*$/gm, ''));
  if (left) throw new Error(`nginx template: ${left[0]} was not filled in`);
  return conf;
}

export function renderNginxSite(site: NginxSite): string {
  return renderNginxConf(readFileSync(NGINX_TEMPLATE, 'utf8'), site);
}

/** The `add_header` lines of a configuration (comments skipped): name -> value, quotes removed. */
export function nginxHeaders(conf: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of conf.split('\n')) {
    const m = /^\s*add_header\s+([\w-]+)\s+(?:"([^"]*)"|(\S+?))(?:\s+always)?\s*;\s*$/.exec(line);
    if (m) out[m[1]] = m[2] ?? m[3];
  }
  return out;
}

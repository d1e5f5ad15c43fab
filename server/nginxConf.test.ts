import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NGINX_TEMPLATE, nginxHeaders, renderNginxConf, renderNginxSite, type NginxSite } from './nginxConf';
import { securityHeaders } from './serve';

const site: NginxSite = {
  listen: '127.0.0.1:8080',
  dist: '/srv/twinview',
  brokers: ['wss://plant.example/mqtt', 'ws://127.0.0.1:*'],
  frameAncestors: "'self'",
  historyApi: '127.0.0.1:8095',
};

/** What npm run serve sends, less its report endpoint (nginx has none: docs/deploying.md). */
function serveHeaders(frameAncestors: string[]): Record<string, string> {
  const h = securityHeaders({ connect: site.brokers, frameAncestors });
  h['Content-Security-Policy'] = h['Content-Security-Policy'].replace('; report-uri /csp-report', '');
  return h;
}

function securityOnly(headers: Record<string, string>): Record<string, string> {
  const { 'Cache-Control': _cache, ...rest } = headers;
  return rest;
}

describe('deploy/nginx/twinview.conf', () => {
  it('sends exactly the headers npm run serve sends', () => {
    expect(securityOnly(nginxHeaders(renderNginxSite(site)))).toEqual(serveHeaders(["'self'"]));
  });

  it("says DENY for frame-ancestors 'none' and no X-Frame-Options for a portal's origin, as serve does", () => {
    expect(securityOnly(nginxHeaders(renderNginxSite({ ...site, frameAncestors: "'none'" })))).toEqual(
      serveHeaders(["'none'"]),
    );
    const portal = nginxHeaders(renderNginxSite({ ...site, frameAncestors: 'https://portal.example' }));
    expect(securityOnly(portal)).toEqual(serveHeaders(['https://portal.example']));
    expect(portal['X-Frame-Options']).toBeUndefined();
  });

  it('has no placeholder left once filled in, and proxies the history API to the given address', () => {
    const conf = renderNginxSite(site);
    expect(conf.replace(/^\s*#.*$/gm, '')).not.toMatch(/@[A-Z_]+@/);
    expect(conf).toContain('listen 127.0.0.1:8080;');
    expect(conf).toContain('root /srv/twinview;');
    expect(conf).toMatch(/location \/api\/history\/ \{[\s\S]*?proxy_pass http:\/\/127\.0\.0\.1:8095;/);
  });

  it('caches hashed assets for a year and revalidates the rest, as serve does', () => {
    const template = readFileSync(NGINX_TEMPLATE, 'utf8');
    expect(template).toContain('~^/assets/      "public, max-age=31536000, immutable";');
    expect(template).toContain('default         "no-cache";');
  });

  it('refuses values that would change the configuration, and drops broker entries that would split the CSP', () => {
    expect(() => renderNginxSite({ ...site, dist: '/srv/x; include /etc/passwd' })).toThrow(/absolute path/);
    expect(() => renderNginxSite({ ...site, listen: '80; user root' })).toThrow(/address:port/);
    expect(() => renderNginxSite({ ...site, historyApi: 'evil.example/x' })).toThrow(/host:port/);
    expect(() => renderNginxSite({ ...site, frameAncestors: '*' })).toThrow(/frame-ancestors/);
    const csp = nginxHeaders(renderNginxSite({ ...site, brokers: ['wss://x.example" always; add_header A "b'] }))[
      'Content-Security-Policy'
    ];
    expect(csp).toContain("connect-src 'self' blob: data:;");
  });

  it('says which placeholder a template left unfilled', () => {
    expect(() => renderNginxConf('listen @LISTEN@; root @ROOT@;', site)).toThrow(/@ROOT@/);
  });
});

describe('docs/deploying.md', () => {
  it('quotes the configuration file as it is', () => {
    expect(readFileSync('docs/deploying.md', 'utf8')).toContain(readFileSync(NGINX_TEMPLATE, 'utf8'));
  });
});

/** Ports the end-to-end run uses; apart from the demo's defaults so a running `npm start` is no obstacle. */
const base = Number(process.env.TWINVIEW_E2E_PORT_BASE ?? 19000);

export const E2E = {
  webPort: base + 174,
  brokerTcpPort: base + 883,
  brokerWsPort: base + 1,
  /** A second Mosquitto that a test stops and starts again (broker outages). */
  ownBrokerTcpPort: base + 601,
  ownBrokerWsPort: base + 602,
  /** PostgreSQL for the historian (e2e/postgres.ts), one for the run; and the history API the preview server proxies to. */
  postgresPort: base + 432,
  historyApiPort: base + 433,
  /** Where the model fixtures (e2e/fixtures) are built and served from as twins; one per port base. */
  fixturesDir: process.env.TWINVIEW_E2E_FIXTURES ?? (base === 19000 ? '.tmp/e2e-twins' : `.tmp/e2e-twins-${base}`),
  get brokerWsUrl() {
    return `ws://127.0.0.1:${this.brokerWsPort}`;
  },
  get postgresUrl() {
    return `postgres://twinview@127.0.0.1:${this.postgresPort}/postgres`;
  },
  get brokerTcpUrl() {
    return `mqtt://127.0.0.1:${this.brokerTcpPort}`;
  },
};

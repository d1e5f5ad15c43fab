/**
 * Zod compiles a fast object parser with `new Function` when it can, probing for eval once: under the
 * production Content-Security-Policy (no 'unsafe-eval', server/serve.ts) that probe is a reported CSP
 * violation. Only twin documents are parsed (at load, not per message), so the interpreted parser
 * costs nothing that matters. Imported before any schema is built: zod decides when a schema is made.
 */
import { config } from 'zod';

config({ jitless: true });

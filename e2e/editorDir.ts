/**
 * Where the e2e preview server lets the editor save (TWINVIEW_EDITOR_DIR), one per port base so
 * parallel runs do not meet; it is also one of the served twins folders, so a saved twin opens in
 * operator mode at once. Specs save under folder names of their own run (see e2e/editor.spec.ts).
 */
const base = Number(process.env.TWINVIEW_E2E_PORT_BASE ?? 19000);

export const EDITOR_DIR = base === 19000 ? '.tmp/e2e-editor' : `.tmp/e2e-editor-${base}`;

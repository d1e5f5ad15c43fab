/**
 * The links `npm start` prints, made from the twins its dashboard actually serves (its
 * /twins/index.json): the demo twin when it is there, else the first twin that opens; never a link to
 * a twin the server does not have (TWINVIEW_TWINS_DIRS may point elsewhere).
 */
export interface ServedTwin {
  id: string;
  valid: boolean;
}

/** The twin the demo opens on: pump-station when served, else the first valid twin, else the first. */
export function chooseStartTwin(twins: readonly ServedTwin[], preferred = 'pump-station'): ServedTwin | null {
  return twins.find((t) => t.id === preferred && t.valid) ?? twins.find((t) => t.valid) ?? twins[0] ?? null;
}

/** The page that opens a twin (its folder name URL-encoded: "north plant" → north%20plant). */
export const twinLink = (dashboard: string, id: string) => `${dashboard}/?twin=${encodeURIComponent(id)}`;

/** The "Dashboard:" line's value. */
export function dashboardLine(dashboard: string, twins: readonly ServedTwin[] | null): string {
  if (twins === null) return `${dashboard}/`;
  const twin = chooseStartTwin(twins);
  if (!twin) return `${dashboard}/ (no twins found: add one as <folder>/twin.json in the twins folders)`;
  return twinLink(dashboard, twin.id) + (twin.valid ? '' : ' (this twin has problems: the page lists them)');
}

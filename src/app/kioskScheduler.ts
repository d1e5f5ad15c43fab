/**
 * What a kiosk wall shows, and when: the twin's views in turn, each for the cycle time, and a new high or
 * urgent alarm taking the screen over for a while before the playlist resumes where it was. Pure (timers
 * only, no DOM, no React): the kiosk page feeds it the alarm list and acts on what it says to show.
 */
import type { AlarmSnapshot } from '../engine/protocol';
import type { Priority, Twin } from '../twin/schema';
import { parseDuration } from '../lib/duration';

export type KioskShow = { kind: 'view'; viewId: string } | { kind: 'alarm'; alarmId: string; asset?: string };

export interface KioskPlan {
  /** View ids in order; empty: nothing to cycle (the scene keeps its own view). */
  playlist: readonly string[];
  cycleMs: number;
  takeoverMs: number;
}

/** The twin's kiosk settings, defaults filled: every view, 30 s each, 30 s per alarm. */
export function kioskPlan(twin: Pick<Twin, 'views' | 'kiosk'>): KioskPlan {
  return {
    playlist: twin.kiosk?.playlist ?? twin.views.map((v) => v.id),
    cycleMs: parseDuration(twin.kiosk?.cycle ?? '30s') ?? 30_000,
    takeoverMs: parseDuration(twin.kiosk?.takeover ?? '30s') ?? 30_000,
  };
}

type KioskAlarm = Pick<AlarmSnapshot, 'id' | 'priority' | 'state' | 'raisedAt' | 'asset'>;

const RANK: Record<Priority, number> = { low: 0, medium: 1, high: 2, urgent: 3 };

/** Alarms loud enough to take a wall over: high or urgent, active and not yet acknowledged. */
export function takesOver(a: KioskAlarm): boolean {
  return RANK[a.priority] >= RANK.high && a.state === 'active';
}

/** An alarm raising: the same rule raised again later is a new one. */
const raiseKey = (a: KioskAlarm) => `${a.id}@${a.raisedAt}`;

export class KioskScheduler {
  private index = 0;
  private takeover: { alarmId: string; key: string } | null = null;
  /** Raisings already shown (or dismissed), so each takes the screen over once. */
  private readonly shown = new Set<string>();
  /** Raisings waiting for the screen, most severe first. */
  private queue: KioskAlarm[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly plan: KioskPlan,
    private readonly show: (what: KioskShow) => void,
  ) {}

  /** Shows the first view and starts cycling. */
  start(): void {
    this.showView();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** What is on screen now. */
  current(): KioskShow | null {
    if (this.takeover) return { kind: 'alarm', alarmId: this.takeover.alarmId };
    const viewId = this.plan.playlist[this.index];
    return viewId === undefined ? null : { kind: 'view', viewId };
  }

  /** The alarm list changed: a new loud alarm takes over; the one shown, once calmed, gives the screen back. */
  alarms(list: readonly KioskAlarm[]): void {
    const live = new Set<string>();
    for (const a of list) {
      if (!takesOver(a)) continue;
      const key = raiseKey(a);
      live.add(key);
      if (!this.shown.has(key) && !this.queue.some((q) => raiseKey(q) === key)) this.queue.push(a);
    }
    // Acknowledged, cleared or shelved elsewhere before its turn: it no longer needs the wall. Forgetting
    // calmed raisings keeps a wall that runs for weeks from growing this set.
    this.queue = this.queue.filter((q) => live.has(raiseKey(q)));
    for (const key of this.shown) if (!live.has(key)) this.shown.delete(key);
    this.queue.sort((x, y) => RANK[y.priority] - RANK[x.priority] || y.raisedAt - x.raisedAt);
    if (this.takeover && !live.has(this.takeover.key)) this.endTakeover();
    else if (!this.takeover && this.queue.length > 0) this.nextTakeover();
  }

  private nextTakeover(): void {
    const next = this.queue.shift();
    if (!next) return;
    const key = raiseKey(next);
    this.shown.add(key);
    this.takeover = { alarmId: next.id, key };
    this.show({ kind: 'alarm', alarmId: next.id, asset: next.asset });
    this.schedule(this.plan.takeoverMs, () => this.endTakeover());
  }

  /** The next waiting alarm, or the playlist again at the view that was interrupted. */
  private endTakeover(): void {
    this.takeover = null;
    if (this.queue.length > 0) this.nextTakeover();
    else this.showView();
  }

  private showView(): void {
    const viewId = this.plan.playlist[this.index];
    if (viewId === undefined) return this.stop();
    this.show({ kind: 'view', viewId });
    if (this.plan.playlist.length < 2) return this.stop();
    this.schedule(this.plan.cycleMs, () => {
      this.index = (this.index + 1) % this.plan.playlist.length;
      this.showView();
    });
  }

  private schedule(ms: number, then: () => void): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.timer = null;
      then();
    }, ms);
  }
}

/**
 * A short two-tone beep for new high-priority alarms, generated with WebAudio (no sound file to
 * fetch). Off unless the operator turns it on, and never in embed mode (?mode=embed).
 */
let ctx: AudioContext | null = null;

export function soundAllowed(search: string): boolean {
  return new URLSearchParams(search).get('mode') !== 'embed';
}

export function beep(): void {
  try {
    ctx ??= new AudioContext();
    const t = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.15, t + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.001, t + i * 0.18 + 0.16);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + i * 0.18);
      osc.stop(t + i * 0.18 + 0.17);
    }
  } catch {
    // No audio device or autoplay refused: the banner still shows the alarm.
  }
}

/** An allowed use can be given back when what it was for did not happen. */
export type CooldownVerdict = { allowed: true; giveBack(): void } | { allowed: false; retryAt: Date };

/**
 * At most `limit` uses per key in any `windowMs`: a sliding window, so a burst cannot straddle a boundary.
 * Keys whose window has passed are forgotten, so memory follows the number of recent users, not all users.
 */
export class Cooldown {
  private readonly uses = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records a use when allowed; a refused attempt is not recorded, so waiting always helps. */
  take(key: string): CooldownVerdict {
    const now = this.now().getTime();
    const recent = (this.uses.get(key) ?? []).filter((time) => time > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.uses.set(key, recent);
      return { allowed: false, retryAt: new Date(recent[0]! + this.windowMs) };
    }
    recent.push(now);
    this.uses.set(key, recent);
    if (this.uses.size > 10_000) this.forgetExpired(now);
    return { allowed: true, giveBack: () => this.giveBack(key, now) };
  }

  private giveBack(key: string, takenAt: number): void {
    const times = this.uses.get(key);
    const index = times?.indexOf(takenAt) ?? -1;
    if (index >= 0) times!.splice(index, 1);
  }

  private forgetExpired(now: number): void {
    for (const [key, times] of this.uses) if (times.at(-1)! <= now - this.windowMs) this.uses.delete(key);
  }
}

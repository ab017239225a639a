/** Work started a few at a time: `add` waits while `limit` are still going. */
export class InFlight {
  private readonly going = new Set<Promise<void>>();

  constructor(private readonly limit: number) {}

  /** Keep track of `work`; resolves once there is room for more. */
  async add(work: Promise<void>): Promise<void> {
    this.going.add(work);
    void work.finally(() => this.going.delete(work)).catch(() => undefined);
    if (this.going.size >= this.limit) await Promise.race(this.going);
  }

  /** Every piece of work done (rejects with the first that failed). */
  async all(): Promise<void> {
    await Promise.all(this.going);
  }

  /** Every piece of work over, failed or not. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.going);
  }
}

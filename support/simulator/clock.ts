// Virtual time for the simulator. Call durations, Pause and recording lengths are measured on this
// clock, so an hour-long conference is simulated without waiting an hour. Time only moves when
// someone advances it (a step, or the real-time driver of the HTTP server adapter); nothing here
// waits on the wall clock.

interface Timer {
  id: number;
  at: number;
  fire: () => void;
}

export class VirtualClock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;
  private listeners: (() => void)[] = [];
  private source: (() => number) | undefined;
  /** A firing timer sees its own moment, not a wall clock that ran on while it waited for its turn. */
  private firing = false;

  constructor(startMs: number) {
    this.current = startMs;
  }

  /**
   * Served over HTTP in real time, the clock must move between timers too: a recording's length,
   * a call's duration, a resource's timestamps are read from it, and a live run bounds them with
   * its own clock. From now on `now()` follows `source` (scaled wall time) and never goes back.
   * It no longer waits at a timer that is due but not fired yet: the real-time driver fires late
   * while it waits for webhooks to be answered, and a clock held there meanwhile gave a recording
   * the harness saw run for 5 ms a length of 0 (reported as 0 seconds, which FreeClimb never
   * reports). A late timer fires at the time it is fired, as on a real platform; timers still
   * fire in order.
   */
  follow(source: () => number): void {
    this.source = source;
  }

  now(): number {
    if (this.source && !this.firing) this.current = Math.max(this.current, this.source());
    return this.current;
  }

  /** Run `fire` once virtual time reaches `at`. Returns a handle for `cancel`. */
  at(at: number, fire: () => void): number {
    const timer = { id: this.nextId++, at: Math.max(at, this.now()), fire };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    this.listeners.forEach((l) => l());
    return timer.id;
  }

  after(ms: number, fire: () => void): number {
    return this.at(this.now() + ms, fire);
  }

  cancel(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }

  /** Called whenever a timer is added; the real-time driver of the server adapter uses it. */
  onSchedule(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The time of the next pending timer, if any. */
  nextDue(): number | undefined {
    return this.timers[0]?.at;
  }

  /**
   * Move time forward by `ms`, firing due timers in order. After each timer, `settle` is awaited so
   * that the work it caused (webhooks, PerCL) happens at that instant of virtual time, not later.
   */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    if (ms < 0) throw new RangeError(`cannot move virtual time backwards (${ms} ms)`);
    const target = this.now() + ms;
    await settle();
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      this.firing = true;
      try {
        next.fire();
      } finally {
        this.firing = false;
      }
      await settle();
    }
    // Following the wall clock, time may already have passed the target while work settled.
    this.current = Math.max(this.current, target);
  }
}

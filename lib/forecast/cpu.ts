import type { PlatformParameters } from "./parameters.js";
import type { Simulation } from "./simulation.js";

interface WorkJob {
  remainingMs: number;
  done: () => void;
}

/**
 * CPU as the platform shares it. `perEnvironment` (AWS): an environment runs at
 * min(1, memory / mbPerVcpu) of a vCPU, whatever else runs. `shared` (this machine): every
 * environment and the local stack share `cores`; when more want a core than there are cores, each
 * runs at cores / demand (processor sharing): work-bound jobs are re-timed at every change, the
 * stack's requests are timed when they start.
 *
 * Demand comes in two kinds: `burn` holds a core for a fixed wall time (the built-in `cpu` task
 * burns until its planned time has passed, however little it computes), `work` needs a fixed
 * amount of CPU (an own function's measured duration) and takes longer when it gets less.
 */
export class CpuModel {
  private burners = 0;
  private stackBusy = 0;
  private readonly jobs = new Set<WorkJob>();
  private lastUpdate = 0;
  private version = 0;

  constructor(
    private readonly simulation: Simulation,
    private readonly parameters: PlatformParameters["cpu"],
  ) {}

  /** The share of a core an environment of `memoryMb` gets now, 0..1. */
  speed(memoryMb: number): number {
    if (this.parameters.mode === "perEnvironment") {
      return Math.min(1, memoryMb / this.parameters.mbPerVcpu.value);
    }
    const demand = this.burners + this.stackBusy + this.jobs.size;
    return demand <= this.parameters.cores.value ? 1 : this.parameters.cores.value / demand;
  }

  /** A wall-bound burner takes a core until the returned function is called. */
  startBurn(): () => void {
    if (this.parameters.mode === "perEnvironment") return () => {};
    this.retime(() => {
      this.burners += 1;
    });
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.retime(() => {
        this.burners -= 1;
      });
    };
  }

  /** The local stack's core is busy (or idle again): it competes for the machine's cores. */
  setStackBusy(busy: boolean): void {
    if (this.parameters.mode === "perEnvironment") return;
    this.retime(() => {
      this.stackBusy += busy ? 1 : -1;
    });
  }

  /** Runs `workMs` of CPU (at a full core) in an environment of `memoryMb`, then `done`. */
  work(workMs: number, memoryMb: number, done: () => void): void {
    if (this.parameters.mode === "perEnvironment") {
      this.simulation.after(workMs / this.speed(memoryMb), done);
      return;
    }
    const job: WorkJob = { remainingMs: workMs, done };
    this.retime(() => {
      this.jobs.add(job);
    });
  }

  /** Advances every work job at the speed it had, applies `change`, and schedules the next end. */
  private retime(change: () => void): void {
    const elapsed = this.simulation.now - this.lastUpdate;
    if (elapsed > 0 && this.jobs.size > 0) {
      const progress = elapsed * this.speed(0);
      for (const job of this.jobs) job.remainingMs -= progress;
    }
    this.lastUpdate = this.simulation.now;
    change();
    const finished = [...this.jobs].filter((job) => job.remainingMs <= 1e-9);
    for (const job of finished) this.jobs.delete(job);
    if (finished.length > 0) {
      // Ending jobs speeds the others up: re-time them from here.
      this.retime(() => {});
      for (const job of finished) this.simulation.after(0, job.done);
      return;
    }
    if (this.jobs.size === 0) return;
    const version = ++this.version;
    const speed = this.speed(0);
    const soonest = Math.min(...[...this.jobs].map((job) => job.remainingMs));
    this.simulation.after(soonest / speed, () => {
      if (version === this.version) this.retime(() => {});
    });
  }
}

/**
 * One thread that serves requests in order: LocalStack's Python core (its GIL), or a Node
 * function's own event loop. A request of `cpuMs` takes cpuMs / speed, the speed read when it
 * starts.
 */
export class SerialServer {
  private readonly queue: Array<{
    ms: number;
    wallBound: boolean;
    done: () => void;
    started?: () => void;
  }> = [];
  private serving = false;

  constructor(
    private readonly simulation: Simulation,
    private readonly speed: () => number,
    private readonly busy?: (busy: boolean) => void,
  ) {}

  /** Serves `cpuMs` after what is queued, then `done`. Zero costs nothing and waits for nothing. */
  serve(cpuMs: number, done: () => void): void {
    this.enqueue(cpuMs, false, done);
  }

  /** Holds the thread for `wallMs` of wall time, whatever its speed (a task burning until a time). */
  hold(wallMs: number, done: () => void, started?: () => void): void {
    this.enqueue(wallMs, true, done, started);
  }

  /**
   * Admits a request of `cpuMs`: `started` runs when the thread begins serving it (after what is
   * queued before it), and the thread stays busy for its time. For a server whose own time is
   * already inside the latency measured of a request when nothing queues (the local stack): only
   * the wait behind other requests is added to that latency.
   */
  admit(cpuMs: number, started: () => void): void {
    this.enqueue(cpuMs, false, () => {}, started);
  }

  /** Runs `done` once the thread is free: at once when nothing is queued. */
  whenFree(done: () => void): void {
    this.enqueue(0, true, done);
  }

  private enqueue(ms: number, wallBound: boolean, done: () => void, started?: () => void): void {
    if (ms <= 0 && !this.serving) {
      started?.();
      done();
      return;
    }
    this.queue.push({ ms, wallBound, done, ...(started ? { started } : {}) });
    if (!this.serving) {
      this.serving = true;
      this.busy?.(true);
      this.next();
    }
  }

  private next(): void {
    const request = this.queue.shift();
    if (!request) {
      this.serving = false;
      this.busy?.(false);
      return;
    }
    request.started?.();
    const ms = request.wallBound ? request.ms : request.ms / Math.max(this.speed(), 1e-6);
    this.simulation.after(ms, () => {
      request.done();
      this.next();
    });
  }
}

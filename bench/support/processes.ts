import { readFileSync } from 'node:fs';

/** Resident memory of a process in bytes (VmRSS of /proc/<pid>/status), or NaN when it is gone. */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Samples the resident memory of named processes once per `intervalMs` until stopped. */
export class MemorySampler {
  readonly samples = new Map<string, number[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pids: Readonly<Record<string, number>>) {}

  start(intervalMs = 1000): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): Map<string, number[]> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return this.samples;
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      const bytes = residentBytes(pid);
      if (Number.isNaN(bytes)) continue;
      const list = this.samples.get(name) ?? [];
      list.push(bytes);
      this.samples.set(name, list);
    }
  }
}

/** CPU time a process has used so far (user + system), in milliseconds, or NaN when it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

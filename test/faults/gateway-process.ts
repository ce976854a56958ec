import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** The real gateway (`src/main.ts`) as a child process, as production runs it. */
export class GatewayProcess {
  private child: ChildProcess | undefined;
  exitCode: number | null = null;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.exitCode = null;
    // node --import tsx, not the tsx CLI: signals reach the gateway itself, without a relaying parent.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', (code) => {
      this.exitCode = code;
    });
    this.child = child;
    await this.waitReady();
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const ready = await fetch(`${this.origin}/ready`, {
        signal: AbortSignal.timeout(1_000),
      }).catch(() => null);
      if (ready?.status === 200) return;
      await sleep(100);
    }
    throw new Error('the gateway did not become ready');
  }

  /** Sends SIGTERM and waits for the exit; returns the exit code. */
  async terminate(timeoutMs = 20_000): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

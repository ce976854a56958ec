import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** `node --import tsx src/main.ts`: what `npm start` runs, with signals reaching the gateway itself. */
const NODE_MAIN = [process.execPath, '--import', 'tsx', 'src/main.ts'];

/** The real gateway (`src/main.ts`) as a child process, as production runs it. */
export class GatewayProcess {
  private child: ChildProcess | undefined;
  exitCode: number | null = null;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly options: { command?: readonly string[]; logFile?: string } = {},
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.exitCode = null;
    const [file, ...args] = (this.options.command ?? NODE_MAIN) as [string, ...string[]];
    const logFile = this.options.logFile;
    const child = spawn(file, args, {
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      // The JSON log lines (stdout) go to `logFile` when given, appended across restarts.
      stdio: ['ignore', logFile ? openSync(logFile, 'a') : 'ignore', 'inherit'],
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
      if (this.exitCode !== null) throw new Error(`the gateway exited with ${this.exitCode}`);
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

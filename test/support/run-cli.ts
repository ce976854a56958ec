import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of src/cli/*.ts as a real process through tsx. It runs in an empty directory, so a
 * developer's `.env` cannot leak in, with only the variables given here (plus PATH and HOME).
 */
export function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<CliResult> {
  const cwd = mkdtempSync(join(tmpdir(), 'ig-cli-'));
  return new Promise((resolve, reject) => {
    const child = execFile(
      TSX,
      [join(ROOT, 'src/cli', script), ...args],
      {
        cwd,
        timeout: 30_000,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
      },
      (error, stdout, stderr) => {
        rmSync(cwd, { recursive: true, force: true });
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: child.exitCode, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

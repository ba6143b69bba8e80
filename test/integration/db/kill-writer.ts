import { spawn } from 'node:child_process';

/**
 * Runs a writer script under tsx, SIGKILLs it `killAfterMs` after its output first satisfies `armed`
 * (by default: it printed `ready`), and returns the complete lines it printed after `ready`; a partial
 * last line was cut by the kill and is dropped.
 */
export function killWriter(
  script: string,
  args: string[],
  env: Record<string, string>,
  killAfterMs: number,
  armed: (out: string) => boolean = (out) => out.startsWith('ready\n'),
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!timer && armed(out)) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended by itself (${code}): ${err}`));
      const lines = out.split('\n');
      lines.pop();
      resolve(lines.filter((l) => l !== 'ready'));
    });
  });
}

// How to run npm from a script on every OS. On Windows `npm` is `npm.cmd`, a batch file that
// spawn() cannot start without a shell (and Node refuses to start .cmd files shell-less since the
// April 2024 security release). Under `npm run`, npm tells us where its own CLI script is
// (npm_execpath): running it with this Node needs no shell and no PATH lookup anywhere.

/**
 * The command, arguments and spawn options that run `npm <args>`. Pure.
 * @param {string[]} args
 * @param {{ platform: string, execPath: string, env: Record<string, string | undefined> }} host
 */
export function npmCommand(args, host) {
  const cli = host.env.npm_execpath;
  // npm_execpath can also name pnpm or yarn, or a native npm shim: only npm's own JS CLI is run with node.
  if (cli && /npm-cli\.c?js$/.test(cli)) {
    return { command: host.execPath, args: [cli, ...args], options: {} };
  }
  if (host.platform === 'win32') {
    // A shell is needed for npm.cmd; the arguments here are fixed words chosen by our scripts.
    return { command: 'npm.cmd', args, options: { shell: true } };
  }
  return { command: 'npm', args, options: {} };
}

/** npmCommand for this process. */
export function npmCommandHere(args) {
  return npmCommand(args, { platform: process.platform, execPath: process.execPath, env: process.env });
}

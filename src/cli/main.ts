#!/usr/bin/env node
import { ShomeiError } from '../errors/shomei-error.js';
import { EXIT, UsageError } from './args.js';
import { auditCommand, AUDIT_USAGE } from './commands/audit.js';
import { conformanceCommand, CONFORMANCE_USAGE } from './commands/conformance.js';
import { inspectCommand, INSPECT_USAGE } from './commands/inspect.js';
import { keysCommand, KEYS_USAGE } from './commands/keys.js';
import { signCommand, SIGN_USAGE } from './commands/sign.js';
import { verifyCommand, VERIFY_USAGE } from './commands/verify.js';

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; usage: string }> = {
  keys: { run: keysCommand, usage: KEYS_USAGE },
  inspect: { run: inspectCommand, usage: INSPECT_USAGE },
  sign: { run: signCommand, usage: SIGN_USAGE },
  verify: { run: verifyCommand, usage: VERIFY_USAGE },
  audit: { run: auditCommand, usage: AUDIT_USAGE },
  conformance: { run: conformanceCommand, usage: CONFORMANCE_USAGE },
};

const USAGE = `shomei — verifiable identity assertions between banks and fintechs

Usage: shomei <command> [options]

${Object.values(COMMANDS).map((command) => command.usage).join('\n\n')}

Exit codes: 0 success / allow, 1 deny or findings, 2 review, 3 usage error.`;

/** Runs the CLI; returns the exit code. A bad token is a result, never a crash (fail closed). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`shomei: ${error.message}\n${command?.usage ?? 'run shomei --help'}\n`);
      return EXIT.usage;
    }
    if (error instanceof ShomeiError) {
      process.stderr.write(`shomei: ${error.code}: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`shomei: internal error: ${(error as Error).name}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

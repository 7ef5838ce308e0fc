import { MlapError } from '@mlap/tensor';
import { Command } from 'commander';
import { usageCodes } from './attack/usage-error.js';
import { registerAttack } from './commands/attack.js';
import { registerBackends } from './commands/backends.js';
import { registerBench } from './commands/bench.js';
import { registerDemo } from './commands/demo.js';
import { registerEval } from './commands/eval.js';
import { registerReport } from './commands/report.js';
import { registerTrain } from './commands/train.js';
import type { Output } from './options.js';

export type { EvalLogRow, ResultRow } from './attack/results.js';
export type { Output } from './options.js';

/**
 * Builds the `mlap` command. Exported so tests (and embedders) can run it with their own output.
 *
 * @param out - where command output goes (stdout by default)
 */
export function createProgram(out: Output = { log: (line) => console.log(line) }): Command {
  const program = new Command('mlap')
    .description(
      'Multi-label adversarial perturbations: craft and evaluate small input changes that steer ' +
        'a multi-label model to a chosen label set or ranking (Song et al., ICDM 2018).',
    )
    .showHelpAfterError('(run mlap --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Backends: auto picks the fastest that loads: @tensorflow/tfjs-node-gpu or',
        '@tensorflow/tfjs-node when you have installed them, else wasm, else cpu.',
        '',
        'Examples:',
        "  mlap demo                          the paper's attacks on the pre-trained default model",
        '  mlap demo --backend cpu --images 4',
        '  mlap backends                      which backend runs here, and why',
      ].join('\n'),
    );
  registerDemo(program, out);
  registerAttack(program, out);
  registerTrain(program, out);
  registerEval(program, out);
  registerReport(program, out);
  registerBackends(program, out);
  registerBench(program, out);
  return program;
}

/**
 * Runs the program on `argv`. Exit codes: 0 success, 1 runtime failure, 2 usage error (bad flags,
 * missing or malformed files, unknown attack or label). Errors print as one line; `--verbose` adds
 * the stack.
 */
export async function run(argv: readonly string[], out?: Output): Promise<number> {
  const verbose = argv.includes('--verbose');
  const program = createProgram(out).exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(
      argv.filter((a) => a !== '--verbose'),
      { from: 'user' },
    );
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('commander.')) {
      // commander already printed its message; help and version are not failures.
      return code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`mlap: ${message}`);
    if (verbose && error instanceof Error) console.error(error.stack);
    return MlapError.isInstance(error) && usageCodes.has(error.code) ? 2 : 1;
  }
}

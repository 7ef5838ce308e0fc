import { MlapError } from '@mlap/tensor';
import { Command } from 'commander';
import { registerBackends } from './commands/backends.js';
import { registerDemo } from './commands/demo.js';
import type { Output } from './options.js';

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
        "  mlap demo                          the paper's attacks on a seeded toy CNN",
        '  mlap demo --backend cpu --images 4',
        '  mlap backends                      which backend runs here, and why',
      ].join('\n'),
    );
  registerDemo(program, out);
  registerBackends(program, out);
  return program;
}

/** Runs the program on `argv`, printing typed mlap errors as one clear line. */
export async function run(argv: readonly string[], out?: Output): Promise<number> {
  try {
    await createProgram(out).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (!MlapError.isInstance(error)) throw error;
    console.error(`mlap: ${error.message}`);
    return 1;
  }
}

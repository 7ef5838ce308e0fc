import { setupBackend } from '@mlap/backend';
import type { Command } from 'commander';
import pc from 'picocolors';
import { backendSetup, type CommonOptions, type Output, withBackendOptions } from '../options.js';

/** `mlap backends`: which tfjs backend mlap would use here, and why the others are not used. */
export function registerBackends(program: Command, out: Output): void {
  withBackendOptions(
    program
      .command('backends')
      .description('show which backend mlap chooses on this machine and why'),
  ).action(async (options: CommonOptions) => {
    const info = await setupBackend(backendSetup(options));
    out.log(info.summary);
    if (info.winograd !== undefined) {
      const conv = info.winograd ? "Winograd F(4×4, 3×3), mlap's SIMD kernel" : 'XNNPACK';
      out.log(`  3×3 convolutions: ${conv}`);
    }
    for (const a of info.attempts) {
      const status = a.ok ? pc.green('ok') : pc.yellow('unavailable');
      const detail = a.error ?? (a.ms === undefined ? '' : `${a.ms.toFixed(1)} ms`);
      out.log(`  ${a.backend.padEnd(10)} ${status} ${pc.dim(detail)}`);
    }
  });
}

import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one closing line after every run, in a fixed shape CI logs can be searched for:
 *
 *   shomei tests: passed (files 12, tests 340: 340 passed, 0 failed, 0 skipped; 0 unhandled errors)
 *
 * Skipped tests are counted separately on purpose: the project allows none (PREAMBLE), so a non-zero
 * count stands out here even when the run passes.
 */
export class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
    reason: 'passed' | 'interrupted' | 'failed',
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let failedFiles = 0;
    for (const testModule of testModules) {
      if (testModule.state() === 'failed') failedFiles += 1;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else if (state === 'skipped') skipped += 1;
      }
    }
    const total = passed + failed + skipped;
    const files = `files ${testModules.length}${failedFiles > 0 ? ` (${failedFiles} failed)` : ''}`;
    process.stdout.write(
      `\nshomei tests: ${reason} (${files}, tests ${total}: ${passed} passed, ${failed} failed, ` +
        `${skipped} skipped; ${unhandledErrors.length} unhandled errors)\n`,
    );
  }
}

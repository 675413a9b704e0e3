// A progress bar on stderr for long tables on a terminal (never in pipes or
// JSON output), drawn by cli-progress. Required when a bar is made: loading
// it took 13 ms of every CLI start, most of which draw no bar.
import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';

const require = createRequire(import.meta.url);

export class ProgressBar {
  private bar: CliProgress.SingleBar;

  constructor(total: number) {
    const { SingleBar, Presets } = require('cli-progress') as typeof CliProgress;
    this.bar = new SingleBar({ stream: process.stderr, format: 'checking {bar} {value}/{total} rows', clearOnComplete: true, hideCursor: true }, Presets.shades_classic);
    this.bar.start(total, 0);
  }

  update(done: number): void {
    this.bar.update(done);
  }

  stop(): void {
    this.bar.stop();
  }
}

// A progress bar on stderr for long tables on a terminal (never in pipes or
// JSON output), drawn by cli-progress.
import { SingleBar, Presets } from 'cli-progress';

export class ProgressBar {
  private bar = new SingleBar({ stream: process.stderr, format: 'checking {bar} {value}/{total} rows', clearOnComplete: true, hideCursor: true }, Presets.shades_classic);

  constructor(total: number) {
    this.bar.start(total, 0);
  }

  update(done: number): void {
    this.bar.update(done);
  }

  stop(): void {
    this.bar.stop();
  }
}

#!/usr/bin/env node
// The compiled CLI (npm run build writes dist/).
import { mainAsync } from '../dist/cli.js';

// A reader that stops early (`matcheck table ... | head`) closes the pipe:
// what it did not read is dropped, without a stack trace, and the exit code
// is still the verdicts'.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

process.exitCode = await mainAsync(process.argv.slice(2));

#!/usr/bin/env node
// The compiled CLI (npm run build writes dist/).
import { mainAsync } from '../dist/cli.js';

process.exitCode = await mainAsync(process.argv.slice(2));

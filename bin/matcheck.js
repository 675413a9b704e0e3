#!/usr/bin/env node
// The compiled CLI (npm run build writes dist/).
import { main } from '../dist/cli.js';

process.exitCode = main(process.argv.slice(2));

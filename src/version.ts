// The tool's name and version, as package.json says (src/ and dist/ both sit
// one level below it).
import { existsSync, readFileSync } from 'node:fs';

// (The compiled benchmarks sit one level deeper: dist-bench/src/version.js.)
const path = ['../package.json', '../../package.json'].map((p) => new URL(p, import.meta.url)).find((u) => existsSync(u))!;
const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name: string; version: string };

export const TOOL = { name: pkg.name, version: pkg.version } as const;

// The yaml package, loaded on first use. Importing it took 70 ms (its
// CommonJS build is many files), which every `import 'matcheck'` and every
// `matcheck check` paid without reading a table. readTable is synchronous,
// so it is required, not imported.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type * as YamlUtil from 'yaml/util';

const require = createRequire(import.meta.url);
let lib: typeof Yaml | undefined;
let util: typeof YamlUtil | undefined;

export const yaml = (): typeof Yaml => (lib ??= require('yaml') as typeof Yaml);
export const yamlUtil = (): typeof YamlUtil => (util ??= require('yaml/util') as typeof YamlUtil);

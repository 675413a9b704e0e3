// The YAML parsers, loaded on first use. Importing yaml took 70 ms (its
// CommonJS build is many files), which every `import 'matcheck'` and every
// `matcheck check` paid without reading a table. readTable is synchronous,
// so they are required, not imported.
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import type * as Yaml from 'yaml';
import type * as YamlUtil from 'yaml/util';

const require = createRequire(import.meta.url);
let lib: typeof Yaml | undefined;
let util: typeof YamlUtil | undefined;
let events: typeof JsYaml | undefined;

export const yaml = (): typeof Yaml => (lib ??= require('yaml') as typeof Yaml);
export const yamlUtil = (): typeof YamlUtil => (util ??= require('yaml/util') as typeof YamlUtil);
export const jsYaml = (): typeof JsYaml => (events ??= require('js-yaml') as typeof JsYaml);

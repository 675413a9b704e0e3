// The library's functions check their arguments: a value of the wrong type or
// a name that is no build is a MatcheckError saying what is wrong, which
// argument, and what to pass instead, never a TypeError from deep inside (a
// YAML reader, the file system, the WebAssembly compiler).
import { describe, expect, it } from 'vitest';
import { loadEngine, MatcheckError } from '../../src/index.js';
import { relaxedSupported } from '../../src/run/module.js';

/** The MatcheckError `run` throws (anything else fails the test). */
function thrown(run: () => unknown): MatcheckError {
  try {
    run();
  } catch (e) {
    if (e instanceof MatcheckError) return e;
    throw new Error(`expected a MatcheckError, got ${String(e)}`);
  }
  throw new Error('nothing was thrown');
}

const loose = (v: unknown) => v as never;

describe('loadEngine', () => {
  it.each([
    ["'fast'", 'fast', "got 'fast'"],
    ["'auto' (a CLI word, not a build)", 'auto', "got 'auto'"],
    ['a number', 5, 'got a number'],
    ['null', null, 'got null'],
  ])('refuses %s, naming the builds there are', (_, variant, got) => {
    const e = thrown(() => loadEngine(loose(variant)));
    expect(e.code).toBe('E_ENGINE');
    expect(e.stage).toBe('usage');
    expect(e.field).toBe('variant');
    expect(e.message).toBe(`loadEngine takes the build to load, simd or relaxed (or debug, the unoptimised one), ${got}`);
    expect(e.hint).toBe('leave it out for the build this process checks with (engineVariant(): relaxed where the JavaScript engine runs it, else simd)');
  });

  it('loads every build there is, and the default one without a variant', () => {
    expect(loadEngine('simd').variant).toBe('simd');
    expect(loadEngine('debug').variant).toBe('debug');
    expect(['simd', 'relaxed']).toContain(loadEngine().variant);
  });

  it('relaxed: loaded where the JavaScript engine runs relaxed SIMD, else a usage error that says how to tell and what to do', () => {
    if (relaxedSupported()) {
      expect(loadEngine('relaxed').variant).toBe('relaxed');
      return;
    }
    // Node 20 without --experimental-wasm-relaxed-simd: this was V8's raw CompileError ("simd opcode not available").
    const e = thrown(() => loadEngine('relaxed'));
    expect(e.code).toBe('E_ENGINE');
    expect(e.stage).toBe('usage');
    expect(e.field).toBe('variant');
    expect(e.message).toBe("loadEngine('relaxed') asks for relaxed, but this JavaScript engine does not run relaxed SIMD (fused multiply-add)");
    expect(e.hint).toContain('Node 20 has it only when started with --experimental-wasm-relaxed-simd');
    expect(e.hint).toContain("engineVariant(): relaxed only where it runs), or load 'simd'");
  });
});


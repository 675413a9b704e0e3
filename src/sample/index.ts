// The sampling stage: seeded generators, sizes for dimension symbols,
// random values of each kind, and finite-difference directions.
export { makeRng, makeTrialRng, deriveSeed, trialSeed, hashParts, type Rng } from './rng.js';
export { drawSizes, DEFAULT_SIZE_RANGE, type SizeRange } from './sizes.js';
export { sampleKind, sampleKindInto, POSITIVE_RANGE } from './kinds.js';
export { haarOrthogonal } from './orthogonal.js';
export { fillDirections, sampleDirection, type DirectionStructure } from './directions.js';

// The engine's exports (docs/engine-abi.md, "Exports"). Nothing but re-exports.
export { heapBase, run, kinkSignature } from './entry';
export { fdDirectional, fdBasis, fdMixed, fdCombine, fdNoiseDirectional, fdNoiseBasis, fdNoiseMixed, fdNoiseSamples, noiseSpacings, noiseTau } from './fd';
export { pairDirections, compare, worst, fitFactor } from './compare';
export { norm2, dot } from './reduce';
export { rngSeed, rngSeedHashed, rngUniform, rngNormal, rngNormals, rngUniforms, rngOrthogonal, rngHaarProduct, rngState, rngStaging, rngStagingLength } from './random';
export { hashBytes } from './hash';

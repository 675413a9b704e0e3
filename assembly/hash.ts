// The 64-bit hash that derives row and trial seeds (src/sample/rng.ts,
// hashParts): FNV-1a over bytes, then MurmurHash3's fmix64, printed as 16
// lowercase hex digits. In i64 here; TypeScript emulated it on 32-bit
// halves at about 0.4 us a seed.

// @ts-ignore: decorator
@inline const FNV_OFFSET: u64 = 0xcbf29ce484222325;
// @ts-ignore: decorator
@inline const FNV_PRIME: u64 = 0x100000001b3;

/** Writes the hash of the `len` bytes at `bytes` to `out` as 16 ASCII hex digits, most significant first. */
export function hashBytes(bytes: usize, len: i32, out: usize): void {
  let h = FNV_OFFSET;
  for (let i = 0; i < len; i++) h = (h ^ <u64>load<u8>(bytes + <usize>i)) * FNV_PRIME;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  for (let i = 15; i >= 0; i--) {
    const d = <u32>(h & 15);
    store<u8>(out + <usize>i, d < 10 ? 48 + d : 87 + d);
    h >>= 4;
  }
}

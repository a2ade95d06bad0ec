#pragma once
// Eight floats as one GCC vector value. The compiler maps it to one AVX register in AVX2 and
// AVX-512 clones and to two SSE registers in the baseline, which keeps the CPU kernels explicit
// about their data layout without intrinsics (and without -march flags for the whole build).

#include <cstdint>

#include "model/layers/fast_math.h"

namespace fastchat::model::layers {

typedef float Float8 __attribute__((vector_size(32)));
typedef int32_t Int8 __attribute__((vector_size(32)));
// Unaligned views for loads and stores from arbitrary float pointers.
typedef float Float8Unaligned __attribute__((vector_size(32), aligned(4)));

[[gnu::always_inline]] inline Float8 load8(const float* p) {
  return *reinterpret_cast<const Float8Unaligned*>(p);
}
[[gnu::always_inline]] inline void store8(float* p, Float8 v) {
  *reinterpret_cast<Float8Unaligned*>(p) = v;
}
[[gnu::always_inline]] inline Float8 broadcast8(float x) { return Float8{} + x; }

[[gnu::always_inline]] inline float horizontal_sum(Float8 v) {
  return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}
[[gnu::always_inline]] inline float horizontal_max(Float8 v) {
  float m = v[0];
  for (int i = 1; i < 8; ++i) m = v[i] > m ? v[i] : m;
  return m;
}

/// exp() of eight lanes; the same polynomial and accuracy as fast_exp (fast_math.h).
[[gnu::always_inline]] inline Float8 exp8(Float8 x) {
  x = x < -87.0f ? broadcast8(-87.0f) : x;
  x = x > 88.0f ? broadcast8(88.0f) : x;
  const Float8 t = x * 1.44269504088896341f;
  const Int8 n =
      __builtin_convertvector(t + (t < 0.0f ? broadcast8(-0.5f) : broadcast8(0.5f)), Int8);
  const Float8 nf = __builtin_convertvector(n, Float8);
  const Float8 r = x - nf * 0.693359375f + nf * 2.12194440e-4f;
  const Float8 p = exp_polynomial(r);
  const Int8 bits = (n + 127) << 23;
  return p * __builtin_bit_cast(Float8, bits);
}

}  // namespace fastchat::model::layers

#pragma once
// Force-included into fuzz_safetensors_header only. Debian's libtorch 1.13 headers do not compile
// with clang 14 in C++20 (libstdc++'s constexpr std::vector meets c10::IValue still incomplete in
// ATen/core/List.h), so that one target is built as C++17; safetensors_file.cpp's only C++20 need
// is std::endian, supplied here from the compiler's byte-order macros.
#include <bit>
#if __cplusplus < 202002L
namespace std {
enum class endian {
  little = __ORDER_LITTLE_ENDIAN__,
  big = __ORDER_BIG_ENDIAN__,
  native = __BYTE_ORDER__
};
}  // namespace std
#endif

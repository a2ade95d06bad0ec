# FASTCHAT_FUZZ: clang's libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer. Every
# target of the build is compiled with coverage instrumentation (fuzzer-no-link) so the fuzzers
# in tests/fuzz reach the libraries they link; only those fuzzers link libFuzzer itself.
# UBSan findings abort (no recovery) so that libFuzzer records them as crashes.
if(NOT FASTCHAT_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "FASTCHAT_FUZZ needs clang (CC=clang CXX=clang++), not ${CMAKE_CXX_COMPILER_ID}")
endif()
set(FASTCHAT_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined
                            -fno-omit-frame-pointer)
add_compile_options(-fsanitize=fuzzer-no-link ${FASTCHAT_SANITIZE_FLAGS})
add_link_options(-fsanitize=address,undefined)

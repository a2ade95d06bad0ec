# All dependencies come from Debian 12 packages (scripts/install_deps.sh); nothing is fetched.
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 QUIET CONFIG)
if(NOT CLI11_FOUND)
  # Debian's libcli11-dev ships the header only.
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()
find_package(PkgConfig REQUIRED)
if(FASTCHAT_BUILD_WORKER)
  # The tokenizers (src/text/tokenizer), built only with the model side.
  pkg_check_modules(SENTENCEPIECE REQUIRED IMPORTED_TARGET sentencepiece)
  pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
endif()
if(FASTCHAT_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
# Boost.Beast/Asio (header-only in Debian's libboost1.81-dev; compiled once in
# src/common/http/beast_impl.cpp).
find_package(Boost 1.81 REQUIRED)

#include "text/reply/tool_call_id.h"

#include <random>
#include <string_view>

namespace fastchat::reply {
namespace {

constexpr std::string_view kPrefix = "call_";
constexpr std::size_t kRandomLength = 24;
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

}  // namespace

std::string make_tool_call_id() {
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string id(kPrefix);
  for (std::size_t i = 0; i < kRandomLength; ++i) id += kAlphabet[pick(generator())];
  return id;
}

}  // namespace fastchat::reply

#include "controller/registry/host_allowlist.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "common/error/error.h"

namespace fastchat::controller {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

struct Address {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
};

// IPv4-mapped IPv6 (::ffff:a.b.c.d) is treated as the IPv4 address it carries, so that
// "::ffff:10.0.0.1" cannot slip past a 10.0.0.0/8-only list or be refused by one.
std::optional<Address> parse_address(std::string_view text) {
  const std::string s(strip_brackets(text));
  Address a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  std::array<uint8_t, 16> v6{};
  if (inet_pton(AF_INET6, s.c_str(), v6.data()) != 1) return std::nullopt;
  static constexpr std::array<uint8_t, 12> kMapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), v6.begin())) {
    std::copy(v6.begin() + 12, v6.end(), a.bytes.begin());
    return a;
  }
  a.v6 = true;
  a.bytes = v6;
  return a;
}

bool valid_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

[[noreturn]] void bad_entry(std::string_view entry, std::string_view why) {
  throw_error(ErrorCode::InvalidConfig,
              "--allowed-worker-hosts: '" + std::string(entry) + "' " + std::string(why),
              "allowed-worker-hosts");
}

}  // namespace

HostAllowlist HostAllowlist::any() {
  HostAllowlist list;
  list.add("*");
  return list;
}

HostAllowlist HostAllowlist::loopback_and(std::string_view own_host) {
  HostAllowlist list;
  list.add("localhost");
  list.add("127.0.0.0/8");
  list.add("::1");
  try {
    if (!trim(own_host).empty()) list.add(own_host);
  } catch (const ErrorException&) {
    // Not a host the allowlist can express; binding to it fails later with a clearer error.
  }
  return list;
}

HostAllowlist HostAllowlist::parse(std::string_view list) {
  HostAllowlist out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto entry = trim(list.substr(0, comma));
    if (entry.empty()) bad_entry(entry, "is empty (check for a stray comma)");
    out.add(entry);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
    if (list.empty()) bad_entry("", "is empty (check for a stray comma)");
  }
  if (out.entries_.empty()) bad_entry(list, "lists no hosts");
  return out;
}

void HostAllowlist::add(std::string_view raw) {
  const auto entry = trim(raw);
  if (entry == "*") {
    any_ = true;
    entries_.emplace_back(entry);
    return;
  }
  const auto slash = entry.find('/');
  const auto address = parse_address(entry.substr(0, slash));
  if (slash != std::string_view::npos) {
    if (!address) bad_entry(entry, "is not an address/prefix block");
    const auto bits_text = entry.substr(slash + 1);
    int bits = -1;
    const auto [end, ec] =
        std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    const int max_bits = address->v6 ? 128 : 32;
    if (ec != std::errc{} || end != bits_text.data() + bits_text.size() || bits < 0 ||
        bits > max_bits) {
      bad_entry(entry, "has a prefix length outside 0.." + std::to_string(max_bits));
    }
    blocks_.push_back(Block{address->v6, address->bytes, bits});
  } else if (address) {
    blocks_.push_back(Block{address->v6, address->bytes, address->v6 ? 128 : 32});
  } else {
    if (!valid_host_name(entry)) bad_entry(entry, "is not a host name, address or CIDR block");
    names_.push_back(lower(entry));
  }
  entries_.emplace_back(entry);
}

bool HostAllowlist::allows(std::string_view host) const {
  if (any_) return true;
  const auto address = parse_address(host);
  if (!address) {
    const auto name = lower(host);
    return std::find(names_.begin(), names_.end(), name) != names_.end();
  }
  for (const auto& block : blocks_) {
    if (block.v6 != address->v6) continue;
    const int full = block.prefix_bits / 8;
    const int rest = block.prefix_bits % 8;
    if (!std::equal(block.bytes.begin(), block.bytes.begin() + full, address->bytes.begin())) {
      continue;
    }
    if (rest != 0) {
      const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
      if ((block.bytes[full] & mask) != (address->bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string HostAllowlist::describe() const {
  std::string out;
  for (const auto& e : entries_) {
    if (!out.empty()) out += ",";
    out += e;
  }
  return out;
}

}  // namespace fastchat::controller

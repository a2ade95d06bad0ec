#pragma once
// Which hosts may register as workers (the SSRF and spoofing guard of FastChat issue 3886):
// the controller refuses other registrations and never calls their addresses. Entries are
// host names (exact, case-insensitive), IP addresses, or IPv4/IPv6 CIDR blocks. Names are not
// resolved: an entry "gpu-1" admits the worker name spelled "gpu-1", not its IP address.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fastchat::controller {

class HostAllowlist {
 public:
  /// Admits every host ("*"): for operators who secure the network another way.
  static HostAllowlist any();
  /// Loopback (127.0.0.0/8, ::1, localhost) plus `own_host` (the controller's --host).
  static HostAllowlist loopback_and(std::string_view own_host);
  /// A comma-separated list as given to --allowed-worker-hosts; "*" admits everything.
  /// Throws ErrorException{InvalidConfig, param "allowed-worker-hosts"} naming a bad entry.
  static HostAllowlist parse(std::string_view list);

  /// Adds one entry (name, address or CIDR); throws as parse() does.
  void add(std::string_view entry);
  /// `host` as it appears in a URL (IPv6 may be bracketed).
  bool allows(std::string_view host) const;
  bool allows_any() const { return any_; }
  /// The entries as given, for the startup log.
  std::string describe() const;

 private:
  struct Block {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};
    int prefix_bits = 0;
  };

  bool any_ = false;
  std::vector<std::string> names_;  // lower case
  std::vector<Block> blocks_;
  std::vector<std::string> entries_;
};

}  // namespace fastchat::controller

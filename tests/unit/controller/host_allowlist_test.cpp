#include "controller/registry/host_allowlist.h"

#include <gtest/gtest.h>

#include "common/error/error.h"

namespace fastchat::controller {
namespace {

TEST(HostAllowlist, DefaultAdmitsLoopbackAndOwnHostOnly) {
  const auto list = HostAllowlist::loopback_and("10.1.2.3");
  EXPECT_TRUE(list.allows("127.0.0.1"));
  EXPECT_TRUE(list.allows("127.255.0.9"));
  EXPECT_TRUE(list.allows("localhost"));
  EXPECT_TRUE(list.allows("LocalHost"));
  EXPECT_TRUE(list.allows("::1"));
  EXPECT_TRUE(list.allows("[::1]"));
  EXPECT_TRUE(list.allows("::ffff:127.0.0.1"));  // IPv4-mapped counts as the IPv4 address
  EXPECT_TRUE(list.allows("10.1.2.3"));
  EXPECT_FALSE(list.allows("10.1.2.4"));
  EXPECT_FALSE(list.allows("169.254.169.254"));
  EXPECT_FALSE(list.allows("localhost.evil.com"));
  EXPECT_FALSE(list.allows("128.0.0.1"));
  EXPECT_FALSE(list.allows("::2"));
  EXPECT_FALSE(list.allows("2130706433"));  // 127.0.0.1 in decimal: not an address we accept
  EXPECT_FALSE(list.allows(""));
}

TEST(HostAllowlist, ParsesNamesAddressesAndBlocks) {
  const auto list = HostAllowlist::parse(" gpu-1 ,10.0.0.0/8, fd00::/8,192.168.1.7, 172.16.0.0/12");
  EXPECT_TRUE(list.allows("GPU-1"));
  EXPECT_TRUE(list.allows("10.200.3.4"));
  EXPECT_TRUE(list.allows("fd12::1"));
  EXPECT_TRUE(list.allows("[fd12::1]"));
  EXPECT_TRUE(list.allows("192.168.1.7"));
  EXPECT_TRUE(list.allows("172.31.255.255"));
  EXPECT_FALSE(list.allows("172.32.0.0"));
  EXPECT_FALSE(list.allows("192.168.1.8"));
  EXPECT_FALSE(list.allows("127.0.0.1"));  // an explicit list replaces the default
  EXPECT_FALSE(list.allows("gpu-2"));
  EXPECT_FALSE(list.allows("fe80::1"));
  EXPECT_EQ(list.describe(), "gpu-1,10.0.0.0/8,fd00::/8,192.168.1.7,172.16.0.0/12");
}

TEST(HostAllowlist, StarAdmitsAnything) {
  const auto list = HostAllowlist::parse("*");
  EXPECT_TRUE(list.allows_any());
  EXPECT_TRUE(list.allows("example.com"));
  EXPECT_TRUE(HostAllowlist::any().allows("8.8.8.8"));
}

TEST(HostAllowlist, RefusesBadEntriesNamingTheFlag) {
  for (const char* bad : {"", "a,,b", "a,", "10.0.0.0/33", "10.0.0.0/x", "::/129", "bad host",
                          "http://x", "10.0.0.0/"}) {
    try {
      HostAllowlist::parse(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::InvalidConfig);
      EXPECT_EQ(e.error().param, "allowed-worker-hosts");
      EXPECT_NE(e.error().message.find("--allowed-worker-hosts"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace fastchat::controller

#include "worker/service/admission.h"

#include <gtest/gtest.h>

#include "common/error/error.h"

namespace fastchat::service {
namespace {

TEST(Admission, RefusesBeyondTheLimitAndSlotsReleaseThemselves) {
  Admission admission(2);
  {
    auto a = admission.acquire();
    auto b = admission.acquire();
    EXPECT_EQ(admission.in_flight(), 2);
    try {
      admission.acquire();
      FAIL();
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().code, ErrorCode::Overloaded);
      EXPECT_NE(e.error().message.find("2"), std::string::npos);
    }
    EXPECT_EQ(admission.refused(), 1);  // for the worker's rejected-requests counter
    Admission::Slot moved = std::move(a);
    EXPECT_EQ(admission.in_flight(), 2);  // moving does not release
    moved.release();
    EXPECT_EQ(admission.in_flight(), 1);
    moved.release();  // idempotent
    EXPECT_EQ(admission.in_flight(), 1);
  }
  EXPECT_EQ(admission.in_flight(), 0);  // an exception path cannot leak a slot
}

}  // namespace
}  // namespace fastchat::service

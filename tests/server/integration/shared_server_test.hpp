// A test suite sharing one real qsipd: started before the suite's first
// test, stopped after its last. Tests keep out of each other's way by
// naming their users with id(), which appends the test's own name.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "running_qsipd.hpp"

namespace qsip::test {

class SharedServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningQsipd(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  // `name` made unique to the running test ("alice" -> "alice-TestName").
  static std::string id(const std::string& name) {
    return name + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  static inline RunningQsipd* server_ = nullptr;
};

// A text MESSAGE payload.
std::string text_payload(const std::string& text);

}  // namespace qsip::test

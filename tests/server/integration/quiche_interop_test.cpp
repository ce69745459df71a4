// Interop with a QUIC stack no one here wrote: Cloudflare's quiche through
// the npm package @matrixai/quic (tests/interop/quiche-interop.mjs), against
// the real qsipd.
#include <gtest/gtest.h>

#include "running_qsipd.hpp"
#include "server/child_process.hpp"

using namespace std::chrono_literals;

TEST(QuicheInterop, HandshakeFramedAnswerAndDatagramsEachWay) {
  qsip::test::RunningQsipd server;
  qsip::test::ChildProcess node({"/usr/bin/env", "node", std::string(QSIP_SOURCE_DIR) + "/tests/interop/quiche-interop.mjs",
                                 "127.0.0.1", std::to_string(server.port())});
  auto status = node.wait_exit(60s);
  ASSERT_TRUE(status) << "the quiche client did not finish";
  std::string out = node.stdout_text();
  EXPECT_EQ(*status, 0) << out << node.stderr_text();
  EXPECT_NE(out.find("handshake with ALPN qsip/1 done"), std::string::npos) << out;
  EXPECT_NE(out.find("answered with ERROR 4015"), std::string::npos) << out;
  EXPECT_NE(out.find("datagram sent and echoed back"), std::string::npos) << out;
}

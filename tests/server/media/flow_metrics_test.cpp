// The relay's per-flow families in /metrics: one sample per live flow,
// labelled by session, user, flow id and direction; gone with the session
// or the server.
#include <gtest/gtest.h>

#include "server/media/flow_metrics.hpp"

using namespace qsip::server;
using namespace qsip::server::media;

namespace {
SessionRoutes call(std::string session) {
  return {std::move(session), {RouteTrack{"alice", 11, "a", {Layer{4, {}, 0}}, {RouteReceiver{"bob", 22, 7, {}}}}}};
}
}  // namespace

TEST(FlowMetrics, RendersEveryLiveFlowWithItsLabels) {
  MetricsRegistry registry;
  RouteTable routes;
  FlowMetricsExport exported(registry, routes);
  routes.publish(call("s1"));
  auto flows = routes.lookup(11);
  flows->flows[0].counters->count_packet(120);
  flows->flows[0].counters->add(3, flows->flows[0].counters->losses);
  flows->flows[0].track->receivers[0].counters->count_drop();
  auto text = registry.render();
  EXPECT_NE(text.find("# TYPE qsip_media_flow_packets_total counter"), std::string::npos);
  EXPECT_NE(text.find("qsip_media_flow_packets_total{session=\"s1\",user=\"alice\",flow=\"4\",direction=\"in\"} 1\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("qsip_media_flow_bytes_total{session=\"s1\",user=\"alice\",flow=\"4\",direction=\"in\"} 120\n"),
            std::string::npos);
  EXPECT_NE(text.find("qsip_media_flow_losses_total{session=\"s1\",user=\"alice\",flow=\"4\",direction=\"in\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("qsip_media_flow_drops_total{session=\"s1\",user=\"bob\",flow=\"7\",direction=\"out\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(text.find("qsip_media_flow_losses_total{session=\"s1\",user=\"bob\""), std::string::npos)
      << "losses are counted on arrival only";

  routes.publish({"s1", {}});
  EXPECT_EQ(registry.render().find("session=\"s1\""), std::string::npos) << "gone with the session";
}

TEST(FlowMetrics, ALaterServerFeedsTheSameFamilies) {
  MetricsRegistry registry;
  {
    RouteTable first;
    FlowMetricsExport exported(registry, first);
    first.publish(call("s-first"));
  }
  EXPECT_EQ(registry.render().find("s-first"), std::string::npos) << "nothing renders once the server is gone";
  RouteTable second;
  FlowMetricsExport again(registry, second);
  second.publish(call("s-second"));
  EXPECT_NE(registry.render().find("session=\"s-second\""), std::string::npos);
}

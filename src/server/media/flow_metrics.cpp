#include "server/media/flow_metrics.hpp"

#include <map>
#include <string>

namespace qsip::server::media {

namespace {

enum class Field { kPackets, kBytes, kLosses, kDrops };

class FlowFamily final : public MetricFamilyBase {
 public:
  FlowFamily(std::string name, std::string help, Field field, std::shared_ptr<FlowMetricsExport::Source> source)
      : MetricFamilyBase(std::move(name), std::move(help), {"session", "user", "flow", "direction"}),
        field_(field),
        source_(std::move(source)) {}
  MetricType type() const override { return MetricType::counter; }

 private:
  void render_samples(std::string& out) const override {
    std::vector<FlowSample> samples;
    {
      std::lock_guard lock(source_->mutex);
      if (source_->routes) samples = source_->routes->samples();
    }
    for (const auto& s : samples) {
      if (field_ == Field::kLosses && !s.incoming) continue;  // losses are seen on arrival only
      out += name_;
      append_labels(out, {s.session_id, s.user_id, std::to_string(s.flow_id), s.incoming ? "in" : "out"});
      out += "} ";
      const std::uint64_t v = field_ == Field::kPackets ? s.packets
                              : field_ == Field::kBytes ? s.bytes
                              : field_ == Field::kLosses ? s.losses
                                                         : s.drops;
      out += std::to_string(v);
      out += '\n';
    }
  }
  Field field_;
  std::shared_ptr<FlowMetricsExport::Source> source_;
};

// One source per registry: the families are registered once and outlive
// the servers that come and go in a process (tests run several).
std::mutex sources_mutex;
std::map<MetricsRegistry*, std::shared_ptr<FlowMetricsExport::Source>> sources;

}  // namespace

FlowMetricsExport::FlowMetricsExport(MetricsRegistry& registry, const RouteTable& routes) {
  {
    std::lock_guard lock(sources_mutex);
    auto& source = sources[&registry];
    if (!source) {
      source = std::make_shared<Source>();
      registry.add_family(std::make_unique<FlowFamily>("qsip_media_flow_packets_total",
                                                       "media datagrams per live relayed flow", Field::kPackets, source));
      registry.add_family(std::make_unique<FlowFamily>("qsip_media_flow_bytes_total",
                                                       "media datagram bytes per live relayed flow", Field::kBytes, source));
      registry.add_family(std::make_unique<FlowFamily>(
          "qsip_media_flow_losses_total", "RTP packets missing (sequence-number gaps) per sender flow", Field::kLosses, source));
      registry.add_family(std::make_unique<FlowFamily>(
          "qsip_media_flow_drops_total", "media datagrams the relay dropped (congestion, no receiver, test hook)",
          Field::kDrops, source));
    }
    source_ = source;
  }
  std::lock_guard lock(source_->mutex);
  source_->routes = &routes;
}

FlowMetricsExport::~FlowMetricsExport() {
  std::lock_guard lock(source_->mutex);
  source_->routes = nullptr;
}

}  // namespace qsip::server::media

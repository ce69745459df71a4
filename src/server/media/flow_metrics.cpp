#include "server/media/flow_metrics.hpp"

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
  const std::shared_ptr<FlowMetricsExport::Source>& source() const { return source_; }

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

}  // namespace

FlowMetricsExport::FlowMetricsExport(MetricsRegistry& registry, const RouteTable& routes) {
  // The families outlive the servers that come and go in a process: the
  // first registers them, later ones feed the same families.
  constexpr const char* kPackets = "qsip_media_flow_packets_total";
  if (auto* existing = dynamic_cast<FlowFamily*>(registry.find(kPackets))) {
    source_ = existing->source();
  } else {
    source_ = std::make_shared<Source>();
    registry.add_family(std::make_unique<FlowFamily>(kPackets, "media datagrams per live relayed flow", Field::kPackets, source_));
    registry.add_family(std::make_unique<FlowFamily>("qsip_media_flow_bytes_total",
                                                     "media datagram bytes per live relayed flow", Field::kBytes, source_));
    registry.add_family(std::make_unique<FlowFamily>(
        "qsip_media_flow_losses_total", "RTP packets missing (sequence-number gaps) per sender flow", Field::kLosses, source_));
    registry.add_family(std::make_unique<FlowFamily>(
        "qsip_media_flow_drops_total", "media datagrams the relay dropped (congestion, no receiver, test hook)",
        Field::kDrops, source_));
  }
  std::lock_guard lock(source_->mutex);
  source_->routes = &routes;
}

FlowMetricsExport::~FlowMetricsExport() {
  std::lock_guard lock(source_->mutex);
  source_->routes = nullptr;
}

}  // namespace qsip::server::media

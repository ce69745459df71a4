// A small Prometheus metrics registry: counters, gauges and fixed-bucket
// histograms in labelled families, rendered in the text exposition format
// 0.0.4. Updates are relaxed atomics, safe from any thread without a lock;
// finding a labelled child takes a shared lock, so hot paths look a child up
// once and keep the reference (children live as long as the registry).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace qsip::server {

class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(double v) noexcept { value_.fetch_add(v, std::memory_order_relaxed); }
  void sub(double v) noexcept { value_.fetch_sub(v, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds`: the upper bounds of the buckets, strictly increasing, without +Inf.
  explicit Histogram(const std::vector<double>& bounds);
  void observe(double v) noexcept;

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
    std::uint64_t count = 0;  // equals cumulative.back()
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double>& bounds_;  // owned by the family
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bucket, not cumulative; last is +Inf
  std::atomic<double> sum_{0.0};
};

enum class MetricType { counter, gauge, histogram };

// What the registry renders; the typed Family below is what callers hold.
class MetricFamilyBase {
 public:
  MetricFamilyBase(std::string name, std::string help, std::vector<std::string> label_names);
  virtual ~MetricFamilyBase() = default;
  MetricFamilyBase(const MetricFamilyBase&) = delete;
  MetricFamilyBase& operator=(const MetricFamilyBase&) = delete;

  const std::string& name() const { return name_; }
  virtual MetricType type() const = 0;
  // Appends HELP, TYPE and one line per sample.
  void render(std::string& out) const;

 protected:
  using LabelValues = std::vector<std::string>;
  // Checks the count of `values` against the label names; throws
  // std::invalid_argument on a mismatch (a programming error).
  LabelValues make_key(std::initializer_list<std::string_view> values) const;
  virtual void render_samples(std::string& out) const = 0;
  // `{a="x",b="y"` without the closing brace, or "" without labels; the
  // caller adds extra labels (le) and closes it.
  void append_labels(std::string& out, const LabelValues& values) const;

  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
};

template <typename Metric>
class Family final : public MetricFamilyBase {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> bounds = {})
      : MetricFamilyBase(std::move(name), std::move(help), std::move(label_names)), bounds_(std::move(bounds)) {}

  // The child with these label values (in the order of the label names),
  // created at first use. Keep the reference: it stays valid.
  Metric& labels(std::initializer_list<std::string_view> values);
  // The single child of a family without labels.
  Metric& get() { return labels({}); }

  MetricType type() const override;

 private:
  void render_samples(std::string& out) const override;

  std::vector<double> bounds_;  // histograms only
  mutable std::shared_mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Metric>> children_;  // ordered: stable output
};

// The registry of one process. Families render in registration order.
class MetricsRegistry {
 public:
  // Registration errors (duplicate or malformed name, malformed label name,
  // bounds not increasing) are programming errors: std::invalid_argument.
  Family<Counter>& counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  Family<Gauge>& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  Family<Histogram>& histogram(std::string name, std::string help, std::vector<double> bounds,
                               std::vector<std::string> label_names = {});

  // A family that renders its own samples (e.g. per-flow counters that come
  // and go with calls: docs/calls.md "Metrics"); registered like the others.
  MetricFamilyBase& add_family(std::unique_ptr<MetricFamilyBase> family);

  // A hook runs at every scrape, before rendering, on the scraping thread;
  // it fills gauges from a component's own state (e.g. the QUIC endpoint's
  // statistics snapshot). It must be thread-safe and must not register.
  using CollectHook = std::function<void()>;
  using HookId = std::uint64_t;
  HookId add_collect_hook(CollectHook hook);
  // After this returns the hook is not running and will not run again.
  void remove_collect_hook(HookId id);

  // Runs the hooks, then renders every family (text format 0.0.4).
  std::string render();

 private:
  template <typename F>
  F& add(std::unique_ptr<F> family);

  std::mutex families_mutex_;
  std::vector<std::unique_ptr<MetricFamilyBase>> families_;
  std::mutex hooks_mutex_;  // held while hooks run, so removal waits for a running hook
  std::map<HookId, CollectHook> hooks_;
  HookId next_hook_id_ = 1;
};

// Number formatting of the exposition format: shortest round-trip, "+Inf",
// "-Inf", "NaN".
void append_metric_value(std::string& out, double v);

// --- template definitions ---

template <typename Metric>
Metric& Family<Metric>::labels(std::initializer_list<std::string_view> values) {
  LabelValues key = make_key(values);
  {
    std::shared_lock lock(mutex_);
    if (auto it = children_.find(key); it != children_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  auto& slot = children_[std::move(key)];
  if (!slot) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      slot = std::make_unique<Histogram>(bounds_);
    } else {
      slot = std::make_unique<Metric>();
    }
  }
  return *slot;
}

// Rendering differs per metric type: specialized in metrics.cpp, which also
// instantiates the three families once for the whole program.
template <> MetricType Family<Counter>::type() const;
template <> MetricType Family<Gauge>::type() const;
template <> MetricType Family<Histogram>::type() const;
template <> void Family<Counter>::render_samples(std::string& out) const;
template <> void Family<Gauge>::render_samples(std::string& out) const;
template <> void Family<Histogram>::render_samples(std::string& out) const;
extern template class Family<Counter>;
extern template class Family<Gauge>;
extern template class Family<Histogram>;

}  // namespace qsip::server

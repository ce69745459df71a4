#include "server/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace qsip::server {
namespace {

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  auto ok = [&](char c, bool first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':') ||
           (!first && c >= '0' && c <= '9');
  };
  if (!ok(name.front(), true)) return false;
  return std::all_of(name.begin() + 1, name.end(), [&](char c) { return ok(c, false); });
}

// HELP text escapes backslash and newline; label values also the double quote.
void append_escaped(std::string& out, std::string_view s, bool escape_quote) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (escape_quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

// Closes a label set opened by append_labels, or writes nothing if none.
void close_labels(std::string& out, bool opened) {
  if (opened) out += '}';
}

}  // namespace

void append_metric_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    // Plain decimals where they stay short ("0.0005", not "5e-04"), as
    // bucket bounds and timestamps read better that way; both parse alike.
    double magnitude = std::fabs(v);
    bool plain = v == 0 || (magnitude >= 1e-4 && magnitude < 1e15);
    char buf[400];
    auto [end, ec] = plain ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                           : std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
  }
}

// --- Histogram ---

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(double v) noexcept {
  // Buckets are few (about a dozen): a linear scan beats a branchy search.
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

// --- families ---

MetricFamilyBase::MetricFamilyBase(std::string name, std::string help, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {
  if (!valid_name(name_, true)) throw std::invalid_argument("bad metric name: " + name_);
  for (const auto& label : label_names_) {
    if (!valid_name(label, false) || label.starts_with("__")) {
      throw std::invalid_argument("bad label name " + label + " in " + name_);
    }
  }
}

MetricFamilyBase::LabelValues MetricFamilyBase::make_key(std::initializer_list<std::string_view> values) const {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + " takes " + std::to_string(label_names_.size()) +
                                " label values, got " + std::to_string(values.size()));
  }
  return LabelValues(values.begin(), values.end());
}

void MetricFamilyBase::append_labels(std::string& out, const LabelValues& values) const {
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += i == 0 ? '{' : ',';
    out += label_names_[i];
    out += "=\"";
    append_escaped(out, values[i], true);
    out += '"';
  }
}

void MetricFamilyBase::render(std::string& out) const {
  static constexpr std::string_view kTypeNames[] = {"counter", "gauge", "histogram"};
  out += "# HELP ";
  out += name_;
  out += ' ';
  append_escaped(out, help_, false);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += kTypeNames[static_cast<int>(type())];
  out += '\n';
  render_samples(out);
}

template <>
MetricType Family<Counter>::type() const {
  return MetricType::counter;
}
template <>
MetricType Family<Gauge>::type() const {
  return MetricType::gauge;
}
template <>
MetricType Family<Histogram>::type() const {
  return MetricType::histogram;
}

template <>
void Family<Counter>::render_samples(std::string& out) const {
  std::shared_lock lock(mutex_);
  for (const auto& [values, counter] : children_) {
    out += name_;
    append_labels(out, values);
    close_labels(out, !values.empty());
    out += ' ';
    append_uint(out, counter->value());
    out += '\n';
  }
}

template <>
void Family<Gauge>::render_samples(std::string& out) const {
  std::shared_lock lock(mutex_);
  for (const auto& [values, gauge] : children_) {
    out += name_;
    append_labels(out, values);
    close_labels(out, !values.empty());
    out += ' ';
    append_metric_value(out, gauge->value());
    out += '\n';
  }
}

template <>
void Family<Histogram>::render_samples(std::string& out) const {
  std::shared_lock lock(mutex_);
  for (const auto& [values, histogram] : children_) {
    auto snap = histogram->snapshot();
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
      out += name_;
      out += "_bucket";
      append_labels(out, values);
      out += values.empty() ? "{le=\"" : ",le=\"";
      if (i < bounds_.size()) {
        append_metric_value(out, bounds_[i]);
      } else {
        out += "+Inf";
      }
      out += "\"} ";
      append_uint(out, snap.cumulative[i]);
      out += '\n';
    }
    out += name_;
    out += "_sum";
    append_labels(out, values);
    close_labels(out, !values.empty());
    out += ' ';
    append_metric_value(out, snap.sum);
    out += '\n';
    out += name_;
    out += "_count";
    append_labels(out, values);
    close_labels(out, !values.empty());
    out += ' ';
    append_uint(out, snap.count);
    out += '\n';
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// --- registry ---

template <typename F>
F& MetricsRegistry::add(std::unique_ptr<F> family) {
  std::lock_guard lock(families_mutex_);
  for (const auto& existing : families_) {
    if (existing->name() == family->name()) throw std::invalid_argument("metric registered twice: " + family->name());
  }
  F& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

Family<Counter>& MetricsRegistry::counter(std::string name, std::string help, std::vector<std::string> label_names) {
  // A family without labels has exactly one sample; show it from the start.
  bool plain = label_names.empty();
  auto& family = add(std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(label_names)));
  if (plain) family.get();
  return family;
}

Family<Gauge>& MetricsRegistry::gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  bool plain = label_names.empty();
  auto& family = add(std::make_unique<Family<Gauge>>(std::move(name), std::move(help), std::move(label_names)));
  if (plain) family.get();
  return family;
}

Family<Histogram>& MetricsRegistry::histogram(std::string name, std::string help, std::vector<double> bounds,
                                              std::vector<std::string> label_names) {
  bool increasing = std::adjacent_find(bounds.begin(), bounds.end(), std::greater_equal<>()) == bounds.end();
  if (bounds.empty() || !increasing || !std::isfinite(bounds.front()) || !std::isfinite(bounds.back())) {
    throw std::invalid_argument("histogram " + name + ": bounds must be finite and strictly increasing");
  }
  for (const auto& label : label_names) {
    if (label == "le") throw std::invalid_argument("histogram " + name + ": label name le is reserved");
  }
  bool plain = label_names.empty();
  auto& family = add(std::make_unique<Family<Histogram>>(std::move(name), std::move(help), std::move(label_names),
                                                          std::move(bounds)));
  if (plain) family.get();
  return family;
}

MetricFamilyBase& MetricsRegistry::add_family(std::unique_ptr<MetricFamilyBase> family) {
  return add(std::move(family));
}

MetricsRegistry::HookId MetricsRegistry::add_collect_hook(CollectHook hook) {
  std::lock_guard lock(hooks_mutex_);
  HookId id = next_hook_id_++;
  hooks_.emplace(id, std::move(hook));
  return id;
}

void MetricsRegistry::remove_collect_hook(HookId id) {
  std::lock_guard lock(hooks_mutex_);
  hooks_.erase(id);
}

std::string MetricsRegistry::render() {
  {
    std::lock_guard lock(hooks_mutex_);
    for (auto& [id, hook] : hooks_) hook();
  }
  std::string out;
  std::lock_guard lock(families_mutex_);
  for (const auto& family : families_) family->render(out);
  return out;
}

}  // namespace qsip::server

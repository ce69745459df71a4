#include "server/routing/device_directory.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "server/routing/user_delivery.hpp"

using namespace qsip::server;

TEST(DeviceDirectory, AttachReplaceAndDetach) {
  DeviceDirectory d;
  EXPECT_FALSE(d.attach("u", "phone", 1));
  EXPECT_FALSE(d.attach("u", "laptop", 2));
  EXPECT_EQ(d.devices("u").size(), 2u);
  EXPECT_EQ(d.attach("u", "phone", 3), 1u);  // same device, new connection: the old one is named
  d.detach("u", "phone", 1);                 // the old connection leaving changes nothing
  EXPECT_EQ(d.devices("u").size(), 2u);
  d.detach("u", "phone", 3);
  d.detach("u", "laptop", 2);
  EXPECT_FALSE(d.online("u"));
  EXPECT_EQ(d.user_count(), 0u);
}

TEST(DeviceDirectory, ConcurrentWritersAndReaders) {
  DeviceDirectory d;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&d, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string user = "u" + std::to_string(i % 50);
        d.attach(user, "d" + std::to_string(t), static_cast<std::uint64_t>(t * 100000 + i));
        (void)d.devices(user);
        d.detach(user, "d" + std::to_string(t), static_cast<std::uint64_t>(t * 100000 + i));
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(d.user_count(), 0u);
}

TEST(UserDelivery, FansOutToEveryDeviceButTheSender) {
  struct Recorder : ConnectionMailer {
    std::vector<std::uint64_t> to;
    bool deliver(std::uint64_t id, FrameBytes, Delivery) override {
      to.push_back(id);
      return true;
    }
    bool run(std::uint64_t, std::function<void(ClientSession&)>) override { return false; }
  void close(std::uint64_t, std::uint64_t) override {}
  } mailer;
  DeviceDirectory d;
  d.attach("u", "a", 1);
  d.attach("u", "b", 2);
  d.attach("u", "c", 3);
  auto frame = make_frame_bytes("x");
  EXPECT_EQ(send_to_user(d, mailer, "u", frame, Delivery::kReliable, 2), 2u);
  EXPECT_EQ(mailer.to, (std::vector<std::uint64_t>{1, 3}));
  EXPECT_EQ(send_to_user(d, mailer, "nobody", frame, Delivery::kReliable), 0u);
}

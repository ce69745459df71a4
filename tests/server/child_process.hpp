// Runs a program as a child process for integration tests, collecting its
// stdout and stderr line by line on background threads, so the child never
// blocks on a full pipe and a test can wait for a line it expects.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace qsip::test {

class ChildProcess {
 public:
  // argv[0] is the program's path. Throws std::runtime_error if it cannot start.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();  // SIGKILL if still running, then reaps it
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void send_signal(int signal);

  // The first stderr line (without newline) for which `match` holds, waiting
  // up to `timeout`; nullopt on timeout or when stderr closes first.
  std::optional<std::string> wait_for_stderr_line(const std::function<bool(std::string_view)>& match,
                                                  std::chrono::milliseconds timeout);

  // The exit status (or 128 + signal number), waiting up to `timeout`;
  // nullopt if it is still running then.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  // All output so far; complete once wait_exit returned a value.
  std::string stdout_text();
  std::string stderr_text();

 private:
  struct Stream {
    int fd = -1;
    std::string text;
    bool closed = false;
    std::thread reader;
  };
  void read_stream(Stream& stream);

  pid_t pid_ = -1;
  std::optional<int> status_;
  std::mutex mutex_;
  std::condition_variable changed_;
  Stream out_;
  Stream err_;
};

}  // namespace qsip::test

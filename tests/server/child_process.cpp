#include "server/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

extern char** environ;

namespace qsip::test {

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  // The child starts with default signal handling and an empty mask, as
  // from a shell, whatever this test process has blocked.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int rc = ::posix_spawn(&pid_, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    throw std::runtime_error("posix_spawn " + argv[0] + " failed");
  }
  out_.fd = out_pipe[0];
  err_.fd = err_pipe[0];
  out_.reader = std::thread([this] { read_stream(out_); });
  err_.reader = std::thread([this] { read_stream(err_); });
}

ChildProcess::~ChildProcess() {
  if (!wait_exit(std::chrono::milliseconds(0))) {
    ::kill(pid_, SIGKILL);
    wait_exit(std::chrono::seconds(10));
  }
  for (Stream* s : {&out_, &err_}) {
    if (s->reader.joinable()) s->reader.join();
    ::close(s->fd);
  }
}

void ChildProcess::read_stream(Stream& stream) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(stream.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard lock(mutex_);
    if (n <= 0) {
      stream.closed = true;
      changed_.notify_all();
      return;
    }
    stream.text.append(buf, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
}

void ChildProcess::send_signal(int signal) { ::kill(pid_, signal); }

std::optional<std::string> ChildProcess::wait_for_stderr_line(const std::function<bool(std::string_view)>& match,
                                                              std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  std::size_t scanned = 0;  // complete lines before this offset were checked
  for (;;) {
    std::size_t end;
    while ((end = err_.text.find('\n', scanned)) != std::string::npos) {
      std::string_view line(err_.text.data() + scanned, end - scanned);
      scanned = end + 1;
      if (match(line)) return std::string(line);
    }
    if (err_.closed) return std::nullopt;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) return std::nullopt;
  }
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int raw = 0;
    pid_t r = ::waitpid(pid_, &raw, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
      // The pipes close when the child is gone; let the readers finish.
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, std::chrono::seconds(5), [this] { return out_.closed && err_.closed; });
      return status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string ChildProcess::stdout_text() {
  std::lock_guard lock(mutex_);
  return out_.text;
}

std::string ChildProcess::stderr_text() {
  std::lock_guard lock(mutex_);
  return err_.text;
}

}  // namespace qsip::test

// Client::upload_file and Client::download_file (docs/files.md). A transfer
// is a job on the client's loop thread, owning one raw stream; the calling
// thread waits for its answer, reporting progress and giving up when
// nothing moves for request_timeout.
#include "client/file_transfer.hpp"

#include <fcntl.h>
#include <gnutls/crypto.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "client/pending_requests.hpp"
#include "core/frame_decoder.hpp"
#include "core/json_writer.hpp"
#include "core/uuid.hpp"
#include "core/varint.hpp"
#include "core/wire_limits.hpp"
#include "qsip/client.hpp"

namespace qsip {

namespace client {

bool RawStreamTable::deliver(std::int64_t stream_id, std::span<const std::uint8_t> bytes, bool fin) {
  auto it = users_.find(stream_id);
  if (it == users_.end()) return false;
  auto user = it->second;  // it may close the stream from the callback
  user->on_bytes(bytes, fin);
  return true;
}

void RawStreamTable::reset(std::int64_t stream_id) {
  auto it = users_.find(stream_id);
  if (it == users_.end()) return;
  auto user = std::move(it->second);
  users_.erase(it);
  user->on_gone("the server reset the stream");
}

void RawStreamTable::connection_lost() {
  auto users = std::move(users_);
  users_.clear();
  for (auto& [id, user] : users) user->on_gone("connection lost");
}

void RawStreamTable::tick() {
  std::vector<std::shared_ptr<RawStreamUser>> users;
  for (auto& [id, user] : users_) users.push_back(user);
  for (auto& user : users) user->on_tick();
}

}  // namespace client

namespace {

using client::local_error;
using client::RawStreamHost;
using namespace std::chrono_literals;

constexpr std::size_t kChunk = 64 * 1024;
// Bytes an upload keeps in the connection's send queue: well under the
// queue's hard bound, enough to fill a fast path between two ticks.
constexpr std::size_t kSendWindow = 1024 * 1024;

std::string new_message_id() {
  std::array<std::uint8_t, 16> bytes{};
  if (gnutls_rnd(GNUTLS_RND_NONCE, bytes.data(), bytes.size()) < 0) throw ClientError("no randomness");
  return core::uuid_v4(bytes);
}

class Sha256 {
 public:
  Sha256() {
    if (gnutls_hash_init(&hash_, GNUTLS_DIG_SHA256) < 0) throw ClientError("GnuTLS: cannot start SHA-256");
  }
  ~Sha256() { gnutls_hash_deinit(hash_, nullptr); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, std::size_t size) {
    if (size) gnutls_hash(hash_, data, size);
  }
  std::string hex_digest() {
    std::array<unsigned char, 32> digest{};
    gnutls_hash_output(hash_, digest.data());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : digest) {
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
    return out;
  }

 private:
  gnutls_hash_hd_t hash_ = nullptr;
};

// The one framed message that starts the server's side of a transfer
// stream; what follows it (a download's body) is raw.
class LeadingFrame {
 public:
  // Takes bytes from the front of `data` up to the end of the frame.
  // Returns the JSON body once complete; `data` then holds what follows.
  std::optional<std::string> feed(std::span<const std::uint8_t>& data) {
    while (!length_ && !data.empty() && !failed_) {
      prefix_.push_back(data.front());
      data = data.subspan(1);
      if (prefix_.size() == core::varint_length(prefix_[0])) {
        length_ = core::varint_decode(prefix_)->value;
        if (*length_ == 0 || *length_ > core::kMaxFrameBytes) failed_ = true;
      }
    }
    if (!length_ || failed_) return std::nullopt;
    std::size_t take = std::min<std::size_t>(data.size(), *length_ - body_.size());
    body_.append(reinterpret_cast<const char*>(data.data()), take);
    data = data.subspan(take);
    if (body_.size() < *length_) return std::nullopt;
    return std::move(body_);
  }
  bool failed() const { return failed_; }

 private:
  std::vector<std::uint8_t> prefix_;
  std::optional<std::uint64_t> length_;
  std::string body_;
  bool failed_ = false;
};

// One transfer on its stream. Loop thread, except where said.
class TransferJob : public client::RawStreamUser, public std::enable_shared_from_this<TransferJob> {
 public:
  TransferJob(RawStreamHost& host, std::string message_id, std::string header_frame)
      : host_(host), message_id_(std::move(message_id)), header_frame_(std::move(header_frame)) {}

  // Any thread.
  std::future<Message> answer() { return promise_.get_future(); }
  std::uint64_t done() const { return done_.load(); }
  std::uint64_t total() const { return total_.load(); }
  const std::string& message_id() const { return message_id_; }
  void cancel(Message why) {
    host_.run_on_loop([self = shared_from_this(), why = std::move(why)] { self->finish(why, /*reset=*/true); });
  }

  void on_gone(std::string_view why) override {
    stream_ = -1;  // the table forgot it already
    finish(local_error(5002, {}, "file transfer: " + std::string(why), message_id_), false);
  }

 protected:
  // Opens the stream and sends the header (FIN after it when `header_only`).
  bool open(bool header_only) {
    stream_ = host_.open_raw_stream(shared_from_this());
    if (stream_ < 0) {
      finish(local_error(5002, {}, "file transfer: not connected", message_id_), false);
      return false;
    }
    if (!write(header_frame_, header_only)) return false;
    header_frame_.clear();
    return true;
  }

  bool write(std::string_view bytes, bool fin) {
    if (host_.write_raw(stream_, std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), fin))
      return true;
    finish(local_error(5002, {}, "file transfer: the connection is closing", message_id_), true);
    return false;
  }

  // The server's framed answer at the start of the stream, once complete.
  std::optional<Message> read_answer(std::span<const std::uint8_t>& bytes, bool fin) {
    auto body = leading_.feed(bytes);
    if (leading_.failed()) {
      finish(local_error(4001, {}, "file transfer: the server's answer is not a QSIP frame", message_id_), true);
      return std::nullopt;
    }
    if (!body) {
      if (fin) finish(local_error(5002, {}, "file transfer: the stream ended without an answer", message_id_), false);
      return std::nullopt;
    }
    auto message = Message::parse(std::move(*body));
    if (!message) finish(local_error(4001, {}, "file transfer: the server's answer is not a QSIP message", message_id_), true);
    return message;
  }

  // Ends the transfer once: forgets (or resets) the stream, then resolves
  // the answer, last, since the waiting thread may drop its reference then.
  void finish(const Message& answer, bool reset) {
    if (finished_) return;
    finished_ = true;
    auto self = shared_from_this();  // the table may hold the last reference
    if (stream_ >= 0) host_.close_raw_stream(stream_, reset);
    stream_ = -1;
    promise_.set_value(answer);
  }

  RawStreamHost& host_;
  std::string message_id_;
  std::string header_frame_;
  std::int64_t stream_ = -1;
  bool finished_ = false;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> total_{0};

 private:
  LeadingFrame leading_;
  std::promise<Message> promise_;
};

class UploadJob final : public TransferJob {
 public:
  UploadJob(RawStreamHost& host, std::string message_id, std::string header_frame, std::ifstream file,
            std::uint64_t size)
      : TransferJob(host, std::move(message_id), std::move(header_frame)), file_(std::move(file)), buffer_(kChunk) {
    total_ = size;
  }

  void start() {
    if (open(/*header_only=*/total_ == 0)) {
      all_sent_ = total_ == 0;
      pump();
    }
  }
  void on_tick() override { pump(); }

  void on_bytes(std::span<const std::uint8_t> bytes, bool fin) override {
    if (auto answer = read_answer(bytes, fin)) finish(*answer, /*reset=*/!all_sent_);  // an early ERROR: stop sending
  }

 private:
  // Sends what the send window allows; the next tick sends more.
  void pump() {
    while (!finished_ && !all_sent_ && host_.queued_bytes() < kSendWindow) {
      std::uint64_t sent = done_;
      auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(buffer_.size(), total_ - sent));
      file_.read(buffer_.data(), want);
      if (file_.gcount() != want)
        return finish(local_error(4001, {}, "file: shorter than when the upload began", message_id_), true);
      bool last = sent + static_cast<std::uint64_t>(want) == total_;
      if (!write(std::string_view(buffer_.data(), static_cast<std::size_t>(want)), last)) return;
      done_ = sent + static_cast<std::uint64_t>(want);
      all_sent_ = last;
    }
  }

  std::ifstream file_;
  std::vector<char> buffer_;
  bool all_sent_ = false;
};

class DownloadJob final : public TransferJob {
 public:
  DownloadJob(RawStreamHost& host, std::string message_id, std::string header_frame, int out_fd)
      : TransferJob(host, std::move(message_id), std::move(header_frame)), out_fd_(out_fd) {}

  void start() { open(/*header_only=*/true); }
  void on_tick() override {}

  void on_bytes(std::span<const std::uint8_t> bytes, bool fin) override {
    if (finished_) return;
    if (!receipt_) {
      auto answer = read_answer(bytes, fin);
      if (!answer) return;
      if (answer->type() != "RECEIPT") return finish(*answer, false);
      auto size = answer->payload_int("file_size");
      auto sha256 = answer->payload_string("sha256");
      if (!size || *size < 0 || !sha256)
        return finish(local_error(4001, {}, "file transfer: the RECEIPT has no file_size or sha256", message_id_), true);
      expected_sha256_ = std::string(*sha256);
      total_ = static_cast<std::uint64_t>(*size);
      receipt_ = std::move(answer);
    }
    if (!bytes.empty()) {
      if (bytes.size() > total_ - done_)
        return finish(local_error(4001, {}, "file_size: more bytes than the RECEIPT announced", message_id_), true);
      if (!append(bytes)) return finish(local_error(5002, {}, "file: cannot write the download", message_id_), true);
      hash_.update(bytes.data(), bytes.size());
      done_ += bytes.size();
    }
    if (!fin) return;
    if (done_ != total_)
      return finish(local_error(4001, {}, "file_size: the stream ended after " + std::to_string(done_.load()) + " of " +
                                              std::to_string(total_.load()) + " bytes",
                                message_id_),
                    false);
    if (hash_.hex_digest() != expected_sha256_)
      return finish(local_error(4001, {}, "sha256: the bytes received do not match the RECEIPT", message_id_), false);
    finish(*receipt_, false);
  }

 private:
  bool append(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::write(out_fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return true;
  }

  int out_fd_;  // owned by the caller of download_file
  Sha256 hash_;
  std::optional<Message> receipt_;
  std::string expected_sha256_;
};

// The calling thread's part: progress, the stall timeout, the answer.
Message await(TransferJob& job, RawStreamHost& host, const FileProgress& progress) {
  auto answer = job.answer();
  std::uint64_t last_done = 0;
  auto last_move = std::chrono::steady_clock::now();
  bool cancelled = false;
  while (answer.wait_for(100ms) != std::future_status::ready) {
    auto now = std::chrono::steady_clock::now();
    if (job.done() != last_done) {
      last_done = job.done();
      last_move = now;
    }
    if (progress) progress(job.done(), job.total());
    if (!cancelled && now - last_move > host.request_timeout()) {
      cancelled = true;
      job.cancel(local_error(4081, {}, "file transfer: no progress within the request timeout", job.message_id()));
    }
  }
  Message result = answer.get();
  if (progress) progress(job.done(), job.total());
  return result;
}

FileTransferResult result_of(Message answer) {
  FileTransferResult r;
  if (answer.type() == "RECEIPT") {
    auto text = [&](const char* key) { return std::string(answer.payload_string(key).value_or("")); };
    r.url = text("url");
    r.file_id = text("file_id");
    r.file_name = text("file_name");
    r.mime_type = text("mime_type");
    r.sha256 = text("sha256");
    r.file_size = static_cast<std::uint64_t>(std::max<std::int64_t>(0, answer.payload_int("file_size").value_or(0)));
  }
  r.answer = std::move(answer);
  return r;
}

}  // namespace

FileTransferResult Client::upload_file(const std::string& path, const std::string& mime_type, FileProgress progress) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw ClientError("upload: " + path + " is not a readable regular file");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw ClientError("upload: cannot read " + path);
  // The header carries the size and hash, so the file is read twice: once
  // here, once as it is sent.
  Sha256 hash;
  std::vector<char> buffer(kChunk);
  std::uint64_t size = 0;
  while (file.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || file.gcount() > 0) {
    hash.update(buffer.data(), static_cast<std::size_t>(file.gcount()));
    size += static_cast<std::uint64_t>(file.gcount());
  }
  if (file.bad()) throw ClientError("upload: cannot read " + path);
  file.clear();
  file.seekg(0);

  std::string message_id = new_message_id();
  std::string header;
  core::JsonWriter(header)
      .begin_object()
      .member("file_transfer", "upload")
      .member("message_id", message_id)
      .member("file_name", fs::path(path).filename().string())
      .member("file_size", size)
      .member("mime_type", mime_type)
      .member("sha256", hash.hex_digest())
      .end_object();
  auto& host = stream_host();
  auto job = std::make_shared<UploadJob>(host, message_id, core::encode_frame(header), std::move(file), size);
  host.run_on_loop([job] { job->start(); });
  return result_of(await(*job, host, progress));
}

FileTransferResult Client::download_file(const std::string& url_or_file_id, const std::string& out_path,
                                         FileProgress progress) {
  std::string part = out_path + ".part";
  int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw ClientError("download: cannot write " + part);

  std::string message_id = new_message_id();
  std::string header;
  core::JsonWriter w(header);
  w.begin_object().member("file_transfer", "download").member("message_id", message_id);
  w.member(url_or_file_id.starts_with("qsip://") ? "url" : "file_id", url_or_file_id);
  w.end_object();
  auto& host = stream_host();
  auto job = std::make_shared<DownloadJob>(host, message_id, core::encode_frame(header), fd);
  host.run_on_loop([job] { job->start(); });
  auto result = result_of(await(*job, host, progress));
  // The job writes on the loop thread; it has finished with the descriptor
  // once the answer is resolved.
  bool closed = ::close(fd) == 0;
  if (!result.ok()) {
    ::unlink(part.c_str());
    return result;
  }
  if (!closed || ::rename(part.c_str(), out_path.c_str()) != 0) {
    ::unlink(part.c_str());
    throw ClientError("download: cannot write " + out_path);
  }
  return result;
}

}  // namespace qsip

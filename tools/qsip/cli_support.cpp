#include "cli_support.hpp"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <utility>

#include "json_line.hpp"

namespace qsip::cli {

std::unique_ptr<Client> registered_client(const ConnectionOptions& options, std::string_view command, int& exit_code) {
  if (options.token.empty()) {
    std::cerr << "qsip " << command << ": no token (--token or QSIP_TOKEN)\n";
    exit_code = 2;
    return nullptr;
  }
  ClientOptions client_options = options.client_options();
  client_options.acknowledge_messages = false;
  std::unique_ptr<Client> client;
  try {
    client = std::make_unique<Client>(client_options);
    client->connect();
  } catch (const std::exception& e) {
    std::cerr << "qsip " << command << ": " << e.what() << '\n';
    exit_code = 1;
    return nullptr;
  }
  auto answer = register_client(*client, options);
  if (answer.is_error()) {
    std::cout << one_line(answer.json()) << std::endl;
    std::cerr << "qsip " << command << ": REGISTER refused\n";
    exit_code = 1;
    return nullptr;
  }
  return client;
}

int print_answer(const Message& answer) {
  std::cout << one_line(answer.json()) << std::endl;
  return answer.is_error() ? 1 : 0;
}

void request_and_print(const ConnectionOptions& options, std::string_view command, std::string_view type,
                       const std::string& payload_json, const std::string& to_user, int& exit_code) {
  auto client = registered_client(options, command, exit_code);
  if (!client) return;
  exit_code = print_answer(client->request(make_envelope(options, type, payload_json, to_user)).get());
  client->close();
}

std::string mime_type_for(const std::string& path) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".txt", "text/plain"},        {".html", "text/html"},        {".css", "text/css"},
      {".csv", "text/csv"},          {".json", "application/json"}, {".pdf", "application/pdf"},
      {".zip", "application/zip"},   {".gz", "application/gzip"},   {".png", "image/png"},
      {".jpg", "image/jpeg"},        {".jpeg", "image/jpeg"},       {".gif", "image/gif"},
      {".webp", "image/webp"},       {".svg", "image/svg+xml"},     {".mp3", "audio/mpeg"},
      {".ogg", "audio/ogg"},         {".wav", "audio/wav"},         {".mp4", "video/mp4"},
      {".webm", "video/webm"},
  };
  std::string ext = std::filesystem::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [e, type] : kTypes)
    if (ext == e) return std::string(type);
  return "application/octet-stream";
}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100) && done != total) return;
  last_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  const double fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  std::string bar(static_cast<std::size_t>(fraction * kWidth), '#');
  bar.resize(kWidth, ' ');
  std::fprintf(stderr, "\r%s [%s] %3d%% %.1f/%.1f MiB", label_.c_str(), bar.c_str(), static_cast<int>(fraction * 100),
               static_cast<double>(done) / 1048576.0, static_cast<double>(total) / 1048576.0);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace qsip::cli

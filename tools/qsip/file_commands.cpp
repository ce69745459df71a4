// `qsip upload PATH [--mime TYPE]` and `qsip download URL_OR_ID --out PATH`
// (docs/files.md): connect, REGISTER with --token (or QSIP_TOKEN), transfer
// with a progress bar on stderr. upload prints the file's URL on stdout;
// both exit 1 on an ERROR (printed on stderr), 2 on a usage mistake.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <utility>

#include "cli_support.hpp"
#include "commands.hpp"
#include "connection_options.hpp"
#include "qsip/client.hpp"

namespace qsip::cli {

namespace {

// Prints the outcome; the exit status.
int report(const FileTransferResult& result, const char* command) {
  if (result.ok()) return 0;
  std::cerr << "qsip " << command << ": ERROR " << result.answer->error_code() << ' '
            << result.answer->payload_string("reason").value_or("") << ": "
            << result.answer->payload_string("detail").value_or("") << '\n';
  return 1;
}

}  // namespace

void add_file_commands(CLI::App& app, const ConnectionOptions& options, int& exit_code) {
  auto* upload = app.add_subcommand("upload", "upload a file; prints its URL");
  auto path = std::make_shared<std::string>();
  auto mime = std::make_shared<std::string>();
  upload->add_option("PATH", *path, "the file to upload")->required();
  upload->add_option("--mime", *mime, "its media type (default: guessed from the extension)");
  upload->callback([&options, path, mime, &exit_code] {
    auto client = registered_client(options, "upload", exit_code);
    if (!client) return;
    ProgressBar bar("upload");
    try {
      auto result = client->upload_file(*path, mime->empty() ? mime_type_for(*path) : *mime, bar.callback());
      bar.finish();
      exit_code = report(result, "upload");
      if (result.ok()) std::cout << result.url << std::endl;
    } catch (const ClientError& e) {
      bar.finish();
      std::cerr << "qsip " << e.what() << '\n';
      exit_code = 1;
    }
    client->close();
  });

  auto* download = app.add_subcommand("download", "download a file by its URL or file id");
  auto name = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  download->add_option("URL_OR_ID", *name, "qsip://<server>/files/<file_id>, or the file_id")->required();
  download->add_option("--out", *out, "where to write it")->required();
  download->callback([&options, name, out, &exit_code] {
    auto client = registered_client(options, "download", exit_code);
    if (!client) return;
    ProgressBar bar("download");
    try {
      auto result = client->download_file(*name, *out, bar.callback());
      bar.finish();
      exit_code = report(result, "download");
    } catch (const ClientError& e) {
      bar.finish();
      std::cerr << "qsip " << e.what() << '\n';
      exit_code = 1;
    }
    client->close();
  });
}

}  // namespace qsip::cli

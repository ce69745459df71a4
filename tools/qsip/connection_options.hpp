// The options every network command of the qsip CLI shares (--server, --ca,
// --insecure, --pin, --token ...) and the helpers that use them: connecting
// a libqsip Client, building envelopes, registering.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "qsip/client.hpp"
#include "qsip/message.hpp"

namespace qsip::cli {

struct ConnectionOptions {
  std::string server = "127.0.0.1:4433";
  std::string ca_file;
  std::string pin;
  bool insecure = false;
  std::string token;       // --token or QSIP_TOKEN
  std::string user_id;     // default: the token's sub
  std::string device_id = "qsip-cli";
  int timeout_ms = 10000;

  // Adds the options to the app (they go before the subcommand).
  void add_to(CLI::App& app);
  ClientOptions client_options() const;
  // The token's user when --user is not given ("" without a token).
  std::string effective_user() const;
};

// Connects; prints the reason and returns nullptr on failure.
std::unique_ptr<Client> connect_client(const ConnectionOptions& options);

// A fresh envelope of `type` from the CLI's user and device, with the payload given as JSON.
std::string make_envelope(const ConnectionOptions& options, std::string_view type, std::string_view payload_json,
                          std::string_view to_user = {}, std::string_view session_id = {});

// Sends REGISTER with the token; returns the answer (RECEIPT or ERROR).
Message register_client(Client& client, const ConnectionOptions& options);

std::string new_message_id();

}  // namespace qsip::cli

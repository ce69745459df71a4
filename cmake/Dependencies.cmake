# Every dependency comes from Debian 12 packages (scripts/install-deps).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(simdjson REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json REQUIRED)
pkg_check_modules(NGTCP2 REQUIRED IMPORTED_TARGET libngtcp2>=0.12 libngtcp2_crypto_gnutls>=0.12)
pkg_check_modules(GNUTLS REQUIRED IMPORTED_TARGET gnutls>=3.7)
# Calls media (src/media): the Opus codec and Nettle's AES-CTR, HMAC, GCM and HKDF for SFrame.
pkg_check_modules(OPUS REQUIRED IMPORTED_TARGET opus>=1.3)
pkg_check_modules(NETTLE REQUIRED IMPORTED_TARGET nettle>=3.7)
pkg_check_modules(SAMPLERATE REQUIRED IMPORTED_TARGET samplerate>=0.2)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
# qsipd's admin HTTP endpoint; libcurl is the HTTP client of the server tests.
pkg_check_modules(MICROHTTPD REQUIRED IMPORTED_TARGET libmicrohttpd)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)

find_path(LIBEV_INCLUDE_DIR ev.h REQUIRED)
find_library(LIBEV_LIBRARY ev REQUIRED)
add_library(libev::libev UNKNOWN IMPORTED)
set_target_properties(libev::libev PROPERTIES
  IMPORTED_LOCATION ${LIBEV_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${LIBEV_INCLUDE_DIR})

if(QSIP_TESTS)
  find_package(GTest REQUIRED)
endif()
if(QSIP_BENCH)
  find_package(benchmark REQUIRED)
endif()

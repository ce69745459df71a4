# The two commands of the README (`make run`, `make test`) and the rest.
# Everything is installed by scripts/install-deps from Debian (and npm, into
# tools/node/); nothing depends on what happens to be on the machine.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
DATA_DIR ?= data
FUZZ_SECONDS ?= 600
CMAKE_GEN := -G Ninja

.PHONY: all deps configure run test test-release test-asan bench fuzz clean

all: configure
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/install-deps

configure:
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release >/dev/null

# Installs what is missing, builds, starts qsipd on its embedded default
# (SQLite and generated certificates in $(DATA_DIR)/, UDP 4433).
run: deps all
	$(BUILD)/bin/qsipd --data-dir $(DATA_DIR)

# Installs what is missing, then builds and runs every test twice: in the
# Release build and under AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps
	$(MAKE) test-release
	$(MAKE) test-asan

test-release: all
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan:
	@cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DQSIP_SANITIZE=ON -DQSIP_BENCH=OFF >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# Google Benchmark figures recorded in docs/performance.md.
bench: deps all
	scripts/bench

# libFuzzer targets built with clang, seeded from tests/corpus, each run for
# FUZZ_SECONDS (default 600).
fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DQSIP_FUZZ=ON -DQSIP_TESTS=OFF -DQSIP_BENCH=OFF >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets
	scripts/fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

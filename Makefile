# A thin wrapper over Meson for the README's commands.  The build itself is meson.build.
BUILD      ?= build
SAN_BUILD  ?= build-san
FUZZ_BUILD ?= build-fuzz
MESON_OPTS ?=

.PHONY: all deps deps-test check check-build check-sanitize lint valgrind install deb serve fuzz \
	bench clean

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# What building and running need (tools/deps/build, tools/deps/run); only `make check` and the
# other test targets add tools/deps/test (a browser, PostgreSQL, nginx...).
deps:
	@tools/install-deps build run

deps-test:
	@tools/install-deps build run test

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

# Every test, twice: a warnings-are-errors build, then ASan + UBSan.
check: deps-test
	@$(MAKE) --no-print-directory check-build
	@$(MAKE) --no-print-directory check-sanitize

check-build:
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) $(MESON_OPTS)
	meson configure $(BUILD) -Dwerror=true -Dtests=enabled
	ninja -C $(BUILD)
	meson test -C $(BUILD) --print-errorlogs

check-sanitize:
	@[ -f $(SAN_BUILD)/build.ninja ] || meson setup $(SAN_BUILD) -Db_sanitize=address,undefined \
		-Db_lundef=false -Dwerror=true -Dtests=enabled $(MESON_OPTS)
	ninja -C $(SAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C $(SAN_BUILD) --print-errorlogs --no-suite slow

# The structure checks alone (tests/lint: lengths, include layers, banned calls, clang-format);
# check-build runs them too.
lint: deps-test
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) $(MESON_OPTS)
	meson configure $(BUILD) -Dtests=enabled
	meson test -C $(BUILD) --suite lint --print-errorlogs

# The unit tests (suite 'unit'), the corpus replays (suite 'fuzz', tests/fuzz/targets.txt) and
# the C tests of who and html under valgrind: any memory error or definite leak fails.
VALGRIND ?= valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --track-origins=yes --quiet
VALGRIND_TESTS ?= who-sockdiag who-procnet who-procmap who-users who-netns who-allow who-audit \
	who-inspect html-lang-threads
valgrind: deps-test
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) $(MESON_OPTS)
	meson configure $(BUILD) -Dtests=enabled
	ninja -C $(BUILD)
	meson test -C $(BUILD) --suite unit --suite fuzz --print-errorlogs --timeout-multiplier 10 \
		--wrap='$(VALGRIND)'
	meson test -C $(BUILD) --print-errorlogs --timeout-multiplier 10 --wrap='$(VALGRIND)' \
		$(VALGRIND_TESTS)

install: all
	meson install -C $(BUILD)

# The Debian packages portinfo and portinfo-web (debian/), built by dpkg-buildpackage in a copy of
# the tree (the files git tracks or would track; outside git, all but build directories) and
# left in $(DEB_OUT): `apt install ./$(DEB_OUT)/portinfo_*.deb`.  As root it first installs the
# build list and whatever else debian/control's Build-Depends names (debhelper, dpkg-dev).
DEB_OUT ?= build-deb
deb:
	@if [ "$$(id -u)" -eq 0 ]; then \
		tools/install-deps build && \
		{ dpkg-checkbuilddeps >/dev/null 2>&1 || { \
			export DEBIAN_FRONTEND=noninteractive && apt-get update -qq && \
			apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null && \
			apt-get build-dep -y -qq --no-install-recommends ./ >/dev/null; }; }; \
	fi
	dpkg-checkbuilddeps
	rm -rf $(DEB_OUT) && mkdir -p $(DEB_OUT)/src
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
			tar -c --null -T - --ignore-failed-read -f -; \
	else \
		tar -c --exclude='./build*' --exclude='./obj-*' --exclude=node_modules -f - .; \
	fi | tar -x -C $(DEB_OUT)/src
	cd $(DEB_OUT)/src && dpkg-buildpackage -us -uc -b
	rm -rf $(DEB_OUT)/src
	@ls $(DEB_OUT)/*.deb

# The website on http://127.0.0.1:1776 (Ctrl-C, or `kill` of make's PID, stops it).  The data
# directory holds the vote store (feedback.sqlite) and any imported registry: $PORTINFO_DATA_DIR
# if set, else build/data.  `exec` makes the server make's own child (portinfo execs
# portinfo-serve in its place): make passes the SIGTERM it gets to its child, and a shell in
# between would die of it and leave the server running, orphaned.
SERVE_DATA ?= $(or $(PORTINFO_DATA_DIR),$(BUILD)/data)
SERVE_LISTEN ?= 127.0.0.1:1776
serve: all
	@mkdir -p "$(SERVE_DATA)"
	exec $(BUILD)/portinfo serve --listen $(SERVE_LISTEN) --data-dir "$(SERVE_DATA)"

# Fuzz with libFuzzer (clang): make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 60
fuzz: deps-test
	@[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang meson setup $(FUZZ_BUILD) -Dfuzzing=true \
		-Db_lundef=false
	ninja -C $(FUZZ_BUILD)
	tests/fuzz/run-fuzzers $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: all
	bench/run-all

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD)

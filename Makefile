# devns-suite: conformance and benchmark suite for device namespaces.
# `make help` lists the targets; README.md explains them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

TOP     := $(CURDIR)
# make cannot name files whose paths hold a space; ci/vm itself can.
ifneq ($(word 2,$(TOP)),)
$(error the clone's path '$(TOP)' has a space, which make cannot handle in file names: clone it to a path without one (ci/vm alone works from there))
endif
BUILD   := $(TOP)/build
KERNELS ?= debian-6.1 debian-6.12
IMPL    ?= reference
LINUX_SOURCE_TAR ?= /usr/src/linux-source-6.12.tar.xz
HARNESS := $(BUILD)/kselftest/kselftest_harness.h

# A user's own kernel: make check KERNEL=/path/bzImage KDIR=/path/to/build
ifneq ($(KERNEL),)
KERNELS := custom
export KERNEL KDIR
endif
export DEVNS_IMPL := $(IMPL)

help:
	@echo "devns-suite targets:"
	@echo "  make check   install what is missing, build, boot each kernel in QEMU and"
	@echo "               run the conformance suites (KERNELS='$(KERNELS)', IMPL=$(IMPL));"
	@echo "               PARAMS='vfb_switch=zerocopy' loads the module with those parameters"
	@echo "  make test    the suite's own tests: tools, runner, traceability, module lint,"
	@echo "               clean module passes, every DEFECT caught (what CI runs)"
	@echo "  make test-full  make test plus what only repeats: the zero-copy strategy"
	@echo "               on every suite, stress tests at full size, mutation on every kernel"
	@echo "  make check-debug  the same on the debug kernel (KASAN, lockdep, kmemleak;"
	@echo "               built once by 'make debug-kernel', tens of minutes), plus"
	@echo "               the defects only it can catch"
	@echo "  make bench   boot each kernel, run every benchmark (switch latency, blit"
	@echo "               throughput, damage tracking, terminals, fio, VT switch), write bench.json,"
	@echo "               charts and report.md, print the ratios (~11 minutes under TCG)"
	@echo "  make compare CONFIGS='reference reference:vfb_switch=zerocopy' [SUITES=...]"
	@echo "               conformance of each configuration (IMPL[:PARAM=V,...]) side by"
	@echo "               side: tests that differ, SPEC requirements met per configuration"
	@echo "  make soak RUNS=N [SUITES=...]  make check N times; the tests that failed"
	@echo "               in every run (fails) and in some (flakes), drm-ci's format"
	@echo "  make gate BASE=rev HEAD=rev [TREE=dir] [KIND=module|kernel]  a patch series of a"
	@echo "               module or a kernel tree, commit by commit: builds, new failures"
	@echo "               confirmed, first bad commit, a quick benchmark profile; a report to"
	@echo "               paste (exit 1 on a regression)"
	@echo "  make ksft-tar | ksft-install INSTALL_PATH=dir  the suites in the kselftest"
	@echo "               layout with devns.ko for the first of KERNELS (run_kselftest.sh, LAVA)"
	@echo "  make bench-compare BASE=old/bench.json HEAD=new/bench.json"
	@echo "               regression gate between two runs (exit 1 on a regression)"
	@echo "  make shell   interactive shell in a guest with the module loaded"
	@echo "  make deps | build | harness | tools | suites | devnsctl | modules | lint |"
	@echo "       debug-kernel | bench-programs | clean | clean-cache (the debug kernel, gate's kernel builds)"
	@echo "options: KERNELS='debian-6.1 debian-6.12'  (debug-6.12: the debug kernel)"
	@echo "         KERNEL=/path/bzImage KDIR=/path/build"
	@echo "         IMPL=reference  DEFECTS='name ...' (make test: a subset of defects)"

deps:
	ci/deps

$(HARNESS): $(LINUX_SOURCE_TAR)
	@echo "harness: extracting kselftest_harness.h and kselftest.h from $<"
	mkdir -p $(@D)
	tar -xJf $< -C $(@D) --strip-components=4 \
		linux-source-6.12/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.12/tools/testing/selftests/kselftest.h
	dpkg-query -W -f='linux-source-6.12 $${Version}\n' linux-source-6.12 > $(@D)/VERSION
	touch $@

harness: $(HARNESS)

tools:
	$(MAKE) -s -C ci/tools BUILD=$(BUILD)/bin
	$(MAKE) -s -C results/tools BUILD=$(BUILD)/bin

# The shared library of suites, benchmarks and devnsctl (build/lib/libdevns.a).
lib:
	$(MAKE) -s -C lib BUILD=$(BUILD)

suites: $(HARNESS) lib
	$(MAKE) -s -C suites BUILD=$(BUILD)/suites SHARED=$(BUILD)/lib/libdevns.a

# The command-line front end (build/bin/devnsctl).
devnsctl: lib
	$(MAKE) -s -C devnsctl BUILD=$(BUILD)

modules:
	for k in $(KERNELS); do \
		eval "$$(ci/kernels resolve $$k)"; \
		$(MAKE) -s -C reference-impl KDIR=$$KDIR BUILD=$(BUILD)/$$k/module; \
	done

# The benchmark programs (build/bench/<part>/<name>); they link the shared library.
bench-programs: lib
	$(MAKE) -s -C bench BUILD=$(BUILD)/bench SHARED_LIB=$(BUILD)/lib/libdevns.a

build: harness tools lib suites devnsctl modules bench-programs

lint:
	ci/selftest --kernels "$(KERNELS)" --only "traceability lint"

# The debug kernel of `make check KERNELS=debug-6.12` and `make check-debug`,
# built from linux-source-6.12 once (cached by the hash of its config).
debug-kernel: deps
	ci/debug-kernel

check: deps
	$(if $(filter debug-%,$(KERNELS)),ci/debug-kernel)
	$(MAKE) build
	ci/check --kernels "$(KERNELS)" $(if $(PARAMS),--params "$(PARAMS)") $(if $(KCIDB),--kcidb "$(KCIDB)")

check-debug: deps
	ci/debug-kernel
	$(MAKE) build KERNELS=debug-6.12
	ci/check --kernels debug-6.12
	ci/mutation --kernel debug-6.12 --per-boot 2

# ci/selftest installs and builds as its first steps, so that they are timed.
test:
	ci/selftest --kernels "$(KERNELS)"

# make test plus what only repeats (ci/selftest --help).
test-full:
	ci/selftest --kernels "$(KERNELS)" --full

bench: deps
	$(MAKE) build
	ci/bench --kernels "$(KERNELS)"

compare: deps
	@test -n "$(CONFIGS)" || { echo 'usage: make compare CONFIGS="reference reference:vfb_switch=zerocopy" [SUITES="vfb ..."] [KERNELS=...] [BENCH=1] [KCIDB=file]'; exit 2; }
	$(MAKE) build
	ci/compare --configs "$(CONFIGS)" --kernels "$(KERNELS)" $(if $(SUITES),--suites "$(SUITES)") \
		$(if $(BENCH),--bench) $(if $(KCIDB),--kcidb "$(KCIDB)")

# make gate BASE=rev HEAD=rev [TREE=dir] [KIND=module|kernel] [CONFIG=fragment] (ci/gate --help)
gate: deps
	@test -n "$(BASE)" -a -n "$(HEAD)" || { echo 'usage: make gate BASE=rev HEAD=rev [TREE=path/to/module|kernel] [KIND=module|kernel] [CONFIG=fragment] [SUITES=...] [KERNELS=...] [KCIDB=file]'; exit 2; }
	$(MAKE) build
	ci/gate --base "$(BASE)" --head "$(HEAD)" --kernels "$(KERNELS)" $(if $(TREE),--tree "$(TREE)") \
		$(if $(KIND),--kind "$(KIND)") $(if $(CONFIG),--config "$(CONFIG)") \
		$(if $(SUITES),--suites "$(SUITES)") $(if $(PARAMS),--params "$(PARAMS)") \
		$(if $(KCIDB),--kcidb "$(KCIDB)")

# The kselftest layout for one kernel (ci/ksft --help): the first of KERNELS.
KSFT_KERNEL = $(firstword $(KERNELS))
ksft-install: deps
	@test -n "$(INSTALL_PATH)" || { echo 'usage: make ksft-install INSTALL_PATH=dir [KERNELS=debian-6.12] [TIMEOUT_SCALE=10]'; exit 2; }
	$(MAKE) build KERNELS=$(KSFT_KERNEL)
	ci/ksft --kernel $(KSFT_KERNEL) --install "$(INSTALL_PATH)" $(if $(TIMEOUT_SCALE),--timeout-scale $(TIMEOUT_SCALE))

ksft-tar: deps
	$(MAKE) build KERNELS=$(KSFT_KERNEL)
	ci/ksft --kernel $(KSFT_KERNEL) --tar "$(or $(TARBALL),$(BUILD)/devns-kselftest-$(KSFT_KERNEL).tar.gz)" \
		$(if $(TIMEOUT_SCALE),--timeout-scale $(TIMEOUT_SCALE))

soak: deps
	@test -n "$(RUNS)" || { echo 'usage: make soak RUNS=N [SUITES="vfb ..."] [KERNELS=...] [PARAMS=...]'; exit 2; }
	$(MAKE) build
	ci/soak --runs "$(RUNS)" --kernels "$(KERNELS)" $(if $(SUITES),--suites "$(SUITES)") $(if $(PARAMS),--params "$(PARAMS)")

bench-compare: tools
	@test -n "$(BASE)" -a -n "$(HEAD)" || { echo "usage: make bench-compare BASE=a/bench.json HEAD=b/bench.json"; exit 2; }
	$(BUILD)/bin/bench-compare $(BASE) $(HEAD)

shell: deps
	$(MAKE) build
	ci/vm --interactive --kernel $(firstword $(KERNELS))

clean:
	rm -rf $(BUILD)

# The debug kernel is cached outside the clone (ci/debug-kernel --help).
clean-cache:
	rm -rf "$${DEVNS_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/devns-suite}"

.PHONY: help deps harness tools lib suites devnsctl modules build lint check test test-full shell clean \
	debug-kernel check-debug bench bench-programs compare soak bench-compare clean-cache \
	gate ksft-install ksft-tar

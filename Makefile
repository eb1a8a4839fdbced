# obdgw — one non-recursive Makefile.
#
#   make            build the CLI (build/obdgw), the library and the DTC database
#   make deps       install the Debian packages the project uses (apt; sudo when not root)
#   make check      every test: unit tests + fuzz corpora, then again under ASan+UBSan,
#                   then the CAN and USB tests on a real kernel under qemu (check-can, check-usb)
#                   the .deb installed, checked and purged (tests/deb_test.sh)
#   make fuzz       libFuzzer targets (clang) in build/fuzz/
#   make bench      figures (decodes per second, ...); asserts nothing
#   make demo       the main job on built-in defaults
#   make deb        Debian package (ARCH=arm64: cross-built) in build/deb/ARCH/
#   make check-arm64  unit + CLI tests of the arm64 build under qemu-user
#
# Variables: CC (gcc or clang), BUILD (output dir), SANITIZE=1 (ASan+UBSan),
# PREFIX/DESTDIR (install).

ifeq ($(origin CC),default)
CC       := gcc
endif
BUILD    ?= build
PREFIX   ?= /usr/local
SYSCONFDIR ?= /etc
UNITDIR  ?= /usr/lib/systemd/system
UDEVDIR  ?= /usr/lib/udev/rules.d
SANITIZE ?=
# The release version lives in hw/VERSION only (debian/changelog is generated
# from it); the commit is added when building from git (make deb passes it on).
VERSION  := $(strip $(file < hw/VERSION))
GIT_COMMIT ?= $(shell c=$$(git rev-parse --short=12 HEAD 2>/dev/null) && { git diff --quiet HEAD -- 2>/dev/null || c=$$c-dirty; echo $$c; })

PKGS     := sqlite3 libcjson
DEB_PKGS := pkg-config libsqlite3-dev libcjson-dev libcmocka-dev libpaho-mqtt-dev \
            libsocketcan-dev libusb-1.0-0-dev libinih-dev libsystemd-dev \
            libssl-dev libcairo2-dev libpango1.0-dev fonts-wqy-microhei \
            chromium poppler-utils clang libclang-rt-14-dev \
            mosquitto mosquitto-clients openssl \
            can-utils qemu-system-x86 busybox-static cpio kmod udev \
            python3-jsonschema \
            debhelper lintian

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wvla
CFLAGS   ?= -O2 -g
# Recursive (=) so pkg-config runs after `make deps` has installed things.
PKG_CONFIG ?= pkg-config
PC_CFLAGS = $(shell $(PKG_CONFIG) --cflags pangocairo 2>/dev/null)
PC_LIBS   = $(shell $(PKG_CONFIG) --libs pangocairo 2>/dev/null)
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) -Iinclude $(PC_CFLAGS) -D_GNU_SOURCE \
             -DOBDGW_DATADIR='"$(PREFIX)/share/obdgw"' -MMD -MP
LDLIBS_BASE = -lsqlite3 -lcjson -linih -lcrypto -lsocketcan -lusb-1.0 $(PC_LIBS) -lm

ifeq ($(SANITIZE),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS    += -fsanitize=address,undefined
endif

LIB_SRC   := $(wildcard src/*.c) $(wildcard drivers/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB       := $(BUILD)/libobdgw.a
CLI_SRC   := $(wildcard src/cli/*.c)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
CLI       := $(BUILD)/obdgw
DAEMON_SRC := $(wildcard src/daemon/*.c)
# obdgwd runs the CLI's own `wo`, `dms`, `vehicle` and `followup` for `--daemon` (src/daemon/remote.c); `report` runs the obdgw beside it (cli_child.c)
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/obj/%.o) $(addprefix $(BUILD)/obj/src/cli/,cmd_wo.o cmd_dms.o cmd_vehicle.o util.o)
DAEMON    := $(BUILD)/obdgwd
DAEMON_LIBS := -lpaho-mqtt3as -lsystemd -lpthread -lusb-1.0

TEST_SRC  := $(wildcard tests/unit/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c))

FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/replay_%)
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)

BENCH_SRC := $(wildcard tests/bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)

DTC_SRC   := $(sort $(wildcard dtc-db/generic/*.tsv))
DTC_DB    := $(BUILD)/dtc.db
DTCDB_TOOL := $(BUILD)/tools/dtcdb-build
# The dtcdb-build that runs here: a cross build gives the build machine's own.
DTCDB_HOST ?= $(DTCDB_TOOL)

.SECONDARY:
.PHONY: FORCE all deps check test-run fuzz bench demo clean install uninstall check-clang

all: $(CLI) $(DAEMON) $(DTC_DB)

# ---- dependencies ---------------------------------------------------------
deps:
	@sh tests/deps.sh $(DEB_PKGS)
	@# node and npm for the browser console (an installed NodeSource nodejs already has npm)
	@command -v node >/dev/null && command -v npm >/dev/null || sh tests/deps.sh nodejs npm
	@# the console's npm libraries, pinned by hw/console/package-lock.json
	@[ hw/console/node_modules/.package-lock.json -nt hw/console/package-lock.json ] || \
	  npm ci --prefix hw/console --no-audit --no-fund --loglevel=error

# ---- library, CLI, tools --------------------------------------------------
# version.o alone sees the version and commit; the stamp changes (and
# version.o is rebuilt) only when one of them does.
$(BUILD)/gen/version.txt: FORCE
	@mkdir -p $(dir $@); v='$(VERSION) $(GIT_COMMIT)'; [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" >$@
$(BUILD)/obj/src/version.o: $(BUILD)/gen/version.txt
$(BUILD)/obj/src/version.o: ALL_CFLAGS += -DOBDGW_VERSION='"$(VERSION)"' -DOBDGW_COMMIT='"$(GIT_COMMIT)"'

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# --as-needed: the daemon renders PDFs through the CLI (src/daemon/bay.c), so
# pango/cairo/glib are not loaded into it (about 4 MB less resident).
$(DAEMON): $(DAEMON_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $(DAEMON_OBJ) $(LIB) $(DAEMON_LIBS) $(LDLIBS_BASE)

# Paho for `obdgw remote` (src/cli/cmd_remote.c, the engineer's MQTT client)
$(CLI): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) -lpaho-mqtt3as -lpthread $(LDLIBS_BASE)

$(DTCDB_TOOL): $(BUILD)/obj/src/tools/dtcdb_build.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_BASE)

$(DTC_DB): $(DTCDB_HOST) $(DTC_SRC)
	$(DTCDB_HOST) $@ $(DTC_SRC)

# ---- the browser console (hw/console, docs/remote.md) -----------------------
# Static files: mqtt.js + uPlot + the console bundled by esbuild (npm, pinned);
# nothing fetched at run time. Needs `make deps` (npm ci).
CONSOLE_SRC := $(wildcard hw/console/src/*) hw/console/build.mjs hw/console/package-lock.json
# where `make install` takes the console from (the Debian build: a copy made by deb-run)
CONSOLE_DIST ?= $(BUILD)/console
.PHONY: console
console: $(BUILD)/console/index.html
$(BUILD)/console/index.html: $(CONSOLE_SRC)
	node hw/console/build.mjs $(BUILD)/console

# ---- tests ----------------------------------------------------------------
TEST_HELPER_OBJ := $(TEST_HELPERS:%.c=$(BUILD)/obj/%.o)

$(BUILD)/tests/test_%: $(BUILD)/obj/tests/unit/test_%.o $(TEST_HELPER_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS_BASE)

$(BUILD)/tests/replay_%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/replay_main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_BASE)

# libFuzzer builds always use clang, ASan and UBSan, in their own object dir.
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(wildcard include/obdgw/*.h)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -Iinclude $(PC_CFLAGS) -D_GNU_SOURCE -DOBDGW_DATADIR='"$(PREFIX)/share/obdgw"' \
	  -fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_SRC) $(LDLIBS_BASE) $(DAEMON_LIBS)

# CAN tests on a real kernel (tests/can/): run in a qemu guest with Debian's
# kernel unless this host has vcan; see docs/socketcan.md.
CAN_TEST_SRC := $(wildcard tests/can/*.c)
CAN_TEST_BIN := $(CAN_TEST_SRC:tests/can/%.c=$(BUILD)/can/%)

$(BUILD)/can/%: $(BUILD)/obj/tests/can/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_BASE)

.PHONY: check-can
check-can: deps
	$(MAKE) --no-print-directory check-can-run

.PHONY: check-can-run
check-can-run: $(CAN_TEST_BIN) $(CLI)
	@sh tests/can/run.sh $(BUILD)

# USB adapters on a real kernel (tests/usb/): qemu's xHCI + FTDI emulation,
# hot-plugged through QMP; see docs/usb.md.
.PHONY: check-usb check-usb-run
check-usb: deps
	$(MAKE) --no-print-directory check-usb-run

check-usb-run: $(CLI) $(DAEMON)
	@sh tests/usb/run.sh $(BUILD)

test-run: $(TEST_BIN) $(FUZZ_REPLAY) $(CLI) $(DAEMON) $(DTC_DB) $(BUILD)/console/index.html
	@OBDGW_DTC_DB=$(abspath $(DTC_DB)) sh tests/run.sh $(BUILD)

check: deps
	$(MAKE) --no-print-directory test-run
	$(MAKE) --no-print-directory check-deb
	$(MAKE) --no-print-directory BUILD=build/san SANITIZE=1 test-run
	$(MAKE) --no-print-directory check-clang
	$(MAKE) --no-print-directory check-can-run
	$(MAKE) --no-print-directory check-usb-run

# Warning-free under clang too (compile only; the gcc builds above run the tests).
check-clang:
	$(MAKE) --no-print-directory CC=clang BUILD=build/clang all $(TEST_BIN:$(BUILD)/%=build/clang/%)

fuzz: deps $(FUZZ_BIN)
	@echo "fuzz targets: $(FUZZ_BIN)"
	@echo "run one:  mkdir -p build/corpus/NAME && build/fuzz/fuzz_NAME build/corpus/NAME tests/fuzz/corpus/NAME -max_total_time=60"

# ---- bench, demo ----------------------------------------------------------
$(BUILD)/bench/bench_%: $(BUILD)/obj/tests/bench/bench_%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_BASE)

bench: deps
	$(MAKE) --no-print-directory CFLAGS="-O2 -g -DNDEBUG" BUILD=build/bench-O2 bench-run

.PHONY: bench-run
bench-run: $(BENCH_BIN) $(DTC_DB) $(CLI) $(DAEMON) $(CAN_TEST_BIN) $(BUILD)/console/index.html
	@for b in $(BENCH_BIN); do OBDGW_DTC_DB=$(abspath $(DTC_DB)) $$b || exit 1; done
	@sh tests/bench/fallback.sh $(BUILD)
	@sh tests/can/run.sh $(BUILD) bench | grep -v '^CANTEST PASS'
	@echo "usb (qemu guest, software emulation): USB arrival -> bay idle, and -> saved reception scan (on_plug = scan)"
	@sh tests/usb/run.sh $(BUILD) bench | grep -E '^USBTEST (INFO|FAIL)|^check-usb'
	@if [ -x $(DAEMON) ] && command -v mosquitto >/dev/null; then OBDGW_DTC_DB=$(abspath $(DTC_DB)) sh tests/daemon/bench.sh $(BUILD); fi
	@if [ -x $(DAEMON) ] && command -v mosquitto >/dev/null; then sh tests/bench/fifty_sites.sh $(BUILD); fi
	@if [ -x $(DAEMON) ] && command -v mosquitto >/dev/null; then sh tests/bench/remote_latency.sh $(BUILD); fi
	@if [ -x $(DAEMON) ] && command -v mosquitto >/dev/null; then BRIDGE_BENCH=1 BRIDGE_DOWN=30 sh tests/daemon/bridge_test.sh $(BUILD); fi

demo: deps all
	$(MAKE) --no-print-directory console
	@OBDGW_DTC_DB=$(abspath $(DTC_DB)) sh tests/demo.sh $(CLI)

# ---- install --------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/obdgw/dtc.d \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man8 \
	  $(DESTDIR)$(SYSCONFDIR)/obdgw $(DESTDIR)$(UNITDIR) $(DESTDIR)$(UDEVDIR)
	install -m 0755 $(CLI) $(DESTDIR)$(PREFIX)/bin/obdgw
	install -m 0755 $(DAEMON) $(DESTDIR)$(PREFIX)/bin/obdgwd
	install -m 0644 $(DTC_DB) $(DESTDIR)$(PREFIX)/share/obdgw/dtc.db
	# OEM signalsets (docs/signals.md): the index, the files, the zh overlays
	install -d $(DESTDIR)$(PREFIX)/share/obdgw/signals/zh
	install -m 0644 dtc-db/signals/index.tsv dtc-db/signals/*.json $(DESTDIR)$(PREFIX)/share/obdgw/signals/
	install -m 0644 dtc-db/signals/zh/*.tsv $(DESTDIR)$(PREFIX)/share/obdgw/signals/zh/
	install -m 0644 docs/man/obdgw.1 $(DESTDIR)$(PREFIX)/share/man/man1/obdgw.1
	install -m 0644 docs/man/obdgw.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/obdgw.conf.5
	install -m 0644 docs/man/obdgwd.8 $(DESTDIR)$(PREFIX)/share/man/man8/obdgwd.8
	sed 's|/usr/local/bin/obdgwd|$(PREFIX)/bin/obdgwd|' hw/obdgwd.service > $(DESTDIR)$(UNITDIR)/obdgwd.service
	install -m 0644 hw/99-obdgw.rules $(DESTDIR)$(UDEVDIR)/99-obdgw.rules
	install -d $(DESTDIR)$(PREFIX)/share/metainfo
	install -m 0644 hw/obdgw.metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/org.obdgw.obdgw.metainfo.xml
	# the browser console, when built (make console): static files for any web server
	if [ -f $(CONSOLE_DIST)/index.html ]; then install -d $(DESTDIR)$(PREFIX)/share/obdgw/console && \
	  install -m 0644 $(CONSOLE_DIST)/* $(DESTDIR)$(PREFIX)/share/obdgw/console/; fi
	# the site's config is never overwritten
	[ -e $(DESTDIR)$(SYSCONFDIR)/obdgw/obdgw.conf ] || install -m 0640 hw/obdgw.conf $(DESTDIR)$(SYSCONFDIR)/obdgw/obdgw.conf

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/share/obdgw/signals $(DESTDIR)$(PREFIX)/share/obdgw/console
	rm -f $(DESTDIR)$(PREFIX)/bin/obdgw $(DESTDIR)$(PREFIX)/bin/obdgwd $(DESTDIR)$(PREFIX)/share/obdgw/dtc.db \
	  $(DESTDIR)$(PREFIX)/share/man/man1/obdgw.1 $(DESTDIR)$(PREFIX)/share/man/man5/obdgw.conf.5 \
	  $(DESTDIR)$(PREFIX)/share/man/man8/obdgwd.8 $(DESTDIR)$(UNITDIR)/obdgwd.service $(DESTDIR)$(UDEVDIR)/99-obdgw.rules \
	  $(DESTDIR)$(PREFIX)/share/metainfo/org.obdgw.obdgw.metainfo.xml
	-rmdir $(DESTDIR)$(PREFIX)/share/obdgw/dtc.d $(DESTDIR)$(PREFIX)/share/obdgw
	@echo "kept $(DESTDIR)$(SYSCONFDIR)/obdgw/obdgw.conf (the site's configuration)"

# ---- Debian package ----------------------------------------------------------
# make deb [ARCH=arm64]: build/deb/ARCH/obdgw_VERSION_ARCH.deb with
# dpkg-buildpackage from hw/debian/ (changelog generated from hw/VERSION),
# in a copy of the tree; lintian must be clean (hw/debian/*.lintian-overrides).
ARCH     ?= $(shell dpkg --print-architecture)
NATIVE_ARCH := $(shell dpkg --print-architecture)
DEB_DIR  := $(BUILD)/deb/$(ARCH)
DEB_TREE := $(DEB_DIR)/obdgw-$(VERSION)
DEB      := $(DEB_DIR)/obdgw_$(VERSION)_$(ARCH).deb
DEB_DATE := $(shell git log -1 --format=%cD 2>/dev/null || date -R)
.PHONY: deb deb-run deps-arm64 check-arm64 check-arm64-run tests-bin
deb: deps $(if $(filter-out $(NATIVE_ARCH),$(ARCH)),deps-$(ARCH))
	$(MAKE) --no-print-directory console
	$(MAKE) --no-print-directory deb-run

deb-run:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_TREE)
	tar -cf - --exclude=node_modules Makefile README.md src include drivers dtc-db docs hw | tar -xf - -C $(DEB_TREE)
	@# the browser console, bundled here (npm is not needed inside the package build)
	if [ -f $(BUILD)/console/index.html ]; then cp -r $(BUILD)/console $(DEB_TREE)/console-dist; fi
	cp -r hw/debian $(DEB_TREE)/debian
	printf 'obdgw (%s) unstable; urgency=medium\n\n  * Release %s%s.\n\n -- obdgw project <obdgw@example.com>  %s\n' \
	  '$(VERSION)' '$(VERSION)' '$(if $(GIT_COMMIT), (git $(GIT_COMMIT)))' '$(DEB_DATE)' >$(DEB_TREE)/debian/changelog
	cd $(DEB_TREE) && OBDGW_COMMIT='$(GIT_COMMIT)' dpkg-buildpackage -b -us -uc $(if $(filter-out $(NATIVE_ARCH),$(ARCH)),-a$(ARCH)) \
	  >../build.log 2>&1 || { tail -40 ../build.log; exit 1; }
	lintian --fail-on error,warning $(DEB)
	@echo "deb: $(DEB)"

# ---- arm64: cross toolchain, multiarch libraries, qemu-user -----------------
# Installed by deps-arm64 only (make deb ARCH=arm64, make check-arm64 call it;
# make check does not): ~200 packages, a few minutes the first time.
ARM64_LIBS := libsqlite3-dev libcjson-dev libpaho-mqtt-dev libsocketcan-dev libinih-dev libsystemd-dev \
              libssl-dev libcairo2-dev libpango1.0-dev libcmocka-dev libusb-1.0-0-dev
DEB_PKGS_ARM64 := crossbuild-essential-arm64 qemu-user-static $(addsuffix :arm64,$(ARM64_LIBS))
ARM64_BUILD := build/arm64
deps-arm64:
	@dpkg --print-foreign-architectures | grep -qx arm64 || { echo "deps-arm64: dpkg --add-architecture arm64"; \
	  $$([ "$$(id -u)" -eq 0 ] || echo sudo) dpkg --add-architecture arm64; }
	@sh tests/deps.sh $(DEB_PKGS_ARM64)

tests-bin: $(TEST_BIN) $(FUZZ_REPLAY)

# The unit tests, fuzz corpora and CLI tests of a cross-built arm64 tree, run
# under qemu-user (tests/arm64_run.sh): "check-arm64: N passed, N failed".
check-arm64: deps deps-arm64
	$(MAKE) --no-print-directory check-arm64-run

check-arm64-run: $(DTCDB_TOOL)
	$(MAKE) --no-print-directory BUILD=$(ARM64_BUILD) CC=aarch64-linux-gnu-gcc PKG_CONFIG=aarch64-linux-gnu-pkg-config \
	  DTCDB_HOST=$(abspath $(DTCDB_TOOL)) all tests-bin
	@OBDGW_DTC_DB=$(abspath $(ARM64_BUILD)/dtc.db) sh tests/arm64_run.sh $(ARM64_BUILD)

# The package installed on this machine, checked, removed and purged (root).
.PHONY: check-deb
check-deb: deb-run
	@if [ "$$(id -u)" -eq 0 ]; then sh tests/deb_test.sh $(DEB); else sudo sh tests/deb_test.sh $(DEB); fi

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

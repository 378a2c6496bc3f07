# Two entry points: `make run` and `make test`. Everything they need is
# installed on first use into a cache outside the clone ($(CACHE)), so later
# runs and CI on the same machine reuse compiled tools and build artefacts.
SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/crm
TOOLS := $(CACHE)/tools
export CARGO_TARGET_DIR ?= $(CACHE)/target
export PATH := $(CURDIR)/node_modules/.bin:$(TOOLS)/bin:$(PATH)
CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CRM_BIN := $(CARGO_TARGET_DIR)/release/crm
export CRM_SITE_ROOT ?= $(CURDIR)/target/site
# CI builds from fresh clones: incremental caches would only pile up on the shared disk.
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
endif

.PHONY: run test deps tools node fonts chromium postgres build check unit e2e bench clean

run: deps fonts build
	@mkdir -p data
	CRM_DATA_DIR=$(CURDIR)/data $(CRM_BIN) serve

deps: tools node

tools:
	@rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@if ! cargo-leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)"; then \
		echo "installing cargo-leptos $(CARGO_LEPTOS_VERSION) (once, ~13 min)"; \
		cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads --root $(TOOLS); fi
	@if ! $(TOOLS)/bin/wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)"; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --root $(TOOLS) --force; fi

node: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Quote PDFs embed Noto Sans CJK (Chinese, also for Latin text).
fonts:
	@ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1 || \
		$(SUDO) apt-get install -y fonts-noto-cjk || ($(SUDO) apt-get update && $(SUDO) apt-get install -y fonts-noto-cjk)

chromium:
	@if ! command -v chromium >/dev/null || ! fc-list | grep -qi "Noto Sans CJK"; then \
		$(SUDO) apt-get install -y chromium fonts-noto-cjk || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium fonts-noto-cjk); fi

# PostgreSQL tests need the local server; start it when it is installed but down.
postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || \
		{ command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1 && \
		  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start && sleep 2; } || \
		echo "PostgreSQL is not available: its tests will be skipped (and fail when CI=true)"

build:
	cargo leptos build --release

check:
	cargo fmt --all --check
	cargo clippy -p app -p crm --features app/ssr --all-targets -- -D warnings
	cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

unit: postgres
	cargo test -p app --features ssr
	cargo test -p crm

e2e: chromium build
	node --test --test-concurrency=1 end2end/tests/

test: deps fonts chromium check unit e2e

bench: deps build
	bash bench/run.sh

clean:
	rm -rf target data

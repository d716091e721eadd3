# kubetyped developer targets. `make test` is what CI runs (.ci/run).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
SOURCES   := runtime codegen tests examples benchmarks
SPEC      := openapi/kubetyped_openapi/1.36.tar.xz
GENERATED := generated/kubetyped_kubernetes
# the four import packages (pyproject.toml [tool.hatch.build.targets.wheel] maps their folders)
PACKAGES  := -p kubetyped -p kubetyped_kubernetes -p kubetyped_codegen -p kubetyped_openapi
K8S_VERSION ?= v1.36.3
CLUSTER_CACHE ?= $(HOME)/.cache/kubetyped/k8s/$(K8S_VERSION)

.PHONY: venv cluster-binaries cluster test pytest lint typecheck verify generate unasync bench clean test-lowest

venv: $(STAMP)

# Create the venv with the first python3 >= 3.11 found (probe errors, e.g. pyenv shims of
# uninstalled versions, are silenced); re-install when pyproject.toml changes.
$(STAMP): pyproject.toml
	@if [[ ! -x $(PY) ]]; then \
	  for candidate in python3.13 python3.12 python3.11 python3; do \
	    if command -v $$candidate >/dev/null && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	      echo "creating $(VENV) with $$candidate"; $$candidate -m venv $(VENV); break; \
	    fi; \
	  done; \
	  [[ -x $(PY) ]] || { echo "no python3 >= 3.11 found" >&2; exit 1; }; \
	fi
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

cluster-binaries:
	K8S_VERSION=$(K8S_VERSION) KUBETYPED_CLUSTER_CACHE=$(CLUSTER_CACHE) .ci/build-cluster

# A test cluster in the foreground (Ctrl-C stops it); prints the env that makes pytest reuse it.
# FULL=1: the complete cluster (kube-controller-manager, kube-scheduler, kwok node; pods run).
cluster: venv cluster-binaries
	KUBETYPED_CLUSTER_CACHE=$(CLUSTER_CACHE) $(PY) -m tests.cluster $(if $(FULL),--full)

# Runs every check and reports all failures; exits non-zero when any failed.
# pytest starts (and stops) the test cluster itself; KUBETYPED_REQUIRE_CLUSTER makes a
# missing cluster a failure rather than a skip.
test: venv cluster-binaries
	@failed=(); \
	for target in pytest lint typecheck verify; do \
	  echo "=== make $$target"; \
	  $(MAKE) --no-print-directory $$target || failed+=("$$target"); \
	done; \
	if (( $${#failed[@]} )); then echo "FAILED: $${failed[*]}" >&2; exit 1; fi; \
	echo "all checks passed"

# Two processes, so the unit suite never runs among what e2e tests leave behind (daemon threads,
# sockets): tests/unit/test_auth_client_go.py's shared-exec-credential test failed twice in five
# runs only when it ran after the whole e2e suite in one process (cause not found).
pytest: venv
	@rc=0; export KUBETYPED_REQUIRE_CLUSTER=1 KUBETYPED_CLUSTER_CACHE=$(CLUSTER_CACHE); \
	$(VENV)/bin/pytest tests -q --ignore=tests/e2e || rc=1; \
	$(VENV)/bin/pytest tests/e2e -q || rc=1; \
	exit $$rc

lint: venv
	$(VENV)/bin/ruff check $(SOURCES)
	$(VENV)/bin/ruff format --check $(SOURCES)

# mypy --strict and pyright on the four packages as the editable install (.venv) exposes them: its .pth
# lists runtime/, generated/, codegen/ and openapi/, so no mirror tree is needed.
typecheck: venv
	$(VENV)/bin/mypy --config-file pyproject.toml --cache-dir build/mypy-cache $(PACKAGES)
	$(VENV)/bin/mypy --config-file pyproject.toml --cache-dir build/mypy-cache examples
	$(VENV)/bin/pyright --pythonpath $(PY) runtime/kubetyped $(GENERATED) codegen/kubetyped_codegen openapi/kubetyped_openapi examples

# Fails when generated/ is not exactly what the generator renders from the spec snapshot, or
# when a blocking runtime module differs from what `make unasync` derives from its asyncio source.
verify: venv
	$(VENV)/bin/kubetyped verify --spec $(SPEC) --out $(GENERATED)
	$(PY) -m kubetyped_codegen.unasync --check

# Regenerates the blocking twins of the asyncio runtime modules (codegen/kubetyped_codegen/unasync.py lists them).
unasync: venv
	$(PY) -m kubetyped_codegen.unasync

generate: venv
	$(VENV)/bin/kubetyped generate --spec $(SPEC) --out $(GENERATED)

# Needs the bench extra (lightkube, kubernetes, kr8s, ...): pip install -e '.[bench]'.
# Benchmarks against lightkube / kubernetes / kr8s and the orjson limit; prints tables and writes
# benchmarks/results.md. Starts its own test cluster. With the informer scale section (10k-100k
# ConfigMaps, 10k-50k Pods; client-go and the Go request sender built into ~/.cache when Go is
# installed) the whole run takes about 40 min on 2 shared cores; KUBETYPED_BENCH_SCALE=quick for
# a smoke run (or e.g. "ConfigMap=10000;Pod=10000").
# Opt-in: the wheel with every runtime dependency (and the codegen extra) pinned to its floor in
# pyproject.toml (tests/lowest/floors.py), in a throwaway venv under build/; runs the floor
# smoke test and the user-facing test files below against the test cluster.
LOWEST       := build/lowest
LOWEST_TESTS := tests/lowest tests/e2e/test_typed_as_users_write_it.py \
  tests/e2e/test_typed_async.py tests/e2e/test_informer_list_rejections.py \
  tests/e2e/test_foundation_watch.py tests/unit/test_model_scalars.py
test-lowest: venv cluster-binaries
	rm -rf $(LOWEST) && mkdir -p $(LOWEST)
	$(PY) tests/lowest/floors.py > $(LOWEST)/constraints.txt
	$(PY) -m venv $(LOWEST)/venv
	$(LOWEST)/venv/bin/pip install -q -c $(LOWEST)/constraints.txt '.[test,codegen]'
	KUBETYPED_LOWEST=1 KUBETYPED_REQUIRE_CLUSTER=1 KUBETYPED_CLUSTER_CACHE=$(CLUSTER_CACHE) \
	  $(LOWEST)/venv/bin/python -m pytest -q -p no:cacheprovider $(LOWEST_TESTS)

bench: venv cluster-binaries
	@$(PY) -c 'import lightkube, kubernetes, kr8s, kubernetes_asyncio, msgspec' 2>/dev/null \
	  || $(PY) -m pip install -q -e '.[bench]'
	KUBETYPED_CLUSTER_CACHE=$(CLUSTER_CACHE) $(PY) benchmarks/run.py

clean:
	rm -rf build .mypy_cache .ruff_cache .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf

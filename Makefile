# Tiketi developer entry points; the work is done by scripts/stack.sh.
# `make` (or `make help`) lists the targets.
#
# Environment variables pass straight through to the processes, e.g.
#   HOLD_SECONDS=5 make up        API_REPLICAS=2 WORKER_REPLICAS=2 make run
#   DATABASE_URL=postgres://... make test
# Backing services are resolved per scripts/services.sh: *_URL if set, else a
# server on the default local port, else a private instance under .tiketi/.

SHELL := bash
.DEFAULT_GOAL := help
STACK := bash scripts/stack.sh

# ---------------------------------------------------------------- test suites
# `make test` runs these suites in order (suite_<name> in scripts/stack.sh) and
# fails if any failed. Run a subset with e.g. `make test TEST_SUITES=rust`.
# Adding a suite: write suite_<name> in scripts/stack.sh and list it here.
#   shell fmt clippy rust   - shellcheck, cargo fmt/clippy, cargo nextest
#   compose        - docker-compose.yml against the Compose schema; env vars complete
#   k8s            - deploy/k8s overlays rendered and validated against Kubernetes 1.30
#   k6smoke        - ~10 s of k6 against a stack of its own; audit: no double booking
#   observability  - Prometheus scrapes a stack under load; every dashboard query has data
#   scaleout       - 2 api + 2 workers behind haproxy under the k6 smoke run; audit
#   cluster        - failover: Redis master, RabbitMQ queue leader killed, PostgreSQL
#                    restarted under load, on private clusters (~2 min)
#   fuzz           - schemathesis against /api/openapi.json as a fan and an admin (own stack)
#   web      - included automatically once web/package.json exists
TEST_SUITES ?= shell fmt clippy compose k8s rust cluster k6smoke scaleout observability fuzz
ifneq ($(wildcard web/package.json),)
TEST_SUITES += web
endif

.PHONY: help run up down status test test-web check lint sqlx-prepare loadtest bench-read bench-contention bench-reserve

help: ## List the targets
	@printf 'Tiketi local stack\n\n'
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  make %-11s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@printf '\nSettings come from the environment (HOLD_SECONDS=5 make up); see scripts/stack.sh.\n'

run: ## Build and run the whole stack in the foreground (Ctrl-C stops it)
	@$(STACK) run

up: ## Build and start the stack in the background; returns once /api/health is 200
	@$(STACK) up

down: ## Stop what `make up` started (app processes, load balancer, private services)
	@$(STACK) down

status: ## Show background processes and private service instances
	@$(STACK) status

test: ## fmt check, clippy and all tests against real services (TEST_SUITES)
	@$(STACK) test $(TEST_SUITES)

test-web: ## Web app: type check, Vitest, build, browser tests on a stack of its own (WEB_E2E=0: no browser)
	@$(STACK) test-web

check: ## Before each commit: fmt, clippy, unit tests and the api's stack-free tests (< 3 min warm)
	@$(STACK) check

lint: ## cargo fmt --check and clippy -D warnings
	@$(STACK) lint

sqlx-prepare: ## Rewrite .sqlx/ (compile-time query data) after changing a query or a migration
	@$(STACK) sqlx-prepare

loadtest: ## make up + a load-test scenario + report (SCENARIO=event-detail|seat-map|contention|mixed|throughput|spike|scale|wrk-read)
	@$(STACK) loadtest $(SCENARIO)

bench-read: ## wrk benchmark of event detail and seat maps (starts the stack if needed)
	@$(STACK) bench-read

bench-contention: ## k6: 100 fans reserve one seat at once; audits for double bookings
	@$(STACK) bench-k6 contention

bench-reserve: ## k6: reservation throughput, distinct seats (VUS, DURATION); audits after
	@$(STACK) bench-k6 throughput

# Childhood ALL PDQ assistant — the Rasa commands people expect.
# `make run` sets up and starts the assistant; `make test` sets up and runs every test.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
export TRACKER_DB ?= var/tracker.db
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONWARNINGS ?= ignore::DeprecationWarning

.DEFAULT_GOAL := help
.PHONY: help install lock train run shell actions validate lint unit test eval cv bench soak clean forget-old forget knowledge passage-vectors \
	cluster-up cluster-down cluster-status cluster-chaos cluster-test cluster-bench bench-policy bench-nlu images chaos report

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

install: ## Create .venv from the pinned locks (skips all work when nothing changed)
	@bash scripts/install.sh

lock: ## Regenerate requirements/*.lock from requirements/*.in (needs network)
	@bash scripts/lock.sh

train: install ## Train the model (only when data, config or domain changed)
	@$(PY) -m devtools.training

# The action server's address is not set here: serving/local.py derives it from ACTIONS_PORT (README).
run: install train ## Start the action server and the Rasa server (REST + socket.io), supervised; Ctrl-C stops both
	@bash scripts/run.sh

shell: install train ## Chat in the terminal (starts the action server too)
	@bash scripts/run.sh --shell

actions: install ## Start only the action server (ACTIONS_PORT, default 5055)
	@$(PY) -m actions.server --actions actions --port $(or $(ACTIONS_PORT),5055)

knowledge: install ## Rebuild knowledge/*.yml (SOURCE=<page .txt or saved .html> for a new PDQ version): prints what changed, fails on what no longer exists
	@$(PY) -m knowledge_builder $(if $(SOURCE),--source '$(SOURCE)') $(if $(CHECK),--check)

passage-vectors: install ## Store the passages' sentence vectors (knowledge/nlp/passage_vectors.npz; after `make knowledge`)
	@$(PY) -m devtools.passage_vectors $(if $(CHECK),--check)

validate: install ## rasa data validate --fail-on-warnings
	@$(RASA) data validate --fail-on-warnings

lint: install ## ruff + mypy + hadolint
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy && $(VENV)/bin/hadolint deploy/images/*.Containerfile

unit: ## The fast gate: tests/unit only (no trained model, no servers, no browser, no fresh Rasa process)
	@bash scripts/test.sh unit

test: ## Set up and run every stage: lint, unit, validate, train, integration, browser, cluster, images, e2e
	@bash scripts/test.sh

eval: install train ## Ask the real bot every evaluation question and write reports/ (FILE=... for one file)
	@bash scripts/eval.sh $(FILE)

cv: install ## NLU cross-validation of config.yml (FOLDS=3), written to results/cv-chosen/
	@bash scripts/cross_validate.sh $(or $(FOLDS),3)

bench: install train ## Benchmarks: speed, scale, accuracy vs baselines -> docs/benchmarks.md (~10 min, not in make test)
	@$(PY) -m bench $(BENCH_ARGS)

bench-nlu: install train ## DIET vs logistic regression + lookup entities: accuracy, speed -> docs/benchmarks-nlu.md
	@$(PY) -m bench.nlu

soak: install train ## Long soak of the real servers: errors and flat memory -> docs/soak.md (MINUTES=30, USERS=20)
	@$(PY) -m bench.soak --minutes $(or $(MINUTES),30) --users $(or $(USERS),20)

bench-policy: install ## RulePolicy alone vs + TEDPolicy: training, per-message time, stories -> docs/benchmarks-policy.md
	@$(PY) -m bench.policy

chaos: install train ## Fault drills (kill -9, SIGSTOP, restarts, bad databases, session takeover) + bad-input fuzz (CHAOS_ARGS=--short)
	@$(PY) -m scripts.chaos $(CHAOS_ARGS)

forget-old: install ## Delete conversations idle for more than DAYS days (default 30) from the tracker store
	@$(PY) -m scripts.privacy forget-old --days $(or $(DAYS),30)

report: install ## The content owner's report from the tracker store -> var/report/report.html + CSV (FROM=YYYY-MM-DD TO=YYYY-MM-DD)
	@$(PY) -m reporting $(if $(FROM),--from '$(FROM)') $(if $(TO),--to '$(TO)')

forget: install ## Delete one conversation: make forget SENDER=<id>
	@if [ -z "$(SENDER)" ]; then echo "make forget: set SENDER=<conversation id>" >&2; exit 2; fi
	@$(PY) -m scripts.privacy forget --sender '$(subst ','"'"',$(SENDER))'

cluster-up: install train ## Production profile on this machine: PostgreSQL, Redis, nginx, RASA_SERVERS Rasa servers (2)
	@$(PY) -m serving.cluster up

cluster-down: ## Stop the cluster (conversations are kept; PURGE=1 deletes them too)
	@$(PY) -m serving.cluster down $(if $(PURGE),--purge)

cluster-status: ## Each process of the cluster: state, uptime, restarts
	@$(PY) -m serving.cluster status

cluster-chaos: install train ## Fault drills against a real cluster under load, each drill's result (FULL=1: the long form)
	@$(PY) -m serving.cluster chaos $(if $(FULL),--full)

cluster-test: install train ## Only the cluster tests (also part of make test)
	@$(PY) -m pytest -q -p no:cacheprovider tests/cluster

cluster-bench: install train ## Throughput and p95 with 1, 2 and 3 Rasa servers behind nginx -> docs/benchmarks-cluster.md
	@$(PY) -m bench.cluster $(BENCH_ARGS)

images: install train ## Container images of both servers with buildah (deploy/images/; only what changed; EXTRA_CA=ca.pem)
	@bash scripts/apt_install.sh buildah debootstrap && $(PY) -m scripts.build_images $(if $(EXTRA_CA),--extra-ca '$(EXTRA_CA)')

clean: ## Remove trained models, results and local conversations
	rm -rf models results var test-artifacts

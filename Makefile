# indydevops.k8s_talk: bootstrap, run the talk, run the tests.
#   make talk   - install what is missing, then run playbooks/talk.yml (rehearsal by default)
#   make test   - every check CI runs: lint, sanity, unit, molecule
#   make walkthrough - run the README's walkthrough, section by section, on the rehearsal target
#   make ee     - build the execution environment (execution-environment.yml; podman or docker)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV      ?= .venv
# The venv's Python: the newest >= 3.12 found (ansible-core 2.21 needs it);
# PYTHON=/path/to/python3.12 chooses another.
PYTHON    ?=
PY        := $(VENV)/bin/python
BIN       := $(VENV)/bin
COLL_ROOT := .cache/collections
COLL_LINK := $(COLL_ROOT)/ansible_collections/indydevops/k8s_talk
INVENTORY ?= inventories/rehearsal
ARGS      ?=
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help bootstrap venv collection tools talk teardown stack stack-down test lint sanity unit molecule walkthrough bench build build-check ee ee-context constraints clean

help:
	@grep -E '^#   make' Makefile | sed 's/^#   //'

bootstrap: venv collection tools

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	rm -rf $(VENV)
	py=$$(PYTHON=$(PYTHON) tools/find-python.sh) && $$py -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

# The playbooks and molecule find this collection as indydevops.k8s_talk
# through a link on the collections path (see ansible.cfg).
collection: $(COLL_LINK)
$(COLL_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

tools: venv
	$(PY) tools/install.py

talk: bootstrap
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/talk.yml $(ARGS)

teardown: bootstrap
	$(BIN)/ansible-playbook -i $(INVENTORY) playbooks/teardown.yml $(ARGS)

stack: bootstrap
	$(BIN)/ansible-playbook playbooks/stack.yml $(ARGS)

stack-down: bootstrap
	$(BIN)/ansible-playbook playbooks/stack.yml -e rehearsal_stack_state=absent $(ARGS)

test: bootstrap lint build-check sanity unit molecule

lint: venv collection
	$(BIN)/ruff check plugins tests tools extensions roles
	$(BIN)/yamllint -s .
	$(BIN)/ansible-lint --profile production

sanity: venv
	tests/sanity/run.sh

unit: venv collection
	$(BIN)/pytest tests/unit

molecule: bootstrap
	tests/molecule.sh

walkthrough: bootstrap
	$(PY) tests/walkthrough/run.py

bench: bootstrap
	$(PY) tests/bench/bench.py $(ARGS)

build: venv
	$(BIN)/ansible-galaxy collection build --force --output-path build/

# The built tarball installs (offline, dependencies come from the ansible
# package) and its modules document themselves from the installed copy.
build-check: build
	rm -rf build/installed && printf "[defaults]\n" > build/none.cfg
	ANSIBLE_CONFIG=$(CURDIR)/build/none.cfg $(BIN)/ansible-galaxy collection install --offline --no-deps \
	  -p build/installed build/indydevops-k8s_talk-*.tar.gz
	for m in kops_cluster_spec kops_instance_groups kops_subnets_info rehearsal_process rehearsal_process_info rehearsal_stamp rehearsal_stamp_info tools; do \
	  ANSIBLE_CONFIG=$(CURDIR)/build/none.cfg ANSIBLE_COLLECTIONS_PATH=build/installed:$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') \
	    $(BIN)/ansible-doc indydevops.k8s_talk.$$m | grep -q "MODULE.*indydevops.k8s_talk.$$m" || { echo "ansible-doc $$m failed"; exit 1; }; \
	done
	@echo "build-check: the collection tarball installs and documents its modules"

# The execution environment for AWX / AAP and ansible-navigator: the collection
# tarball `make build` writes, the runtime requirements and the pinned kops.
# ee-context only writes the build context (build/ee, no container engine).
ee-context: build
	$(BIN)/ansible-builder create -f execution-environment.yml -c build/ee

ee: build
	$(BIN)/ansible-builder build -f execution-environment.yml -c build/ee \
	  -t indydevops/k8s_talk-ee:$$(sed -n 's/^version: //p' galaxy.yml)

constraints: venv
	$(BIN)/pip freeze --exclude-editable | sed '1i # Full pin set, generated with `pip freeze` from requirements*.txt; bump on purpose (make constraints).' > constraints.txt

clean:
	rm -rf build .cache tests/output .pytest_cache .ruff_cache

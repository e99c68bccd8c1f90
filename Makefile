# mmwsss: `make demo` and `make test` do everything on a fresh machine.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.mmwsss-installed
DEPS   := requirements/stack.txt requirements/openmmlab.txt requirements/build.txt requirements/tests.txt \
          setup.py tools/install/install_stack.sh tools/install/lib.sh

.PHONY: install demo test test-faults clean-venv

install: $(STAMP)

$(STAMP): $(DEPS)
	VENV=$(VENV) bash tools/install/install_stack.sh
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m projects.cam_to_segmentation.run

test: $(STAMP)
	$(PY) -m pytest tests -q -m "not faults"

# slow fault-injection tests (docs/reliability.md); CI runs them after `make test`
test-faults: $(STAMP)
	$(PY) -m pytest tests -q -m faults

clean-venv:
	rm -rf $(VENV)

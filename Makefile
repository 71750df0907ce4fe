# Two commands on a fresh machine (see README):  make report   and   make test
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install report test lint build score clean

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	sh scripts/install-system-deps.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(VENV)/bin/borderstats report --data data --out reports

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q

build: $(STAMP)
	$(VENV)/bin/borderstats build ../shared/seeds ../shared/corpus-dev --out build/dev

score: build
	$(PY) ../shared/score.py build/dev ../shared/seeds ../shared/corpus-dev

clean:
	rm -rf build reports .pytest_cache

# Two commands a newcomer needs; see README.md.
.PHONY: demo test install audit bench
demo:
	scripts/demo.sh
test:
	scripts/test.sh
install:
	scripts/install.sh dev
audit:
	scripts/audit.sh
bench:
	scripts/install.sh dev && for b in benchmarks/*.py; do .venv/bin/python $$b || exit 1; done

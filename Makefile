.PHONY: run test
run:  ## set up, load the national demo data, serve at http://127.0.0.1:8000
	scripts/run.sh
test:  ## set up and run ruff, mypy and the whole test suite
	scripts/test.sh

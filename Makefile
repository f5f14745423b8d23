# el2emu: the two newcomer commands (`make run`, `make test`) and their parts.
# Both install missing Debian packages first (as root; see tools/install-deps.sh).

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=

.PHONY: all deps build build-asan run test test-asan clean

all: build

deps:
	@sh tools/install-deps.sh

build:
	cmake -S . -B $(BUILD) -DEL2EMU_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

build-asan:
	cmake -S . -B $(ASAN_BUILD) -DEL2EMU_WERROR=ON -DEL2EMU_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# The main job: replay every bundled trace.
run: deps build
	sh tools/run-main-job.sh $(BUILD)/el2emu

# The unit and CLI tests (malformed traces included) under ASan+UBSan, then the whole
# suite; ends with CTest's summary. --no-tests=error: an empty suite is a failure.
test: deps build build-asan
	ctest --test-dir $(ASAN_BUILD) -L 'unit|cli' -j $(JOBS) --output-on-failure --no-tests=error
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure --no-tests=error

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

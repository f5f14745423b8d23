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

# The unit tests under ASan+UBSan, then the whole suite; ends with CTest's summary.
test: deps build build-asan
	ctest --test-dir $(ASAN_BUILD) -L unit -j $(JOBS) --output-on-failure
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

// SwiftPM links a debug executable with `main` aliased to `<Module>_main` (so tests could link it), which leaves
// libFuzzer's own main out. These hand control to libFuzzer's driver instead; LLVMFuzzerTestOneInput is each
// harness's Harness.swift.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAIN(module) \
    int module##_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }

FUZZ_MAIN(FuzzWorkflow)
FUZZ_MAIN(FuzzTheme)
FUZZ_MAIN(FuzzOpen311)
FUZZ_MAIN(FuzzCommand)

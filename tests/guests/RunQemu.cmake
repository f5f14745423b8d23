# Boots ${IMAGE} once on QEMU virt (EL2, 128 MiB at 0x40000000) under `timeout` and fails
# unless QEMU exits 0 (PSCI SYSTEM_OFF) and the UART output equals ${EXPECTED} byte for byte.
# The output is kept in ${ACTUAL}; a mismatch prints `diff -u` of the two.
#   cmake -DQEMU=... -DIMAGE=x.elf -DEXPECTED=x.out -DACTUAL=out [-DTIMEOUT=timeout]
#         [-DRUNS=n] -P RunQemu.cmake
foreach(var QEMU IMAGE EXPECTED ACTUAL)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "RunQemu.cmake: -D${var}=... is required")
  endif()
endforeach()
foreach(f ${IMAGE} ${EXPECTED})
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "${f}: no such file (build the `guests` target first)")
  endif()
endforeach()
if(NOT DEFINED RUNS)
  set(RUNS 1)
endif()

set(cmd ${QEMU} -M virt,virtualization=on -cpu max -m 128M -nographic
        -kernel ${IMAGE})
if(TIMEOUT)
  set(cmd ${TIMEOUT} 20 ${cmd})
endif()
file(READ ${EXPECTED} expected)
foreach(run RANGE 1 ${RUNS})
  execute_process(COMMAND ${cmd} INPUT_FILE /dev/null OUTPUT_VARIABLE out
                  ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 30)
  file(WRITE ${ACTUAL} "${out}")
  if(NOT "${rc}" STREQUAL "0")
    message(FATAL_ERROR "${IMAGE}: QEMU exited with ${rc} (124: timeout), run ${run}\n"
                        "stderr: ${err}\noutput so far (${ACTUAL}):\n${out}")
  endif()
  if(NOT "${out}" STREQUAL "${expected}")
    execute_process(COMMAND diff -u ${EXPECTED} ${ACTUAL} OUTPUT_VARIABLE d)
    message(FATAL_ERROR "${IMAGE}: UART output differs from ${EXPECTED} (run ${run}):\n${d}")
  endif()
endforeach()
message("${IMAGE}: ${RUNS} run(s), output equals ${EXPECTED}")

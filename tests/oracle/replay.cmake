# corpus: `el2emu replay TRACE` must exit 0 and pass every `at` line of the file (counted
# here, at test time, so a regenerated corpus needs no reconfigure).
file(STRINGS ${TRACE} at_lines REGEX "^at ")
list(LENGTH at_lines n_at)
execute_process(COMMAND ${EL2EMU} replay ${TRACE} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
message("${out}${err}")
if(n_at EQUAL 0)
  message(FATAL_ERROR "${TRACE} has no `at` records")
endif()
if(NOT rc EQUAL 0 OR NOT "${out}${err}" MATCHES "(^|\n)${n_at} passed, 0 failed")
  message(FATAL_ERROR "el2emu replay ${TRACE}: expected exit 0 and '${n_at} passed, 0 failed'"
                      " (exit ${rc})")
endif()

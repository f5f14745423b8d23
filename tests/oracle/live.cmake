# oracle-live: regenerate one corpus family on QEMU, require it to be byte-identical to
# the committed file (determinism), and require `el2emu replay` to pass every expectation.
execute_process(COMMAND ${ORAGEN} ${FAMILY} ${SEED} ${ELF} ${QEMU} ${OUT}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
message("${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "oragen ${FAMILY} failed (exit ${rc})")
endif()
# Byte for byte, except the line naming the QEMU build (a Debian point release of 7.2 must
# not fail the check by itself; a changed answer still does).
file(READ ${OUT} new_text)
file(READ ${CORPUS}/${FAMILY}.trace old_text)
string(REGEX REPLACE "\n# Produced by [^\n]*" "" new_text "${new_text}")
string(REGEX REPLACE "\n# Produced by [^\n]*" "" old_text "${old_text}")
if(NOT new_text STREQUAL old_text)
  message(FATAL_ERROR "${OUT} differs from the committed ${CORPUS}/${FAMILY}.trace: "
                      "QEMU's answers or the generator changed (diff them)")
endif()
file(STRINGS ${OUT} at_lines REGEX "^at ")
list(LENGTH at_lines n_at)
execute_process(COMMAND ${EL2EMU} replay ${OUT} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0 OR NOT "${out}${err}" MATCHES "(^|\n)${n_at} passed, 0 failed")
  message(FATAL_ERROR "el2emu replay ${OUT}: expected exit 0 and '${n_at} passed, 0 failed'")
endif()

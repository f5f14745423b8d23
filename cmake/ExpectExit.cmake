# Runs ${CMD} ${ARGS} (a |-separated list) and fails unless it exits with ${EXPECT} and, when
# ${REGEX} is set, its combined output matches it. (A PASS_REGULAR_EXPRESSION on the
# test itself would make CTest ignore the exit status, hence this script.)
string(REPLACE "|" ";" ARGS "${ARGS}")
execute_process(COMMAND ${CMD} ${ARGS} RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT "${rc}" STREQUAL "${EXPECT}")
  message(FATAL_ERROR "expected exit status ${EXPECT}, got ${rc}")
endif()
if(DEFINED REGEX AND NOT "${REGEX}" STREQUAL "")
  if(NOT "${out}${err}" MATCHES "${REGEX}")
    message(FATAL_ERROR "output does not match: ${REGEX}")
  endif()
endif()

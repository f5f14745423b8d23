# Helpers every tests/<module>/CMakeLists.txt uses.

# el2emu_unit_test(NAME SOURCES src... LIBS lib...)
# A cmocka test executable registered with CTest under the `unit` label; `make test`
# also runs this label under ASan+UBSan.
function(el2emu_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} PkgConfig::CMOCKA)
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "unit;${ARG_LABELS}")
endfunction()

# el2emu_cli_test(NAME ARGS ... [EXIT_CODE n] [PASS_REGEX re] [FAIL_REGEX re] [LABELS ...])
# Runs the el2emu CLI; the exit status (0 unless EXIT_CODE says otherwise) and the
# output are the assertion.
function(el2emu_cli_test name)
  cmake_parse_arguments(ARG "" "PASS_REGEX;FAIL_REGEX;EXIT_CODE" "ARGS;LABELS" ${ARGN})
  if(NOT DEFINED ARG_EXIT_CODE)
    set(ARG_EXIT_CODE 0)
  endif()
  # add_test splits on ';', so the argument list travels with '|' separators.
  string(REPLACE ";" "|" args "${ARG_ARGS}")
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} -DCMD=$<TARGET_FILE:el2emu> "-DARGS=${args}"
                   -DEXPECT=${ARG_EXIT_CODE} "-DREGEX=${ARG_PASS_REGEX}"
                   -P ${CMAKE_SOURCE_DIR}/cmake/ExpectExit.cmake)
  set_tests_properties(${name} PROPERTIES LABELS "cli;${ARG_LABELS}")
  if(ARG_FAIL_REGEX)
    set_tests_properties(${name} PROPERTIES FAIL_REGULAR_EXPRESSION "${ARG_FAIL_REGEX}")
  endif()
endfunction()

# Assembles the listing of every table entry with GNU as (through the cross compiler) and
# checks that the bytes equal the encodings el2emu's table gives.
# -DLISTING=<asm_listing> -DCC=<aarch64 gcc> -DOBJCOPY=<aarch64 objcopy> -DDIR=<work dir>
execute_process(COMMAND ${LISTING} ${DIR}/sysreg_all.s ${DIR}/sysreg_expected.hex
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "asm_listing failed: ${rc}")
endif()
execute_process(COMMAND ${CC} -c -march=armv8.6-a+sve+sme+profile ${DIR}/sysreg_all.s
                        -o ${DIR}/sysreg_all.o
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "GNU as rejects a table name:\n${err}")
endif()
execute_process(COMMAND ${OBJCOPY} -O binary -j .text ${DIR}/sysreg_all.o
                        ${DIR}/sysreg_all.bin RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "objcopy failed")
endif()
file(READ ${DIR}/sysreg_all.bin got HEX)
file(READ ${DIR}/sysreg_expected.hex want)
string(STRIP "${want}" want)
string(LENGTH "${want}" n)
math(EXPR words "${n} / 8")
if(NOT "${got}" STREQUAL "${want}")
  file(STRINGS ${DIR}/sysreg_all.s lines)
  set(i 0)
  foreach(line ${lines})
    math(EXPR off "${i} * 8")
    string(SUBSTRING "${got}" ${off} 8 g)
    string(SUBSTRING "${want}" ${off} 8 w)
    if(NOT g STREQUAL w)
      message(SEND_ERROR "${line}: GNU as ${g}, table ${w} (little-endian bytes)")
    endif()
    math(EXPR i "${i} + 1")
  endforeach()
  message(FATAL_ERROR "encodings differ from GNU as")
endif()
message("all ${words} instruction words agree with GNU as")

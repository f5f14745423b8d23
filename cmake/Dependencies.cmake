# Locates el2emu's dependencies the standard way and names the Debian package to
# install when one is missing (`make deps` installs them all).
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config (or run `make deps`)")
endif()

function(el2emu_require_pkg var module debian)
  pkg_check_modules(${var} IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR
      "${module} not found: install the Debian package ${debian} "
      "(apt-get install ${debian}, or run `make deps` as root)")
  endif()
endfunction()

el2emu_require_pkg(UNICORN unicorn libunicorn-dev)
el2emu_require_pkg(CAPSTONE capstone libcapstone-dev)
el2emu_require_pkg(CMOCKA cmocka libcmocka-dev)

find_package(ZLIB)
if(NOT ZLIB_FOUND)
  message(FATAL_ERROR "zlib not found: apt-get install zlib1g-dev (or run `make deps`)")
endif()

# Optional tools: guests and the live QEMU oracle are skipped, with a message, without them.
find_program(EL2EMU_CROSS_CC aarch64-linux-gnu-gcc)
if(NOT EL2EMU_CROSS_CC)
  message(STATUS "aarch64-linux-gnu-gcc not found: guest programs and the QEMU oracle "
                 "are not built (apt-get install gcc-aarch64-linux-gnu)")
endif()
find_program(EL2EMU_QEMU qemu-system-aarch64)
if(NOT EL2EMU_QEMU)
  message(STATUS "qemu-system-aarch64 not found: live oracle tests are skipped "
                 "(apt-get install qemu-system-arm)")
endif()

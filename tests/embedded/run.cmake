# Runs a program under QEMU and checks its exit code (a CTest test):
#
#   cmake -DQEMU=qemu-system-arm -DELF=prog.elf [-DEXPECT=0] [-DTIMEOUT=60] -P run.cmake
cmake_minimum_required(VERSION 3.21)
include("${CMAKE_CURRENT_LIST_DIR}/qemu.cmake")

if(NOT DEFINED EXPECT)
  set(EXPECT 0)
endif()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 60)
endif()

ffn_embedded_qemu("${QEMU}" "${ELF}" ${TIMEOUT} output result)
message("${output}")
if(NOT "${result}" STREQUAL "${EXPECT}")
  message(FATAL_ERROR "${ELF} under QEMU ended with '${result}', expected ${EXPECT}")
endif()
message(STATUS "${ELF} under QEMU ended with ${result}, as expected")

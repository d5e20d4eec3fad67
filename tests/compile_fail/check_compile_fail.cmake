# Usage: cmake -DCOMPILER=... [-DSTD_FLAG=...] -DSOURCE=... -DINCLUDE_DIR=... -DEIGEN_INCLUDE_DIRS=... -P this
# STD_FLAG: the compiler's flag for FFN_CXX_STANDARD (-std=c++20 when not given).
if(NOT STD_FLAG)
  set(STD_FLAG -std=c++20)
endif()
set(flags ${STD_FLAG} -fsyntax-only "-I${INCLUDE_DIR}")
foreach(dir IN LISTS EIGEN_INCLUDE_DIRS)
  list(APPEND flags -isystem "${dir}")
endforeach()

execute_process(
  COMMAND "${COMPILER}" ${flags} -DFFN_COMPILE_FAIL_CONTROL "${SOURCE}"
  RESULT_VARIABLE control_result OUTPUT_VARIABLE control_out ERROR_VARIABLE control_out)
if(NOT control_result EQUAL 0)
  message(FATAL_ERROR "The control build of ${SOURCE} (the mistake left out) failed:\n${control_out}")
endif()

execute_process(
  COMMAND "${COMPILER}" ${flags} "${SOURCE}"
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must not.")
endif()

file(STRINGS "${SOURCE}" expectations REGEX "^// expect: ")
if(NOT expectations)
  message(FATAL_ERROR "${SOURCE} has no '// expect: ' line.")
endif()
foreach(line IN LISTS expectations)
  string(REGEX REPLACE "^// expect: " "" expected "${line}")
  string(FIND "${out}" "${expected}" position)
  if(position EQUAL -1)
    message(FATAL_ERROR "The compiler's message lacks \"${expected}\". It said:\n${out}")
  endif()
  message(STATUS "found: ${expected}")
endforeach()

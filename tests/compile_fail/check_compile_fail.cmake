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

# The first error is ffn's own: the first line that says "error:" holds every text marked
# `// first error: ` in the source.
file(STRINGS "${SOURCE}" first_error_expectations REGEX "^// first error: ")
if(first_error_expectations)
  string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${out}")
  foreach(line IN LISTS first_error_expectations)
    string(REGEX REPLACE "^// first error: " "" expected "${line}")
    string(FIND "${first_error}" "${expected}" position)
    if(position EQUAL -1)
      message(FATAL_ERROR "The compiler's first error lacks \"${expected}\". It was:\n"
                          "${first_error}\nand the whole output:\n${out}")
    endif()
    message(STATUS "first error has: ${expected}")
  endforeach()
endif()

# And the compiler says it briefly: at most 25 lines (or the count a `// lines: N` line gives).
set(max_lines 25)
file(STRINGS "${SOURCE}" lines_override REGEX "^// lines: [0-9]+$")
if(lines_override)
  string(REGEX REPLACE "^// lines: " "" max_lines "${lines_override}")
endif()
string(REGEX MATCHALL "\n" newlines "${out}")
list(LENGTH newlines line_count)
if(line_count GREATER max_lines)
  message(FATAL_ERROR "The compiler's output has ${line_count} lines, more than ${max_lines}:\n"
                      "${out}")
endif()
message(STATUS "${line_count} lines of compiler output (at most ${max_lines})")

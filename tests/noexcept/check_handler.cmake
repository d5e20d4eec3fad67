# Runs the build with exceptions and the one without on CASE: both must exit with 3, the
# first printing "exception: MESSAGE", the second "handler: MESSAGE" and where in ffn's headers
# the check failed; the two messages must be the same.
# Usage: cmake -DWITH=... -DWITHOUT=... -DCASE=... -P check_handler.cmake
execute_process(COMMAND "${WITH}" "${CASE}" RESULT_VARIABLE with_status
  OUTPUT_VARIABLE with_output ERROR_VARIABLE with_errors)
execute_process(COMMAND "${WITHOUT}" "${CASE}" RESULT_VARIABLE without_status
  OUTPUT_VARIABLE without_output ERROR_VARIABLE without_errors)
if(NOT with_status EQUAL 3 OR NOT without_status EQUAL 3)
  message(FATAL_ERROR "${CASE}: exit codes ${with_status} (exceptions) and ${without_status} "
    "(no exceptions), expected 3 and 3\n${with_output}${with_errors}\n${without_output}${without_errors}")
endif()
if(NOT with_output MATCHES "^exception: ([^\n]+)\n")
  message(FATAL_ERROR "${CASE}: the build with exceptions printed\n${with_output}")
endif()
set(thrown "${CMAKE_MATCH_1}")
if(NOT without_output MATCHES "^handler: ([^\n]+)\nwhere: ([^\n]*include/ffn/[^\n]+)\n")
  message(FATAL_ERROR "${CASE}: the build without exceptions printed\n${without_output}")
endif()
set(handled "${CMAKE_MATCH_1}")
set(where "${CMAKE_MATCH_2}")
if(NOT thrown STREQUAL handled)
  message(FATAL_ERROR "${CASE}: the messages differ:\n  thrown:  ${thrown}\n  handled: ${handled}")
endif()
message(STATUS "${CASE}: '${handled}' (at ${where})")

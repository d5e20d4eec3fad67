# Runs an example built with exceptions (WITH) and without them (WITHOUT) with the same
# arguments and checks that both exit with EXPECT and print the same standard output; with
# SAME_STDERR, also the same standard error (which otherwise holds progress lines with
# timings).
# Usage: cmake -DWITH=... -DWITHOUT=... [-DARGS=a;b] -DEXPECT=0 [-DSAME_STDERR=ON]
#              -P compare_builds.cmake

foreach(setting WITH WITHOUT EXPECT)
  if(NOT DEFINED ${setting})
    message(FATAL_ERROR "compare_builds.cmake needs -D${setting}=...")
  endif()
endforeach()

foreach(build WITH WITHOUT)
  execute_process(COMMAND "${${build}}" ${ARGS}
    OUTPUT_VARIABLE ${build}_stdout ERROR_VARIABLE ${build}_stderr
    RESULT_VARIABLE ${build}_result)
  if(NOT "${${build}_result}" STREQUAL "${EXPECT}")
    message(FATAL_ERROR "${${build}} ${ARGS} exited with '${${build}_result}', not ${EXPECT}; "
      "standard error:\n${${build}_stderr}")
  endif()
endforeach()

if(NOT WITH_stdout STREQUAL WITHOUT_stdout)
  message(FATAL_ERROR "the builds with and without exceptions print different output.\n"
    "With exceptions:\n${WITH_stdout}\nWithout:\n${WITHOUT_stdout}")
endif()
if(SAME_STDERR AND NOT WITH_stderr STREQUAL WITHOUT_stderr)
  message(FATAL_ERROR "the builds with and without exceptions report different errors.\n"
    "With exceptions:\n${WITH_stderr}\nWithout:\n${WITHOUT_stderr}")
endif()

# Configures, builds and runs one consumer project (see CMakeLists.txt beside this file).
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message(STATUS "${step}:\n${out}")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${step} failed (${result})")
  endif()
endfunction()

set(configure_args -S "${CONSUMER_SOURCE}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
  "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_BUILD_TYPE=Release"
  "-DEXPECTED_FFN_VERSION=${FFN_VERSION}" "-DEigen3_DIR=${EIGEN_DIR}")

if(MODE STREQUAL "find_package")
  run("install ffn into ${WORK_DIR}/prefix"
    "${CMAKE_COMMAND}" --install "${FFN_BINARY_DIR}" --prefix "${WORK_DIR}/prefix")
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
else()
  list(APPEND configure_args "-DFFN_SOURCE_DIR=${FFN_SOURCE_DIR}")
endif()

run("configure the consumer" "${CMAKE_COMMAND}" ${configure_args})
run("build the consumer" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
run("run the consumer" "${WORK_DIR}/build/consumer")

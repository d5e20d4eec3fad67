# Runs a regression example once for each of several split seeds and checks the mean of the
# test R^2 it reports: the R^2 of one split says as much about the split as about the model, so
# only the mean over many splits is a fair target. Each run must end its output with a line
# `test r2: X` (X with up to 4 decimals) and exit with 0 or 1 (1: that split missed the
# example's own target, which single splits may do); any other exit code fails.
# Usage: cmake -DEXAMPLE=... [-DDATA=...] -DFIRST_SEED=1 -DSEEDS=20 -DMINIMUM=0.45
#              -P check_mean_r2.cmake

# A decimal number as an integer count of 1e-4, exactly (CMake's math() has integers only).
function(ten_thousandths text out)
  if(NOT text MATCHES "^(-?)([0-9]+)(\\.([0-9]*))?$")
    message(FATAL_ERROR "'${text}' is not a decimal number")
  endif()
  set(sign "${CMAKE_MATCH_1}")
  set(whole "${CMAKE_MATCH_2}")
  set(fraction "${CMAKE_MATCH_4}0000")
  string(LENGTH "${CMAKE_MATCH_4}" digits)
  if(digits GREATER 4)
    message(FATAL_ERROR "'${text}' has more than 4 decimals")
  endif()
  string(SUBSTRING "${fraction}" 0 4 fraction)
  # math() reads leading zeros as decimal digits (only 0x starts another base).
  math(EXPR value "${sign}(${whole} * 10000 + ${fraction})")
  set(${out} ${value} PARENT_SCOPE)
endfunction()

# An integer count of 1e-4 as a decimal number with 4 decimals.
function(decimal value out)
  set(sign "")
  if(value LESS 0)
    set(sign "-")
    math(EXPR value "-(${value})")
  endif()
  math(EXPR whole "${value} / 10000")
  math(EXPR fraction "${value} % 10000 + 10000") # a leading 1 keeps the zeros
  string(SUBSTRING "${fraction}" 1 4 fraction)
  set(${out} "${sign}${whole}.${fraction}" PARENT_SCOPE)
endfunction()

foreach(setting EXAMPLE FIRST_SEED SEEDS MINIMUM)
  if(NOT DEFINED ${setting})
    message(FATAL_ERROR "check_mean_r2.cmake needs -D${setting}=...")
  endif()
endforeach()
if(NOT SEEDS GREATER 0)
  message(FATAL_ERROR "SEEDS must be a positive number, got '${SEEDS}'")
endif()

set(sum 0)
set(scores "")
math(EXPR last_seed "${FIRST_SEED} + ${SEEDS} - 1")
foreach(seed RANGE ${FIRST_SEED} ${last_seed})
  execute_process(COMMAND "${EXAMPLE}" ${DATA} --seed ${seed}
    OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE result)
  if(NOT result STREQUAL "0" AND NOT result STREQUAL "1")
    message(FATAL_ERROR "${EXAMPLE} --seed ${seed} failed (${result}):\n${output}${errors}")
  endif()
  if(NOT output MATCHES "test r2: (-?[0-9]+(\\.[0-9]*)?)\n?$")
    message(FATAL_ERROR
      "${EXAMPLE} --seed ${seed} did not end its output with 'test r2: X':\n${output}")
  endif()
  set(r2 "${CMAKE_MATCH_1}")
  ten_thousandths("${r2}" value)
  math(EXPR sum "${sum} + ${value}")
  list(APPEND scores "${seed}: ${r2}")
endforeach()

list(JOIN scores ", " scores)
message(STATUS "test R^2 by seed: ${scores}")
# The mean, rounded half away from zero to 4 decimals; the check below is exact.
if(sum LESS 0)
  math(EXPR mean "(${sum} * 2 - ${SEEDS}) / (${SEEDS} * 2)")
else()
  math(EXPR mean "(${sum} * 2 + ${SEEDS}) / (${SEEDS} * 2)")
endif()
decimal(${mean} mean_text)
ten_thousandths("${MINIMUM}" minimum)
math(EXPR needed "${minimum} * ${SEEDS}")
if(sum LESS needed)
  message(FATAL_ERROR "the mean test R^2 over seeds ${FIRST_SEED}..${last_seed} is ${mean_text}, "
    "below ${MINIMUM}")
endif()
message(STATUS "mean test R^2 over seeds ${FIRST_SEED}..${last_seed}: ${mean_text} "
  "(at least ${MINIMUM})")

# ffn's footprint on the Cortex-M4F: flash (text + data) and RAM (data + bss) of the lecture's
# program and of the baseline without ffn, from arm-none-eabi-size, their difference (ffn's
# share), and the peak stack of the lecture's step as the program measures it under QEMU.
#
#   cmake -DSIZE=arm-none-eabi-size -DQEMU=qemu-system-arm -DPROGRAM=lecture_m4.elf
#         -DBASELINE=baseline.elf [-DENFORCE=ON] [-DTIMEOUT=60] -P footprint.cmake
#
# The goals: ffn's share of flash at most 16 KiB, the step's stack at most 2 KiB, no heap
# (every run checks that from main on: heap_trap.c). With ENFORCE on, a missed goal fails the script;
# otherwise it is reported only. RAM leaves out the stack, which the linker script reserves
# apart (mps2_an386.ld).
cmake_minimum_required(VERSION 3.21)
include("${CMAKE_CURRENT_LIST_DIR}/qemu.cmake")

set(flash_goal 16384)
set(stack_goal 2048)
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 60)
endif()

# Berkeley format: "text data bss dec hex filename" for each file.
function(read_sizes elf prefix)
  execute_process(COMMAND "${SIZE}" -B "${elf}" OUTPUT_VARIABLE out RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${SIZE} failed on ${elf}")
  endif()
  string(REGEX MATCH "\n[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)" _ "${out}")
  math(EXPR flash "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2}")
  math(EXPR ram "${CMAKE_MATCH_2} + ${CMAKE_MATCH_3}")
  set(${prefix}_text ${CMAKE_MATCH_1} PARENT_SCOPE)
  set(${prefix}_data ${CMAKE_MATCH_2} PARENT_SCOPE)
  set(${prefix}_bss ${CMAKE_MATCH_3} PARENT_SCOPE)
  set(${prefix}_flash ${flash} PARENT_SCOPE)
  set(${prefix}_ram ${ram} PARENT_SCOPE)
endfunction()

read_sizes("${PROGRAM}" program)
read_sizes("${BASELINE}" baseline)
math(EXPR share_flash "${program_flash} - ${baseline_flash}")
math(EXPR share_ram "${program_ram} - ${baseline_ram}")

ffn_embedded_qemu("${QEMU}" "${PROGRAM}" ${TIMEOUT} output result)
if(NOT "${result}" STREQUAL "0")
  message("${output}")
  message(FATAL_ERROR "${PROGRAM} under QEMU ended with '${result}'")
endif()
if(NOT output MATCHES "peak stack of the lecture step: ([0-9]+) bytes")
  message("${output}")
  message(FATAL_ERROR "${PROGRAM} printed no stack figure")
endif()
set(stack ${CMAKE_MATCH_1})
if(NOT output MATCHES "heap used before main: ([0-9]+) bytes")
  message("${output}")
  message(FATAL_ERROR "${PROGRAM} printed no heap figure")
endif()
set(heap_before_main ${CMAKE_MATCH_1})

function(row name text data bss flash ram)
  string(LENGTH "${name}" n)
  math(EXPR pad "24 - ${n}")
  string(REPEAT " " ${pad} spaces)
  foreach(v text data bss flash ram)
    string(LENGTH "${${v}}" l)
    math(EXPR p "9 - ${l}")
    string(REPEAT " " ${p} s)
    set(${v} "${s}${${v}}")
  endforeach()
  message("${name}${spaces}${text}${data}${bss}${flash}${ram}")
endfunction()

message("Footprint on the Cortex-M4F (bytes; flash = text + data, RAM = data + bss, stack apart)")
row("" text data bss flash RAM)
row("lecture_m4" ${program_text} ${program_data} ${program_bss} ${program_flash} ${program_ram})
row("baseline (no ffn)" ${baseline_text} ${baseline_data} ${baseline_bss} ${baseline_flash}
    ${baseline_ram})
math(EXPR d_text "${program_text} - ${baseline_text}")
math(EXPR d_data "${program_data} - ${baseline_data}")
math(EXPR d_bss "${program_bss} - ${baseline_bss}")
row("ffn's share" ${d_text} ${d_data} ${d_bss} ${share_flash} ${share_ram})
message("peak stack of the lecture step: ${stack} bytes")
message("heap used before main: ${heap_before_main} bytes")

set(missed "")
if(share_flash GREATER flash_goal)
  message("goal missed: ffn's share of flash is ${share_flash} bytes, the goal ${flash_goal}")
  list(APPEND missed flash)
else()
  message("goal met: ffn's share of flash ${share_flash} <= ${flash_goal} bytes")
endif()
if(stack GREATER stack_goal)
  message("goal missed: the step's stack is ${stack} bytes, the goal ${stack_goal}")
  list(APPEND missed stack)
else()
  message("goal met: the step's stack ${stack} <= ${stack_goal} bytes")
endif()
# From main on, any allocation ends the run with exit code 3 (heap_trap.c), so only what the
# exceptions build lets through before main can be left.
if(heap_before_main GREATER 0)
  message("goal missed: ${heap_before_main} bytes of heap used before main (libstdc++'s "
          "emergency pool for exceptions), none after")
  list(APPEND missed heap)
else()
  message("goal met: no heap")
endif()

if(missed AND ENFORCE)
  message(FATAL_ERROR "footprint goals missed: ${missed}")
endif()
if(missed AND NOT ENFORCE)
  message("footprint goals missed: ${missed} (reported only: ENFORCE is off)")
endif()
